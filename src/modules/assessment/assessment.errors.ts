/** Assessment refusals (AREA_REASON codes, passed through by formatError as DomainError codes). */
export const AssessmentError = {
  NEEDS_OPEN_EPISODE: 'ASSESSMENT_NEEDS_OPEN_EPISODE',
  /** One assessment without authorisation at a time per episode (CIN census 8896). */
  ALREADY_IN_PROGRESS: 'ASSESSMENT_ALREADY_IN_PROGRESS',
  NOT_IN_PROGRESS: 'ASSESSMENT_NOT_IN_PROGRESS',
  NOT_COMPLETED: 'ASSESSMENT_NOT_COMPLETED',
} as const;
export type AssessmentErrorCode = (typeof AssessmentError)[keyof typeof AssessmentError];

/** Supervision refusals (AREA_REASON codes, passed through by formatError as DomainError codes). */
export const SupervisionError = {
  /**
   * A case discussed with a team manager must be held by the supervisee or their team (a restricted child the manager is
   * named on may be allocated elsewhere).
   */
  CASE_NOT_HELD: 'SUPERVISION_CASE_NOT_HELD',
} as const;
export type SupervisionErrorCode = (typeof SupervisionError)[keyof typeof SupervisionError];

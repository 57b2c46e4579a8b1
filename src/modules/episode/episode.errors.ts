/** Episode-of-need refusals (AREA_REASON codes, passed through by formatError as DomainError codes). */
export const EpisodeError = {
  /** A child's episodes may not overlap (CIN census 8820; exclusion constraint `episode_no_overlap`). */
  OVERLAPS: 'EPISODE_OVERLAPS',
  ALREADY_CLOSED: 'EPISODE_ALREADY_CLOSED',
  HAS_OPEN_PLAN: 'EPISODE_HAS_OPEN_PLAN',
  HAS_OPEN_SECTION47: 'EPISODE_HAS_OPEN_SECTION47',
  /** An assessment in the episode is not authorised (CIN census 8867). */
  HAS_OPEN_ASSESSMENT: 'EPISODE_HAS_OPEN_ASSESSMENT',
  /** RC8/RC9 (closed after assessment) on an episode with a section 47 or a CP or CIN plan (CIN census 2990). */
  CLOSURE_REASON_INVALID: 'EPISODE_CLOSURE_REASON_INVALID',
} as const;
export type EpisodeErrorCode = (typeof EpisodeError)[keyof typeof EpisodeError];

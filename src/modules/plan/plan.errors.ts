/** Plan error codes (AREA_REASON), passed through to the client in `extensions.code`. */
export const PlanError = {
  /** CIN and CP plans belong to an episode of need: the child has none open. */
  NEEDS_OPEN_EPISODE: 'PLAN_NEEDS_OPEN_EPISODE',
  /** A CIN plan cannot run at the same time as a CP plan (CIN census). */
  OVERLAPS_CP: 'PLAN_OVERLAPS_CP',
  /** The child already has an active plan of this type. */
  ALREADY_ACTIVE: 'PLAN_ALREADY_ACTIVE',
  /** The plan has ended: it can no longer be changed or reviewed. */
  NOT_ACTIVE: 'PLAN_NOT_ACTIVE',
  /** A review must rate every current outcome exactly once. */
  REVIEW_PROGRESS_INCOMPLETE: 'PLAN_REVIEW_PROGRESS_INCOMPLETE',
  /** A child protection plan ends only at a review conference. */
  ENDS_AT_CONFERENCE: 'PLAN_ENDS_AT_CONFERENCE',
  /** A child protection plan is reviewed by a review conference, not by reviewPlan. */
  REVIEWED_AT_CONFERENCE: 'PLAN_REVIEWED_AT_CONFERENCE',
} as const;
export type PlanErrorCode = (typeof PlanError)[keyof typeof PlanError];

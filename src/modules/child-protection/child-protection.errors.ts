/** Child protection error codes (AREA_REASON), passed through to the client in `extensions.code`. */
export const ChildProtectionError = {
  /** Strategy discussions, enquiries and conferences belong to an episode of need: the child has none open. */
  NEEDS_OPEN_EPISODE: 'CHILD_PROTECTION_NEEDS_OPEN_EPISODE',
  /** The strategy discussion did not decide to start a section 47 enquiry. */
  SECTION47_NOT_DECIDED: 'SECTION47_NOT_DECIDED',
  /** A section 47 enquiry was already started from this strategy discussion. */
  SECTION47_ALREADY_STARTED: 'SECTION47_ALREADY_STARTED',
  /** The section 47 enquiry is concluded. */
  SECTION47_NOT_OPEN: 'SECTION47_NOT_OPEN',
  /** A review conference needs an active child protection plan of the child. */
  CONFERENCE_PLAN_NOT_ACTIVE: 'CONFERENCE_PLAN_NOT_ACTIVE',
} as const;

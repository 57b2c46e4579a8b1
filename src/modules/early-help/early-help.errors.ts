/** Early help refusals (AREA_REASON codes, passed through by formatError as DomainError codes). */
export const EarlyHelpError = {
  /** Commissioning, and the provider's acceptance, need consent to support and to sharing, given and not withdrawn. */
  CONSENT_REQUIRED: 'EARLY_HELP_CONSENT_REQUIRED',
  /** The episode is not at the stage this action needs (e.g. accepting a referral already decided). */
  WRONG_STAGE: 'EARLY_HELP_WRONG_STAGE',
  /** The provider has no contract in force on the date (or its capacity is full, when the council does not override). */
  NO_CONTRACT: 'EARLY_HELP_NO_CONTRACT',
  CAPACITY_FULL: 'EARLY_HELP_CAPACITY_FULL',
  /** The lead practitioner does not work for the accepting provider. */
  LEAD_NOT_PROVIDER_STAFF: 'EARLY_HELP_LEAD_NOT_PROVIDER_STAFF',
  /** The child already has an early help episode that is not closed. */
  ALREADY_OPEN: 'EARLY_HELP_ALREADY_OPEN',
  /** Closure must report progress against every recorded need. */
  PROGRESS_INCOMPLETE: 'EARLY_HELP_PROGRESS_INCOMPLETE',
  /** The consent was already withdrawn. */
  CONSENT_ALREADY_WITHDRAWN: 'EARLY_HELP_CONSENT_ALREADY_WITHDRAWN',
  /** Step-down needs an authorised social care assessment (RC9: closed after assessment, referred to early help). */
  STEP_DOWN_NEEDS_ASSESSMENT: 'EARLY_HELP_STEP_DOWN_NEEDS_ASSESSMENT',
  /** A child with an open social care episode of need is not requested into early help (the step-down is the route). */
  CHILD_IN_SOCIAL_CARE: 'EARLY_HELP_CHILD_IN_SOCIAL_CARE',
} as const;

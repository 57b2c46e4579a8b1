/**
 * What a data sharing agreement may name (`Type.field`): identity and household details, the early help record and the
 * early help family plan. Never child protection, statutory assessments, referrals, allocations, chronology or notes
 * outside early help: those fields are not here, so no agreement can open them to a provider.
 */
export const SHAREABLE_FIELDS: readonly string[] = [
  ...['id', 'laChildId', 'firstName', 'lastName', 'dateOfBirth', 'expectedDateOfBirth', 'sex', 'ethnicity', 'disabilities', 'nhsNumber', 'upn',
    'version', 'families'].map((f) => `Child.${f}`),
  ...['id', 'name', 'address', 'postcode', 'version', 'members'].map((f) => `Family.${f}`),
  ...['id', 'kind', 'childId', 'firstName', 'lastName', 'dateOfBirth', 'relationship', 'parentalResponsibility', 'child'].map((f) => `FamilyMember.${f}`),
  ...['id', 'displayName', 'teamId'].map((f) => `Worker.${f}`),
  ...['id', 'childId', 'type', 'status', 'startDate', 'endDate', 'endReason', 'contingency', 'familySummary', 'nextReviewDue', 'version',
    'outcomes', 'actions', 'reviews', 'reviewStatus'].map((f) => `Plan.${f}`),
  ...['id', 'position', 'needToChange', 'measure', 'byWhen'].map((f) => `PlanOutcome.${f}`),
  ...['id', 'outcomeId', 'who', 'what', 'byWhen', 'status'].map((f) => `PlanAction.${f}`),
  ...['id', 'planId', 'heldOn', 'progress', 'decision', 'summary', 'dueBy', 'version', 'createdAt', 'onTime', 'reviewer'].map((f) => `PlanReview.${f}`),
  ...['outcomeId', 'rating', 'comment'].map((f) => `OutcomeProgress.${f}`),
  ...['id', 'familyId', 'primaryChildId', 'status', 'requestedAt', 'requestedOn', 'requesterName', 'requesterRole', 'requesterAgency', 'reason',
    'needs', 'providerId', 'leadPractitionerId', 'workStartedOn', 'closedOn', 'outcome', 'closureSummary', 'closureProgress', 'version',
    'children', 'family', 'leadPractitioner'].map((f) => `EarlyHelpEpisode.${f}`),
  ...['need', 'rating', 'comment'].map((f) => `NeedProgress.${f}`),
  // The early help work (helper B): assessment, team around the family, the family plan and due dates.
  ...['assessments', 'meetings', 'familyPlan', 'assessmentDueOn', 'nextMeetingDueOn'].map((f) => `EarlyHelpEpisode.${f}`),
  ...['id', 'episodeId', 'reason', 'needs', 'strengths', 'livedExperience', 'childVoice', 'analysis', 'startedOn', 'completedOn',
    'completedByProviderId', 'version', 'createdAt'].map((f) => `EarlyHelpAssessment.${f}`),
  ...['need', 'description'].map((f) => `AssessedNeed.${f}`),
  ...['id', 'episodeId', 'heldOn', 'attendees', 'familyPresent', 'decisions', 'nextMeetingOn', 'createdAt'].map((f) => `TeamAroundFamilyMeeting.${f}`),
  ...['name', 'agency', 'role'].map((f) => `Attendee.${f}`),
  // Commissioning (helper A): consents, the provider's own referrals (never the council's commissioning note), concerns,
  // the waiting list, a child's episodes.
  ...['consents', 'providerReferrals', 'concerns', 'provider'].map((f) => `EarlyHelpEpisode.${f}`),
  'Child.earlyHelpEpisodes',
  ...['id', 'episodeId', 'kind', 'givenBy', 'relationship', 'givenOn', 'scope', 'withdrawnOn', 'withdrawnBy', 'withdrawalReason', 'version']
    .map((f) => `EarlyHelpConsent.${f}`),
  ...['id', 'episodeId', 'providerId', 'contractId', 'status', 'offeredAt', 'decidedAt', 'decidedById', 'declineReason', 'closedOn', 'version',
    'provider'].map((f) => `EarlyHelpReferral.${f}`),
  ...['id', 'episodeId', 'raisedAt', 'safeguarding', 'description', 'needsAdded', 'version'].map((f) => `EarlyHelpConcern.${f}`),
  ...['episode', 'daysWaiting', 'needsRetriage', 'retriageReasons', 'provider', 'providerCapacity'].map((f) => `EarlyHelpWaitingEntry.${f}`),
];

/** The provider submissions an agreement may allow (mutation names). */
export const SUBMISSIONS: readonly string[] = [
  'acceptEarlyHelpReferral', 'declineEarlyHelpReferral', 'submitEarlyHelpAssessment', 'recordTeamAroundFamilyMeeting', 'startFamilyPlan',
  'reviewFamilyPlan', 'closeEarlyHelpEpisode', 'raiseEarlyHelpConcern',
];

import { canOrAgreed, canSubmit, fields, viaParent } from '../../shared/authz/rules';

/** Council early help reads everything; provider staff the fields of their agreement (record scope is in SQL). */
const read = canOrAgreed('earlyhelp:read');

export const workRules = {
  Mutation: fields(canSubmit('earlyhelp:record'), [
    'submitEarlyHelpAssessment', 'recordTeamAroundFamilyMeeting', 'startFamilyPlan', 'reviewFamilyPlan', 'closeEarlyHelpEpisode',
  ]),
  EarlyHelpEpisode: fields(read, ['assessments', 'meetings', 'familyPlan', 'assessmentDueOn', 'nextMeetingDueOn']),
  EarlyHelpAssessment: fields(read, [
    'id', 'episodeId', 'reason', 'needs', 'strengths', 'livedExperience', 'childVoice', 'analysis', 'startedOn', 'completedOn',
    'completedByProviderId', 'version', 'createdAt',
  ]),
  AssessedNeed: fields(read, ['need', 'description']),
  TeamAroundFamilyMeeting: fields(read, ['id', 'episodeId', 'heldOn', 'attendees', 'familyPresent', 'decisions', 'nextMeetingOn', 'createdAt']),
  Attendee: fields(read, ['name', 'agency', 'role']),
  // Payloads reach the client only from a guarded mutation; their records keep their own field rules.
  SubmitEarlyHelpAssessmentPayload: fields(viaParent, ['assessment', 'replayed']),
  RecordTeamAroundFamilyMeetingPayload: fields(viaParent, ['meeting', 'replayed']),
  FamilyPlanPayload: fields(viaParent, ['plan', 'replayed']),
  CloseEarlyHelpEpisodePayload: fields(viaParent, ['episode', 'replayed']),
};

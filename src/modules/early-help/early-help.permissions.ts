import { canAny, canOrAgreed, fields } from '../../shared/authz/rules';

const read = canOrAgreed('earlyhelp:read');

export const earlyHelpRules = {
  Query: { earlyHelpEpisode: canAny('earlyhelp:read', 'earlyhelp:shared') },
  EarlyHelpEpisode: fields(read, [
    'id', 'familyId', 'primaryChildId', 'status', 'requestedAt', 'requestedOn', 'requesterName', 'requesterRole', 'requesterAgency',
    'reason', 'needs', 'providerId', 'leadPractitionerId', 'workStartedOn', 'closedOn', 'outcome', 'closureSummary', 'closureProgress',
    'steppedDownFromEpisodeId', 'steppedDownAssessmentId', 'version', 'children', 'family', 'leadPractitioner',
  ]),
  NeedProgress: fields(read, ['need', 'rating', 'comment']),
};

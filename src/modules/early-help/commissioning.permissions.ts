import { can, canAny, canOrAgreed, canSubmit, connection, fields, viaParent } from '../../shared/authz/rules';

/** Early help records: council early help (and social workers in scope), or provider staff for the fields they agreed. */
const read = canOrAgreed('earlyhelp:read');
const consent = canAny('earlyhelp:request', 'earlyhelp:commission');

export const commissioningRules = {
  Query: { earlyHelpWaitingList: canAny('earlyhelp:all', 'earlyhelp:shared') },
  Mutation: {
    requestEarlyHelp: can('earlyhelp:request'),
    recordEarlyHelpConsent: consent,
    withdrawEarlyHelpConsent: consent,
    raiseEarlyHelpConcern: canSubmit('earlyhelp:record'),
    commissionEarlyHelp: can('earlyhelp:commission'),
    acceptEarlyHelpReferral: canSubmit('earlyhelp:decide'),
    declineEarlyHelpReferral: canSubmit('earlyhelp:decide'),
  },
  EarlyHelpEpisode: fields(read, ['consents', 'providerReferrals', 'concerns', 'provider']),
  Child: { earlyHelpEpisodes: read },
  EarlyHelpConsent: fields(read, [
    'id', 'episodeId', 'kind', 'givenBy', 'relationship', 'givenOn', 'scope', 'withdrawnOn', 'withdrawnBy', 'withdrawalReason', 'version',
  ]),
  EarlyHelpReferral: fields(read, [
    'id', 'episodeId', 'providerId', 'contractId', 'status', 'offeredAt', 'commissioningNote', 'decidedAt', 'decidedById', 'declineReason',
    'closedOn', 'version', 'provider',
  ]),
  EarlyHelpConcern: fields(read, ['id', 'episodeId', 'raisedAt', 'safeguarding', 'description', 'needsAdded', 'version']),
  EarlyHelpWaitingEntry: fields(read, ['episode', 'daysWaiting', 'needsRetriage', 'retriageReasons', 'provider', 'providerCapacity']),
  // Payloads of guarded mutations: their records carry their own field rules.
  RaiseEarlyHelpConcernPayload: fields(viaParent, ['concern', 'replayed']),
  EarlyHelpReferralDecisionPayload: fields(viaParent, ['referral', 'episode', 'replayed']),
  ...connection('EarlyHelpWaitingEntry'),
};

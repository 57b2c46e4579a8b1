import { can, fields } from '../../shared/authz/rules';

export const stepRules = {
  Mutation: { stepUpToSocialCare: can('earlyhelp:stepUp'), stepDownToEarlyHelp: can('earlyhelp:stepDown') },
  StepUpToSocialCarePayload: fields(can('earlyhelp:stepUp'), ['earlyHelpEpisode', 'referrals']),
  StepDownToEarlyHelpPayload: fields(can('earlyhelp:stepDown'), ['episode', 'earlyHelpEpisode']),
  // Social care records: never shared with providers (not in the shareable vocabulary).
  EarlyHelpEpisode: {
    steppedDownFromEpisode: can('child:read'),
    steppedDownAssessment: can('child:read'),
    steppedUpReferrals: can('referral:read'),
  },
  Referral: { earlyHelpEpisode: can('referral:read') },
};

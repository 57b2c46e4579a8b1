import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';
import {
  ChildEarlyHelpResolver, CommissioningResolver, EarlyHelpEpisodeCommissioningResolver, EarlyHelpReferralResolver,
  EarlyHelpWaitingEntryResolver,
} from './commissioning.resolver';
import { commissioningRules } from './commissioning.permissions';

export const commissioningArea: HavenModule<Services> = {
  resolvers: [
    CommissioningResolver, EarlyHelpEpisodeCommissioningResolver, EarlyHelpReferralResolver, EarlyHelpWaitingEntryResolver,
    ChildEarlyHelpResolver,
  ],
  instances: (s) => [
    new CommissioningResolver(s.commissioning), new EarlyHelpEpisodeCommissioningResolver(), new EarlyHelpReferralResolver(),
    new EarlyHelpWaitingEntryResolver(s.calendar), new ChildEarlyHelpResolver(),
  ],
  rules: commissioningRules,
};

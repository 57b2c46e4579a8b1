import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';
import { ReferralEarlyHelpResolver, StepEpisodeResolver, StepResolver } from './step.resolver';
import { stepRules } from './step.permissions';

/** Step-up to social care and step-down to early help, and the links between the two sides of the record. */
export const stepArea: HavenModule<Services> = {
  resolvers: [StepResolver, StepEpisodeResolver, ReferralEarlyHelpResolver],
  instances: (s) => [new StepResolver(s.step), new StepEpisodeResolver(), new ReferralEarlyHelpResolver()],
  rules: stepRules,
};

import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';
import { EarlyHelpWorkResolver } from './work.resolver';
import { workRules } from './work.permissions';

/** The early help work: assessment, team around the family, family plan and reviews, closure. */
export const workArea: HavenModule<Services> = {
  resolvers: [EarlyHelpWorkResolver],
  instances: (s) => [new EarlyHelpWorkResolver(s.work)],
  rules: workRules,
};

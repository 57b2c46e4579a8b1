import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';
import { CinCensusResolver } from './cin-census.resolver';
import { cinCensusRules } from './cin-census.permissions';
import { ChildReturnIssuesResolver } from './returns.resolver';
import { returnIssuesRules } from './returns.permissions';

export const cinCensusModule: HavenModule<Services> = {
  resolvers: [CinCensusResolver, ChildReturnIssuesResolver],
  instances: (s) => [new CinCensusResolver(s.cinCensus), new ChildReturnIssuesResolver(s.cinCensus)],
  rules: { ...cinCensusRules, ...returnIssuesRules },
};

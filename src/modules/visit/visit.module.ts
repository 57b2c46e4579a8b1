import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';
import { ChildVisitResolver, VisitResolver } from './visit.resolver';
import { visitRules } from './visit.permissions';

export const visitModule: HavenModule<Services> = {
  resolvers: [VisitResolver, ChildVisitResolver],
  instances: (s) => [new VisitResolver(s.visit), new ChildVisitResolver(s.visit)],
  rules: visitRules,
};

import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';
import {
  ChildOversightResolver, ManagementDecisionResolver, SupervisionEntryResolver, SupervisionResolver,
} from './supervision.resolver';
import { supervisionRules } from './supervision.permissions';

export const supervisionModule: HavenModule<Services> = {
  resolvers: [SupervisionResolver, SupervisionEntryResolver, ManagementDecisionResolver, ChildOversightResolver],
  instances: (s) => [
    new SupervisionResolver(s.supervision),
    new SupervisionEntryResolver(),
    new ManagementDecisionResolver(s.supervision),
    new ChildOversightResolver(),
  ],
  rules: supervisionRules,
};

import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';
import {
  ChildProtectionChildResolver, ConferenceResolver, Section47Resolver, StrategyDiscussionResolver,
} from './child-protection.resolver';
import { childProtectionRules } from './child-protection.permissions';

export const childProtectionModule: HavenModule<Services> = {
  resolvers: [StrategyDiscussionResolver, Section47Resolver, ConferenceResolver, ChildProtectionChildResolver],
  instances: (s) => [
    new StrategyDiscussionResolver(s.childProtection),
    new Section47Resolver(s.childProtection, s.calendar),
    new ConferenceResolver(s.childProtection),
    new ChildProtectionChildResolver(),
  ],
  rules: childProtectionRules,
};

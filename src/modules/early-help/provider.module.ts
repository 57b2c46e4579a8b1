import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';
import { ProviderResolver } from './provider.resolver';
import { providerRules } from './provider.permissions';

export const providerArea: HavenModule<Services> = {
  resolvers: [ProviderResolver],
  instances: (s) => [new ProviderResolver(s.providers, s.calendar)],
  rules: providerRules,
};

import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';

export const providerArea: HavenModule<Services> = {
  resolvers: [],
  instances: () => [],
  rules: {},
};

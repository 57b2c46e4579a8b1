import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';

export const planModule: HavenModule<Services> = {
  resolvers: [],
  instances: () => [],
  rules: {},
};

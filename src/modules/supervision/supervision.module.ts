import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';

export const supervisionModule: HavenModule<Services> = {
  resolvers: [],
  instances: () => [],
  rules: {},
};

import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';

export const annexAModule: HavenModule<Services> = {
  resolvers: [],
  instances: () => [],
  rules: {},
};

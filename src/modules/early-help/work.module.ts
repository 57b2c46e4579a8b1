import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';

export const workArea: HavenModule<Services> = {
  resolvers: [],
  instances: () => [],
  rules: {},
};

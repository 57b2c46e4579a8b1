import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';

export const visitModule: HavenModule<Services> = {
  resolvers: [],
  instances: () => [],
  rules: {},
};

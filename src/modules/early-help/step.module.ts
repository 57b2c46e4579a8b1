import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';

export const stepArea: HavenModule<Services> = {
  resolvers: [],
  instances: () => [],
  rules: {},
};

import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';

export const assessmentModule: HavenModule<Services> = {
  resolvers: [],
  instances: () => [],
  rules: {},
};

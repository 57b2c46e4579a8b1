import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';

export const reportingModule: HavenModule<Services> = {
  resolvers: [],
  instances: () => [],
  rules: {},
};

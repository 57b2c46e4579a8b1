import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';

export const commissioningArea: HavenModule<Services> = {
  resolvers: [],
  instances: () => [],
  rules: {},
};

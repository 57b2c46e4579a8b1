import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';

export const childProtectionModule: HavenModule<Services> = {
  resolvers: [],
  instances: () => [],
  rules: {},
};

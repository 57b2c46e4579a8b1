import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';

export const cinCensusModule: HavenModule<Services> = {
  resolvers: [],
  instances: () => [],
  rules: {},
};

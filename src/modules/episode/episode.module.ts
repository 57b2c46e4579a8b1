import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';

export const episodeModule: HavenModule<Services> = {
  resolvers: [],
  instances: () => [],
  rules: {},
};

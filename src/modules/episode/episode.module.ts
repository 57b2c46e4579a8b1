import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';
import { ChildEpisodesResolver, EpisodeResolver } from './episode.resolver';
import { episodeRules } from './episode.permissions';

export const episodeModule: HavenModule<Services> = {
  resolvers: [EpisodeResolver, ChildEpisodesResolver],
  instances: (s) => [new EpisodeResolver(s.episode), new ChildEpisodesResolver()],
  rules: episodeRules,
};

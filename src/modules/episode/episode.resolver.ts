import { Arg, Ctx as GqlCtx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import { ChildType } from '../child/child.types';
import type { Child } from '../child/child.entity';
import type { Episode } from './episode.entity';
import { EpisodeService } from './episode.service';
import { CloseEpisodeInput, EpisodeType } from './episode.types';

@Resolver(() => EpisodeType)
export class EpisodeResolver {
  constructor(private readonly episodes: EpisodeService) {}

  @Mutation(() => EpisodeType, { description: 'Close an episode of need with a date and a reason (RC1-RC9) once no work is open.' })
  async closeEpisode(@Arg('input') input: CloseEpisodeInput, @GqlCtx() ctx: Ctx) {
    const episode = await this.episodes.closeEpisode(actorOf(ctx), input);
    ctx.loaders.episodesByChildId.clear(episode.childId);
    return episode;
  }

  @FieldResolver(() => Boolean, { description: 'No closure date yet.' })
  open(@Root() episode: Episode): boolean {
    return episode.closureDate === null;
  }
}

/** `Child.episodes`, contributed by this module. */
@Resolver(() => ChildType)
export class ChildEpisodesResolver {
  @FieldResolver(() => [EpisodeType], { description: 'Episodes of need, newest first.' })
  episodes(@Root() child: Child, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.episodesByChildId.load(child.id);
  }
}

import { Args, Ctx as GqlCtx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Ctx } from '../../context';
import { notFound } from '../../shared/errors';
import { ChildType } from '../child/child.types';
import { FamilyType } from '../family/family.types';
import { WorkerType } from '../front-door/front-door.types';
import type { EarlyHelpEpisode } from './early-help.entity';
import { EarlyHelpEpisodeArgs, EarlyHelpEpisodeType } from './early-help.types';

@Resolver(() => EarlyHelpEpisodeType)
export class EarlyHelpEpisodeResolver {
  @Query(() => EarlyHelpEpisodeType, {
    nullable: true,
    description: 'An early help episode, or NOT_FOUND when it does not exist or may not be seen (indistinguishable).',
  })
  async earlyHelpEpisode(@Args() { id }: EarlyHelpEpisodeArgs, @GqlCtx() ctx: Ctx) {
    const episode = await ctx.loaders.earlyHelpEpisodeById.load(id);
    if (!episode) {
      await ctx.recordDenial({ action: 'earlyHelpEpisode.viewed', entity: 'early_help_episode', entityId: id });
      throw notFound();
    }
    return episode;
  }

  @FieldResolver(() => [ChildType], { description: 'The children the episode is about (those whose record the actor may read).' })
  async children(@Root() e: EarlyHelpEpisode, @GqlCtx() ctx: Ctx) {
    const ids = await ctx.loaders.earlyHelpChildIdsByEpisodeId.load(e.id);
    return (await ctx.loaders.childById.loadMany(ids)).filter((c) => c && !(c instanceof Error));
  }

  @FieldResolver(() => FamilyType, { nullable: true })
  family(@Root() e: EarlyHelpEpisode, @GqlCtx() ctx: Ctx) {
    return e.familyId ? ctx.loaders.familyById.load(e.familyId) : null;
  }

  @FieldResolver(() => WorkerType, { nullable: true, description: 'The lead practitioner (council or provider staff).' })
  leadPractitioner(@Root() e: EarlyHelpEpisode, @GqlCtx() ctx: Ctx) {
    return e.leadPractitionerId ? ctx.loaders.workerById.load(e.leadPractitionerId) : null;
  }
}

import { Ctx as GqlCtx, Query, Resolver } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import { MeType } from './identity.types';

@Resolver(() => MeType)
export class IdentityResolver {
  @Query(() => MeType)
  async me(@GqlCtx() ctx: Ctx): Promise<MeType> {
    const a = actorOf(ctx);
    return {
      id: a.id,
      email: a.email,
      displayName: a.displayName,
      roles: a.roles,
      permissions: [...a.permissions].sort(),
      teamId: a.teamId,
      providerId: a.providerId,
      newlyQualified: a.newlyQualified,
      team: a.teamId ? await ctx.loaders.teamById.load(a.teamId) : null,
    };
  }
}

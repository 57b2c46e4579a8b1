import { Arg, Ctx as GqlCtx, Mutation, Resolver } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import { RestrictionService } from './restriction.service';
import { BreakGlassGrantType, BreakGlassInput, RestrictionType, RestrictRecordInput } from './restriction.types';

@Resolver()
export class RestrictionResolver {
  constructor(private readonly restrictions: RestrictionService) {}

  @Mutation(() => RestrictionType, { description: 'Restrict a child or family to named people, or lift the restriction.' })
  restrictRecord(@Arg('input') input: RestrictRecordInput, @GqlCtx() ctx: Ctx) {
    return this.restrictions.restrict(actorOf(ctx), input);
  }

  @Mutation(() => BreakGlassGrantType, { description: 'Time-limited emergency access to a restricted child, with a reason; flagged.' })
  async breakGlass(@Arg('input') input: BreakGlassInput, @GqlCtx() ctx: Ctx) {
    const grant = await this.restrictions.breakGlass(actorOf(ctx), input);
    ctx.loaders.childById.clear(input.childId);
    return grant;
  }
}

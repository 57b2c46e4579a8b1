import { Arg, Args, Ctx as GqlCtx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import { notFound } from '../../shared/errors';
import { PageArgs } from '../../shared/graphql/pagination';
import { FamilyType } from '../family/family.types';
import { AllocationType, ContactType, ReferralType } from '../front-door/front-door.types';
import type { Child } from './child.entity';
import { ChildService } from './child.service';
import {
  ChildArgs, ChildSearchInput, ChildSummaryConnection, ChildType, CreateChildInput, CreateChildPayload, UpdateChildInput,
} from './child.types';

@Resolver(() => ChildType)
export class ChildResolver {
  constructor(private readonly childService: ChildService) {}

  @Query(() => ChildType, { nullable: true, description: 'A child, or NOT_FOUND when it does not exist or may not be seen.' })
  async child(@Args() { id }: ChildArgs, @GqlCtx() ctx: Ctx) {
    const child = await ctx.loaders.childById.load(id);
    if (!child) {
      await this.childService.recordDenied(actorOf(ctx), id);
      throw notFound();
    }
    return child;
  }

  @Query(() => ChildSummaryConnection, { description: 'Find children by name (spelling-tolerant), date of birth or identifier.' })
  children(@Arg('search') search: ChildSearchInput, @Args() { first, after }: PageArgs, @GqlCtx() ctx: Ctx) {
    return this.childService.search(actorOf(ctx), search, first, after);
  }

  @Mutation(() => CreateChildPayload)
  createChild(@Arg('input') input: CreateChildInput, @GqlCtx() ctx: Ctx) {
    return this.childService.create(actorOf(ctx), input);
  }

  @Mutation(() => ChildType)
  async updateChild(@Arg('input') input: UpdateChildInput, @GqlCtx() ctx: Ctx) {
    const child = await this.childService.update(actorOf(ctx), input);
    ctx.loaders.childById.clear(child.id);
    return child;
  }

  @FieldResolver(() => [FamilyType])
  families(@Root() child: Child, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.familiesByChildId.load(child.id);
  }

  @FieldResolver(() => [ReferralType], { description: 'Newest first.' })
  referrals(@Root() child: Child, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.referralsByChildId.load(child.id);
  }

  @FieldResolver(() => [ContactType], { description: 'Newest first.' })
  contacts(@Root() child: Child, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.contactsByChildId.load(child.id);
  }

  @FieldResolver(() => AllocationType, { nullable: true })
  async currentAllocation(@Root() child: Child, @GqlCtx() ctx: Ctx) {
    const all = await ctx.loaders.allocationsByChildId.load(child.id);
    return all.find((a) => a.endedAt === null) ?? null;
  }

  @FieldResolver(() => [AllocationType], { description: 'Every allocation, newest first.' })
  allocationHistory(@Root() child: Child, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.allocationsByChildId.load(child.id);
  }
}

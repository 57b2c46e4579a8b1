import { Arg, Args, Ctx as GqlCtx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import { notFound } from '../../shared/errors';
import { ChildType } from '../child/child.types';
import type { Family, FamilyMember } from './family.entity';
import { FamilyService } from './family.service';
import { AddFamilyMemberInput, CreateFamilyInput, FamilyArgs, FamilyMemberType, FamilyType } from './family.types';

@Resolver(() => FamilyType)
export class FamilyResolver {
  constructor(private readonly families: FamilyService) {}

  @Query(() => FamilyType, { nullable: true })
  async family(@Args() { id }: FamilyArgs, @GqlCtx() ctx: Ctx) {
    const family = await ctx.loaders.familyById.load(id);
    if (!family) {
      await ctx.recordDenial({ action: 'family.viewed', entity: 'family', entityId: id });
      throw notFound();
    }
    return family;
  }

  @Mutation(() => FamilyType)
  createFamily(@Arg('input') input: CreateFamilyInput, @GqlCtx() ctx: Ctx) {
    return this.families.create(actorOf(ctx), input);
  }

  @Mutation(() => FamilyType)
  addFamilyMember(@Arg('input') input: AddFamilyMemberInput, @GqlCtx() ctx: Ctx) {
    return this.families.addMember(actorOf(ctx), input);
  }

  @FieldResolver(() => [FamilyMemberType])
  members(@Root() family: Family, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.membersByFamilyId.load(family.id);
  }
}

@Resolver(() => FamilyMemberType)
export class FamilyMemberResolver {
  @FieldResolver(() => ChildType, { nullable: true, description: "The child's full record, when the actor may see it." })
  child(@Root() member: FamilyMember, @GqlCtx() ctx: Ctx) {
    return member.childId ? ctx.loaders.childById.load(member.childId) : null;
  }
}

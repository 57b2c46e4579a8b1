import { Arg, Args, Ctx as GqlCtx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import { notFound } from '../../shared/errors';
import { londonDate } from '../../shared/clock/calendar';
import type { CalendarService } from '../calendar/calendar.service';
import { ChildType } from '../child/child.types';
import type { Allocation, Referral } from './front-door.entity';
import { FrontDoorService } from './front-door.service';
import {
  AllocateCaseInput, AllocationType, ContactType, CreateReferralInput, DecideReferralInput, DecisionTimeliness, RecordContactInput,
  ReferralArgs, ReferralType, TeamType, WorkerType,
} from './front-door.types';

@Resolver(() => ReferralType)
export class ReferralResolver {
  constructor(
    private readonly frontDoor: FrontDoorService,
    private readonly calendar: CalendarService,
  ) {}

  @Query(() => ReferralType, { nullable: true })
  async referral(@Args() { id }: ReferralArgs, @GqlCtx() ctx: Ctx) {
    const referral = await ctx.loaders.referralById.load(id);
    if (!referral) {
      await ctx.recordDenial({ action: 'referral.viewed', entity: 'referral', entityId: id });
      throw notFound();
    }
    return referral;
  }

  @Mutation(() => ContactType)
  recordContact(@Arg('input') input: RecordContactInput, @GqlCtx() ctx: Ctx) {
    return this.frontDoor.recordContact(actorOf(ctx), input);
  }

  @Mutation(() => ReferralType)
  createReferral(@Arg('input') input: CreateReferralInput, @GqlCtx() ctx: Ctx) {
    return this.frontDoor.createReferral(actorOf(ctx), input);
  }

  @Mutation(() => ReferralType)
  decideReferral(@Arg('input') input: DecideReferralInput, @GqlCtx() ctx: Ctx) {
    return this.frontDoor.decideReferral(actorOf(ctx), input);
  }

  @FieldResolver(() => ChildType, { nullable: true })
  child(@Root() referral: Referral, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.childById.load(referral.childId);
  }

  @FieldResolver(() => WorkerType, { nullable: true })
  decidedBy(@Root() referral: Referral, @GqlCtx() ctx: Ctx) {
    return referral.decidedById ? ctx.loaders.workerById.load(referral.decidedById) : null;
  }

  @FieldResolver(() => DecisionTimeliness, { description: 'Decided within 1 working day of receipt, or not.' })
  decisionTimeliness(@Root() r: Referral): DecisionTimeliness {
    if (r.decidedAt) {
      return londonDate(r.decidedAt) <= r.decisionDueOn ? DecisionTimeliness.ON_TIME : DecisionTimeliness.LATE;
    }
    return this.calendar.today() > r.decisionDueOn ? DecisionTimeliness.OVERDUE : DecisionTimeliness.AWAITING;
  }
}

@Resolver(() => AllocationType)
export class AllocationResolver {
  constructor(private readonly frontDoor: FrontDoorService) {}

  @Mutation(() => AllocationType)
  allocateCase(@Arg('input') input: AllocateCaseInput, @GqlCtx() ctx: Ctx) {
    return this.frontDoor.allocateCase(actorOf(ctx), input);
  }

  @FieldResolver(() => TeamType)
  team(@Root() a: Allocation, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.teamById.load(a.teamId);
  }

  @FieldResolver(() => WorkerType, { nullable: true })
  worker(@Root() a: Allocation, @GqlCtx() ctx: Ctx) {
    return a.workerId ? ctx.loaders.workerById.load(a.workerId) : null;
  }
}

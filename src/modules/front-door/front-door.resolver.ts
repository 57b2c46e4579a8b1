import { Arg, Args, Ctx as GqlCtx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import { notFound } from '../../shared/errors';
import { londonDate } from '../../shared/clock/calendar';
import { PageArgs } from '../../shared/graphql/pagination';
import type { CalendarService } from '../calendar/calendar.service';
import { ChildType } from '../child/child.types';
import type { Allocation, Referral } from './front-door.entity';
import { FrontDoorService } from './front-door.service';
import {
  AllocateCaseInput, AllocationType, CaseloadConnection, CaseloadItemType, ContactType, CreateReferralInput, DecideReferralInput,
  DecisionTimeliness, DueItemType, DueKind, DueStatus, RecordContactInput, ReferralArgs, ReferralType, TeamCaseloadArgs, TeamType,
  WorkerType,
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

@Resolver(() => CaseloadItemType)
export class CaseloadResolver {
  constructor(
    private readonly frontDoor: FrontDoorService,
    private readonly calendar: CalendarService,
  ) {}

  @Query(() => CaseloadConnection, { description: 'Children allocated to me, most urgent first.' })
  myCaseload(@Args() { first, after }: PageArgs, @GqlCtx() ctx: Ctx) {
    const actor = actorOf(ctx);
    return this.frontDoor.caseload(actor, { workerId: actor.id }, first, after);
  }

  @Query(() => CaseloadConnection, { description: "A team's children, most urgent first (managers)." })
  teamCaseload(@Args() { teamId }: TeamCaseloadArgs, @Args() { first, after }: PageArgs, @GqlCtx() ctx: Ctx) {
    return this.frontDoor.caseload(actorOf(ctx), { teamId }, first, after);
  }

  @FieldResolver(() => ChildType, { nullable: true })
  child(@Root() item: CaseloadItemType, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.childById.load(item.childId);
  }

  @FieldResolver(() => [DueItemType], { description: 'Everything due and overdue on the case, most urgent first.' })
  async due(@Root() item: CaseloadItemType, @GqlCtx() ctx: Ctx): Promise<DueItemType[]> {
    const today = this.calendar.today();
    const referrals = await ctx.loaders.referralsByChildId.load(item.childId);
    return referrals
      .filter((r) => r.decision === null)
      .map((r) => {
        const overdueBy = today > r.decisionDueOn ? this.calendar.workingDaysBetween(r.decisionDueOn, today) : 0;
        const status = today > r.decisionDueOn ? DueStatus.OVERDUE : today === r.decisionDueOn ? DueStatus.DUE_TODAY : DueStatus.UPCOMING;
        return { kind: DueKind.REFERRAL_DECISION, recordId: r.id, dueOn: r.decisionDueOn, status, workingDaysOverdue: overdueBy };
      })
      .sort((a, b) => a.dueOn.localeCompare(b.dueOn));
  }
}

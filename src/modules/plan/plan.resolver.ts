import { Arg, Args, Ctx as GqlCtx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import { notFound } from '../../shared/errors';
import { Urgency } from '../../shared/graphql/enums';
import type { CalendarService } from '../calendar/calendar.service';
import { ChildType } from '../child/child.types';
import type { Child } from '../child/child.entity';
import { WorkerType } from '../front-door/front-door.types';
import { PlanType, type Plan, type PlanReview } from './plan.entity';
import { PlanService } from './plan.service';
import * as rules from './plan.rules';
import {
  EndPlanInput, PlanActionType, PlanArgs, PlanOutcomeType, PlanRecordType, PlanReviewType, ReviewPlanInput, StartPlanInput,
  UpdatePlanInput,
} from './plan.types';

@Resolver(() => PlanRecordType)
export class PlanResolver {
  constructor(
    private readonly plans: PlanService,
    private readonly calendar: CalendarService,
  ) {}

  @Query(() => PlanRecordType, { nullable: true, description: 'A plan, or NOT_FOUND when it does not exist or may not be seen.' })
  async plan(@Args() { id }: PlanArgs, @GqlCtx() ctx: Ctx) {
    const plan = await ctx.loaders.planById.load(id);
    if (!plan) {
      await ctx.recordDenial({ action: 'plan.viewed', entity: 'plan', entityId: id });
      throw notFound();
    }
    return plan;
  }

  @Mutation(() => PlanRecordType, { description: 'Start a child in need plan (needs an open episode; not while a CP plan is active).' })
  startPlan(@Arg('input') input: StartPlanInput, @GqlCtx() ctx: Ctx) {
    return this.plans.startPlan(actorOf(ctx), input);
  }

  @Mutation(() => PlanRecordType, { description: 'Change what the plan says; the previous version is kept.' })
  updatePlan(@Arg('input') input: UpdatePlanInput, @GqlCtx() ctx: Ctx) {
    return this.plans.updatePlan(actorOf(ctx), input);
  }

  @Mutation(() => PlanRecordType, { description: 'Review a CIN or early help plan: progress on every outcome and a decision.' })
  reviewPlan(@Arg('input') input: ReviewPlanInput, @GqlCtx() ctx: Ctx) {
    return this.plans.reviewPlan(actorOf(ctx), input);
  }

  @Mutation(() => PlanRecordType, { description: 'End a CIN or early help plan (a CP plan ends at a review conference).' })
  endPlan(@Arg('input') input: EndPlanInput, @GqlCtx() ctx: Ctx) {
    return this.plans.endPlan(actorOf(ctx), input);
  }

  @FieldResolver(() => [PlanOutcomeType], { description: 'The current outcomes, in order.' })
  outcomes(@Root() plan: Plan, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.currentOutcomesByPlan.load(plan);
  }

  @FieldResolver(() => [PlanActionType], { description: 'The current actions.' })
  actions(@Root() plan: Plan, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.currentActionsByPlan.load(plan);
  }

  @FieldResolver(() => [PlanReviewType], { description: 'Newest first.' })
  reviews(@Root() plan: Plan, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.reviewsByPlan.load(plan);
  }

  @FieldResolver(() => Int, { description: 'Calendar days from the start to the end (or to today while active).' })
  durationDays(@Root() plan: Plan) {
    return rules.durationDays(plan, this.calendar.today());
  }

  @FieldResolver(() => Boolean, { description: 'Active or ended, and running more than 2 years.' })
  over2Years(@Root() plan: Plan) {
    return rules.over2Years(plan, this.calendar.today());
  }

  @FieldResolver(() => Int, { nullable: true, description: 'CP plans: how many CP plans of the child ended before this one started.' })
  async previousCpPlans(@Root() plan: Plan, @GqlCtx() ctx: Ctx) {
    if (plan.type !== PlanType.CHILD_PROTECTION) return null;
    return rules.previousCpPlans(plan, await ctx.loaders.plansByChildId.load(plan.childId)).length;
  }

  @FieldResolver(() => Boolean, { nullable: true, description: 'CP plans: a previous CP plan ended within 2 years before this one started.' })
  async repeatWithin2Years(@Root() plan: Plan, @GqlCtx() ctx: Ctx) {
    if (plan.type !== PlanType.CHILD_PROTECTION) return null;
    return rules.repeatWithin2Years(plan, await ctx.loaders.plansByChildId.load(plan.childId));
  }

  @FieldResolver(() => Urgency, { nullable: true, description: 'How urgent the next review is, while the plan is active.' })
  reviewStatus(@Root() plan: Plan) {
    return rules.reviewStatus(this.calendar, plan, this.calendar.today());
  }
}

@Resolver(() => PlanReviewType)
export class PlanReviewResolver {
  @FieldResolver(() => Boolean, { nullable: true, description: 'Held on or before the date it was due.' })
  onTime(@Root() review: PlanReview) {
    return review.dueBy ? review.heldOn <= review.dueBy : null;
  }

  @FieldResolver(() => WorkerType, { nullable: true })
  reviewer(@Root() review: PlanReview, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.workerById.load(review.reviewerId);
  }
}

@Resolver(() => ChildType)
export class ChildPlansResolver {
  @FieldResolver(() => [PlanRecordType], { description: "The child's plans, newest first." })
  plans(@Root() child: Child, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.plansByChildId.load(child.id);
  }

  @FieldResolver(() => PlanRecordType, {
    nullable: true,
    description: 'The active plan that governs the case: child protection, then child in need, then early help (the latest started).',
  })
  currentPlan(@Root() child: Child, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.currentPlanByChildId.load(child.id);
  }
}

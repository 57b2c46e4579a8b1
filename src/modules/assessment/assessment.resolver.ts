import { Arg, Args, Ctx as GqlCtx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import { notFound } from '../../shared/errors';
import { isLate, TIMESCALES, urgencyOf } from '../../shared/clock/timescales';
import { Urgency } from '../../shared/graphql/enums';
import type { CalendarService } from '../calendar/calendar.service';
import { ChildType } from '../child/child.types';
import type { Child } from '../child/child.entity';
import { WorkerType } from '../front-door/front-door.types';
import { AssessmentStatus } from './assessment.entity';
import { AssessmentService } from './assessment.service';
import type { AssessmentRow } from './assessment.service';
import {
  AssessmentArgs, AssessmentType, AuthoriseAssessmentInput, CompleteAssessmentInput, StartAssessmentInput,
} from './assessment.types';

@Resolver(() => AssessmentType)
export class AssessmentResolver {
  constructor(
    private readonly assessments: AssessmentService,
    private readonly calendar: CalendarService,
  ) {}

  @Query(() => AssessmentType, { nullable: true, description: 'An assessment, or NOT_FOUND when it does not exist or may not be seen.' })
  async assessment(@Args() { id }: AssessmentArgs, @GqlCtx() ctx: Ctx) {
    const assessment = await ctx.loaders.assessmentById.load(id);
    if (!assessment) {
      await ctx.recordDenial({ action: 'assessment.viewed', entity: 'assessment', entityId: id });
      throw notFound();
    }
    return assessment;
  }

  @Mutation(() => AssessmentType, { description: "Start a child and family assessment in the child's open episode of need." })
  async startAssessment(@Arg('input') input: StartAssessmentInput, @GqlCtx() ctx: Ctx) {
    return this.changed(ctx, await this.assessments.start(actorOf(ctx), input));
  }

  @Mutation(() => AssessmentType, { description: 'Record the analysis, factors and outcome; a late completion needs a reason.' })
  async completeAssessment(@Arg('input') input: CompleteAssessmentInput, @GqlCtx() ctx: Ctx) {
    return this.changed(ctx, await this.assessments.complete(actorOf(ctx), input));
  }

  @Mutation(() => AssessmentType, {
    description: 'Manager sign-off. A CLOSE outcome closes the episode with RC8, EARLY_HELP with RC9 (step-down).',
  })
  async authoriseAssessment(@Arg('input') input: AuthoriseAssessmentInput, @GqlCtx() ctx: Ctx) {
    return this.changed(ctx, await this.assessments.authorise(actorOf(ctx), input));
  }

  @FieldResolver(() => Urgency, { nullable: true, description: 'How urgent while in progress; null once completed.' })
  dueStatus(@Root() a: AssessmentRow): Urgency | null {
    if (a.status !== AssessmentStatus.IN_PROGRESS) return null;
    // urgencyOf only counts working days between dates, which the calendar service does over the bank holiday table.
    return urgencyOf(this.calendar, a.dueDate, this.calendar.today());
  }

  @FieldResolver(() => Boolean, { nullable: true, description: 'Completed after the due date (null until completed).' })
  completedLate(@Root() a: AssessmentRow): boolean | null {
    return a.completedDate ? isLate(a.dueDate, a.completedDate) : null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Working days from the referral date to completion (null until completed).' })
  workingDaysTaken(@Root() a: AssessmentRow): number | null {
    // From the prompting referral (due date less 45 working days) to completion: 45 minus what was left at completion.
    return a.completedDate ? TIMESCALES.assessmentWorkingDays - this.calendar.workingDaysBetween(a.completedDate, a.dueDate) : null;
  }

  @FieldResolver(() => WorkerType, { nullable: true })
  authorisedBy(@Root() a: AssessmentRow, @GqlCtx() ctx: Ctx) {
    return a.authorisedById ? ctx.loaders.workerById.load(a.authorisedById) : null;
  }

  private changed(ctx: Ctx, a: AssessmentRow): AssessmentRow {
    ctx.loaders.assessmentsByChildId.clear(a.childId);
    ctx.loaders.episodesByChildId.clear(a.childId);
    return a;
  }
}

/** `Child.assessments`, contributed by this module. */
@Resolver(() => ChildType)
export class ChildAssessmentsResolver {
  @FieldResolver(() => [AssessmentType], { description: 'Child and family assessments, newest first.' })
  assessments(@Root() child: Child, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.assessmentsByChildId.load(child.id);
  }
}

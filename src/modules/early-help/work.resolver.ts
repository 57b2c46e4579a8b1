import { Arg, Ctx as GqlCtx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import { LocalDate } from '../../shared/graphql/scalars';
import { PlanRecordType } from '../plan';
import type { EarlyHelpEpisode } from './early-help.entity';
import { EarlyHelpEpisodeType } from './early-help.types';
import type { EarlyHelpWorkService } from './work.service';
import {
  CloseEarlyHelpEpisodeInput, CloseEarlyHelpEpisodePayload, EarlyHelpAssessmentType, FamilyPlanPayload, RecordTeamAroundFamilyMeetingInput,
  RecordTeamAroundFamilyMeetingPayload, ReviewFamilyPlanInput, StartFamilyPlanInput, SubmitEarlyHelpAssessmentInput,
  SubmitEarlyHelpAssessmentPayload, TeamAroundFamilyMeetingType,
} from './work.types';

/** The early help work: the provider's (or the council's) submissions, and the episode's work relations. */
@Resolver(() => EarlyHelpEpisodeType)
export class EarlyHelpWorkResolver {
  constructor(private readonly work: EarlyHelpWorkService) {}

  @Mutation(() => SubmitEarlyHelpAssessmentPayload, {
    description: 'Submit (or, with assessmentId and expectedVersion, change) the early help assessment. The reason is required.',
  })
  async submitEarlyHelpAssessment(@Arg('input') input: SubmitEarlyHelpAssessmentInput, @GqlCtx() ctx: Ctx) {
    const { value, replayed } = await this.work.submitAssessment(actorOf(ctx), input);
    return { assessment: value, replayed };
  }

  @Mutation(() => RecordTeamAroundFamilyMeetingPayload, { description: 'Record a team-around-the-family meeting.' })
  async recordTeamAroundFamilyMeeting(@Arg('input') input: RecordTeamAroundFamilyMeetingInput, @GqlCtx() ctx: Ctx) {
    const { value, replayed } = await this.work.recordMeeting(actorOf(ctx), input);
    return { meeting: value, replayed };
  }

  @Mutation(() => FamilyPlanPayload, { description: 'Start the family plan of an early help episode (on its primary child).' })
  async startFamilyPlan(@Arg('input') input: StartFamilyPlanInput, @GqlCtx() ctx: Ctx) {
    const { value, replayed } = await this.work.startFamilyPlan(actorOf(ctx), input);
    return { plan: value, replayed };
  }

  @Mutation(() => FamilyPlanPayload, { description: 'Review the family plan: progress on every outcome and a decision.' })
  async reviewFamilyPlan(@Arg('input') input: ReviewFamilyPlanInput, @GqlCtx() ctx: Ctx) {
    const { value, replayed } = await this.work.reviewFamilyPlan(actorOf(ctx), input);
    return { plan: value, replayed };
  }

  @Mutation(() => CloseEarlyHelpEpisodePayload, {
    description: 'Close early help with an outcome and progress on each need; the provider’s referral and access end.',
  })
  async closeEarlyHelpEpisode(@Arg('input') input: CloseEarlyHelpEpisodeInput, @GqlCtx() ctx: Ctx) {
    const { value, replayed } = await this.work.closeEpisode(actorOf(ctx), input);
    return { episode: value, replayed };
  }

  @FieldResolver(() => [EarlyHelpAssessmentType], { description: 'Newest first.' })
  assessments(@Root() e: EarlyHelpEpisode, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.earlyHelpAssessmentsByEpisodeId.load(e.id);
  }

  @FieldResolver(() => [TeamAroundFamilyMeetingType], { description: 'Newest first.' })
  meetings(@Root() e: EarlyHelpEpisode, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.teamAroundFamilyMeetingsByEpisodeId.load(e.id);
  }

  @FieldResolver(() => PlanRecordType, { nullable: true, description: 'The family plan (the active one, else the latest).' })
  familyPlan(@Root() e: EarlyHelpEpisode, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.familyPlanByEarlyHelpEpisodeId.load(e.id);
  }

  @FieldResolver(() => LocalDate, {
    nullable: true,
    description: 'While in work and until an assessment is completed: the working days after the start set locally.',
  })
  async assessmentDueOn(@Root() e: EarlyHelpEpisode, @GqlCtx() ctx: Ctx) {
    const [assessments, setting] = await Promise.all([
      ctx.loaders.earlyHelpAssessmentsByEpisodeId.load(e.id), ctx.loaders.earlyHelpWorkSetting.load(1),
    ]);
    return this.work.assessmentDueOn(e, assessments, setting);
  }

  @FieldResolver(() => LocalDate, {
    nullable: true,
    description: 'While in work: the next team-around-the-family meeting, the weeks set locally after the last (or the start).',
  })
  async nextMeetingDueOn(@Root() e: EarlyHelpEpisode, @GqlCtx() ctx: Ctx) {
    const [meetings, setting] = await Promise.all([
      ctx.loaders.teamAroundFamilyMeetingsByEpisodeId.load(e.id), ctx.loaders.earlyHelpWorkSetting.load(1),
    ]);
    return this.work.nextMeetingDueOn(e, meetings, setting);
  }
}

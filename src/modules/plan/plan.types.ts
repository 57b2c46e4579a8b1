import { IsId, HasText } from '../../shared/graphql/validators';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import {
  ArrayMaxSize, ArrayMinSize, IsDefined, IsIn, IsOptional, Max, Min, ValidateNested,
} from 'class-validator';
import { ActionStatus, PlanStatus, PlanType, ReviewDecision } from './plan.entity';
import { DateTime, LocalDate } from '../../shared/graphql/scalars';

registerEnumType(PlanType, { name: 'PlanType', description: 'Child in need, child protection or early help (family) plan' });
registerEnumType(PlanStatus, { name: 'PlanStatus' });
registerEnumType(ActionStatus, { name: 'PlanActionStatus' });
registerEnumType(ReviewDecision, { name: 'PlanReviewDecision' });

export enum ProgressRating {
  NOT_STARTED = 'NOT_STARTED',
  SOME_PROGRESS = 'SOME_PROGRESS',
  GOOD_PROGRESS = 'GOOD_PROGRESS',
  ACHIEVED = 'ACHIEVED',
  WORSENED = 'WORSENED',
}
registerEnumType(ProgressRating, { name: 'ProgressRating', description: 'Progress on one outcome at a review' });

/** CIN census categories of abuse (InitialCategoryOfAbuse / LatestCategoryOfAbuse). */
export enum CategoryOfAbuse {
  NEG = 'NEG',
  PHY = 'PHY',
  SAB = 'SAB',
  EMO = 'EMO',
  MUL = 'MUL',
}
registerEnumType(CategoryOfAbuse, { name: 'CategoryOfAbuse', description: 'Neglect, physical, sexual, emotional abuse, or multiple' });

@ObjectType('PlanOutcome', { description: 'What needs to change, how we will know it has, and by when.', simpleResolvers: true })
export class PlanOutcomeType {
  @Field(() => ID)
  id: string;

  @Field(() => Int)
  position: number;

  @Field()
  needToChange: string;

  @Field()
  measure: string;

  @Field(() => LocalDate)
  byWhen: string;
}

@ObjectType('PlanAction', { description: 'Who will do what by when.', simpleResolvers: true })
export class PlanActionType {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { nullable: true, description: 'The outcome the action works towards.' })
  outcomeId: string | null;

  @Field()
  who: string;

  @Field()
  what: string;

  @Field(() => LocalDate)
  byWhen: string;

  @Field(() => ActionStatus)
  status: ActionStatus;
}

@ObjectType('OutcomeProgress', { simpleResolvers: true })
export class OutcomeProgressType {
  @Field(() => ID)
  outcomeId: string;

  @Field(() => ProgressRating)
  rating: ProgressRating;

  @Field()
  comment: string;
}

@ObjectType('PlanReview', { simpleResolvers: true })
export class PlanReviewType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  planId: string;

  @Field(() => LocalDate)
  heldOn: string;

  @Field(() => [OutcomeProgressType])
  progress: OutcomeProgressType[];

  @Field(() => ReviewDecision)
  decision: ReviewDecision;

  @Field()
  summary: string;

  @Field(() => LocalDate, { nullable: true, description: 'When the review was due (the plan’s next review date at the time).' })
  dueBy: string | null;

  @Field(() => ID)
  reviewerId: string;

  @Field(() => Int)
  version: number;

  @Field(() => DateTime)
  createdAt: Date;
}

@ObjectType('Plan', { description: 'A child in need, child protection or early help plan: what must change, who does what, and the contingency.', simpleResolvers: true })
export class PlanRecordType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  childId: string;

  @Field(() => PlanType)
  type: PlanType;

  @Field(() => PlanStatus)
  status: PlanStatus;

  @Field(() => LocalDate, { description: 'CP plans: the date of the initial conference that decided the plan.' })
  startDate: string;

  @Field(() => LocalDate, { nullable: true })
  endDate: string | null;

  @Field(() => String, { nullable: true })
  endReason: string | null;

  @Field({ description: 'What will happen if the change does not happen.' })
  contingency: string;

  @Field({ description: 'The plan in plain language for the family.' })
  familySummary: string;

  @Field(() => LocalDate, { nullable: true, description: 'When the next review (CP plans: review conference) is due.' })
  nextReviewDue: string | null;

  @Field(() => CategoryOfAbuse, { nullable: true, description: 'CP plans: InitialCategoryOfAbuse.' })
  initialCategory: string | null;

  @Field(() => CategoryOfAbuse, { nullable: true, description: 'CP plans: LatestCategoryOfAbuse.' })
  latestCategory: string | null;

  @Field(() => Int)
  version: number;
}

@ArgsType()
export class PlanArgs {
  @Field(() => ID)
  @IsId()
  id: string;
}

@InputType()
export class PlanOutcomeInput {
  @Field({ description: 'What needs to change.' })
  @HasText(3, 2000)
  needToChange: string;

  @Field(() => String, { nullable: true, description: 'Required: how we will know it has changed.' })
  @IsDefined({ message: 'an outcome needs a measure' })
  @HasText(3, 2000)
  measure?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Required: by when (not before the plan starts).' })
  @IsDefined({ message: 'an outcome needs a date' })
  byWhen?: string | null;
}

@InputType()
export class PlanActionInput {
  @Field(() => Int, { nullable: true, description: 'Index (from 0) of the outcome in `outcomes` the action works towards.' })
  @IsOptional()
  @Min(0)
  @Max(49)
  outcomeIndex?: number | null;

  @Field({ description: 'Who will do it (a person or agency).' })
  @HasText(2, 200)
  who: string;

  @Field()
  @HasText(3, 2000)
  what: string;

  @Field(() => LocalDate)
  byWhen: string;
}

@InputType({ description: 'What a plan says: at least one outcome with a measure and a date, the actions, the contingency and a summary for the family.' })
export class PlanContentInput {
  @Field(() => [PlanOutcomeInput])
  @ArrayMinSize(1, { message: 'a plan needs at least one outcome' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  outcomes: PlanOutcomeInput[];

  @Field(() => [PlanActionInput])
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  actions: PlanActionInput[];

  @Field(() => String, { nullable: true, description: 'Required (at least 20 characters): what happens if change does not happen.' })
  @IsDefined({ message: 'a plan needs a contingency' })
  @HasText(20, 20000)
  contingency?: string | null;

  @Field(() => String, { nullable: true, description: 'Required (at least 20 characters): the plan in plain language for the family.' })
  @IsDefined({ message: 'a plan needs a summary for the family' })
  @HasText(20, 20000)
  familySummary?: string | null;
}

@InputType()
export class StartPlanInput {
  @Field(() => ID)
  @IsId()
  childId: string;

  @Field(() => PlanType, { description: 'CHILD_IN_NEED (a CP plan starts at an initial conference).' })
  @IsIn([PlanType.CHILD_IN_NEED], { message: 'only a child in need plan starts here (a CP plan starts at an initial conference)' })
  type: PlanType;

  @Field(() => LocalDate)
  startDate: string;

  @Field(() => PlanContentInput)
  @ValidateNested()
  content: PlanContentInput;
}

@InputType()
export class UpdatePlanInput {
  @Field(() => ID)
  @IsId()
  id: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field(() => PlanContentInput, { description: 'Replaces the current outcomes and actions (the old ones are kept, no longer current).' })
  @ValidateNested()
  content: PlanContentInput;
}

@InputType()
export class OutcomeProgressInput {
  @Field(() => ID)
  @IsId()
  outcomeId: string;

  @Field(() => ProgressRating)
  rating: ProgressRating;

  @Field()
  @HasText(3, 5000)
  comment: string;
}

@InputType()
export class ReviewPlanInput {
  @Field(() => ID)
  @IsId()
  id: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field(() => LocalDate)
  heldOn: string;

  @Field(() => [OutcomeProgressInput], { description: 'Progress on every current outcome, once each.' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  progress: OutcomeProgressInput[];

  @Field(() => ReviewDecision)
  decision: ReviewDecision;

  @Field()
  @HasText(10, 20000)
  summary: string;
}

@InputType()
export class EndPlanInput {
  @Field(() => ID)
  @IsId()
  id: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field(() => LocalDate)
  endDate: string;

  @Field()
  @HasText(10, 2000)
  reason: string;
}

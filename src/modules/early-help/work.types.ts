import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, IsDefined, IsIn, IsOptional, Min, ValidateNested } from 'class-validator';
import { DateTime, LocalDate } from '../../shared/graphql/scalars';
import { HasText, IsId } from '../../shared/graphql/validators';
import { OutcomeProgressInput, PlanContentInput, PlanRecordType } from '../plan';
import { ReviewDecision } from '../plan/plan.entity';
import { EarlyHelpOutcome, SupportingFamiliesNeed } from './early-help.entity';
import { EarlyHelpEpisodeType, IsIdempotencyKey, NeedProgressInput } from './early-help.types';

// ---- the record ----

@ObjectType('AssessedNeed', { description: 'A need found by the assessment, under a Supporting Families heading.' })
export class AssessedNeedType {
  @Field(() => SupportingFamiliesNeed)
  need: SupportingFamiliesNeed;

  @Field()
  description: string;
}

@ObjectType('EarlyHelpAssessment', {
  description: 'The early help assessment: why it was done, the needs, strengths, the child’s lived experience and voice, the analysis.',
})
export class EarlyHelpAssessmentType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  episodeId: string;

  @Field({ description: 'Why the assessment is being done (required).' })
  reason: string;

  @Field(() => [AssessedNeedType])
  needs: AssessedNeedType[];

  @Field()
  strengths: string;

  @Field({ description: 'The child’s lived experience (a day in the life).' })
  livedExperience: string;

  @Field({ description: 'The child’s wishes and feelings, in their words.' })
  childVoice: string;

  @Field()
  analysis: string;

  @Field(() => LocalDate)
  startedOn: string;

  @Field(() => LocalDate, { nullable: true })
  completedOn: string | null;

  @Field(() => ID, { nullable: true, description: 'The organisation completing it (Annex A list 2): the provider, or null for the council.' })
  completedByProviderId: string | null;

  @Field(() => Int)
  version: number;

  @Field(() => DateTime)
  createdAt: Date;
}

@ObjectType('Attendee', { description: 'Someone at a team-around-the-family meeting, by agency.' })
export class AttendeeType {
  @Field()
  name: string;

  @Field()
  agency: string;

  @Field(() => String, { nullable: true })
  role: string | null;
}

@ObjectType('TeamAroundFamilyMeeting', { description: 'A team-around-the-family meeting: who came, whether the family was there, the decisions.' })
export class TeamAroundFamilyMeetingType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  episodeId: string;

  @Field(() => LocalDate)
  heldOn: string;

  @Field(() => [AttendeeType])
  attendees: AttendeeType[];

  @Field()
  familyPresent: boolean;

  @Field()
  decisions: string;

  @Field(() => LocalDate, { nullable: true })
  nextMeetingOn: string | null;

  @Field(() => DateTime)
  createdAt: Date;
}

// ---- submissions (each carries an idempotency key; the payload says whether it was a retry answered from the first) ----

@InputType()
export class AssessedNeedInput {
  @Field(() => SupportingFamiliesNeed)
  need: SupportingFamiliesNeed;

  @Field()
  @HasText(3, 4000)
  description: string;
}

@InputType()
export class SubmitEarlyHelpAssessmentInput {
  @Field(() => ID)
  @IsId()
  episodeId: string;

  @Field(() => ID, {
    nullable: true,
    description: 'To change an assessment already submitted (with expectedVersion), by the organisation that wrote it.',
  })
  @IsOptional()
  @IsId()
  assessmentId?: string | null;

  @Field(() => Int, { nullable: true, description: 'Required with assessmentId.' })
  @IsOptional()
  @Min(1)
  expectedVersion?: number | null;

  @Field({ description: 'The submission’s key: a retry with the same key and content returns the first result.' })
  @IsIdempotencyKey()
  idempotencyKey: string;

  @Field(() => String, { nullable: true, description: 'Required: why the assessment is being done.' })
  @IsDefined({ message: 'the reason for the assessment is required' })
  @HasText(10, 4000)
  reason?: string | null;

  @Field(() => [AssessedNeedInput], { description: 'At least one need, each heading once.' })
  @ArrayMinSize(1, { message: 'an assessment names at least one need' })
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  needs: AssessedNeedInput[];

  @Field()
  @HasText(3, 20000)
  strengths: string;

  @Field()
  @HasText(3, 20000)
  livedExperience: string;

  @Field()
  @HasText(3, 20000)
  childVoice: string;

  @Field()
  @HasText(3, 20000)
  analysis: string;

  @Field(() => LocalDate, { description: 'Not in the future, not before the request for support.' })
  startedOn: string;

  @Field(() => LocalDate, { nullable: true, description: 'Not in the future, not before the start.' })
  completedOn?: string | null;
}

@InputType()
export class MeetingAttendeeInput {
  @Field()
  @HasText(2, 200)
  name: string;

  @Field()
  @HasText(2, 200)
  agency: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @HasText(2, 200)
  role?: string | null;
}

@InputType()
export class RecordTeamAroundFamilyMeetingInput {
  @Field(() => ID)
  @IsId()
  episodeId: string;

  @Field()
  @IsIdempotencyKey()
  idempotencyKey: string;

  @Field(() => LocalDate, { description: 'Not in the future, not before the work started.' })
  heldOn: string;

  @Field(() => [MeetingAttendeeInput])
  @ArrayMinSize(1, { message: 'a meeting has at least one attendee' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  attendees: MeetingAttendeeInput[];

  @Field()
  familyPresent: boolean;

  @Field()
  @HasText(3, 20000)
  decisions: string;

  @Field(() => LocalDate, { nullable: true, description: 'After the meeting.' })
  nextMeetingOn?: string | null;
}

@InputType()
export class StartFamilyPlanInput {
  @Field(() => ID)
  @IsId()
  episodeId: string;

  @Field()
  @IsIdempotencyKey()
  idempotencyKey: string;

  @Field(() => LocalDate, { description: 'Not in the future, not before the work started.' })
  startDate: string;

  @Field(() => PlanContentInput)
  @ValidateNested()
  content: PlanContentInput;
}

@InputType()
export class ReviewFamilyPlanInput {
  @Field(() => ID)
  @IsId()
  planId: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field()
  @IsIdempotencyKey()
  idempotencyKey: string;

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

/** Closure outcomes recorded here; STEPPED_UP is recorded by stepUpToSocialCare, which makes the referral. */
const CLOSABLE_OUTCOMES = Object.values(EarlyHelpOutcome).filter((o) => o !== EarlyHelpOutcome.STEPPED_UP);

@InputType()
export class CloseEarlyHelpEpisodeInput {
  @Field(() => ID)
  @IsId()
  episodeId: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field()
  @IsIdempotencyKey()
  idempotencyKey: string;

  @Field(() => LocalDate, { description: 'Not in the future, not before the request for support (nor the family plan’s start).' })
  closedOn: string;

  @Field(() => EarlyHelpOutcome, {
    description: 'Any outcome but STEPPED_UP (that is stepUpToSocialCare); before work started (REQUESTED or OFFERED) only CONSENT_WITHDRAWN, '
      + 'MOVED_AWAY or NO_FURTHER_ACTION.',
  })
  @IsIn(CLOSABLE_OUTCOMES, { message: 'a step-up to social care is recorded with stepUpToSocialCare' })
  outcome: EarlyHelpOutcome;

  @Field()
  @HasText(10, 20000)
  summary: string;

  @Field(() => [NeedProgressInput], {
    description: 'Progress on every need of the episode, once each (may be empty before work started).',
  })
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  progress: NeedProgressInput[];
}

@ObjectType('SubmitEarlyHelpAssessmentPayload')
export class SubmitEarlyHelpAssessmentPayload {
  @Field(() => EarlyHelpAssessmentType)
  assessment: EarlyHelpAssessmentType;

  @Field({ description: 'True when this was a retry answered from the first submission (nothing written).' })
  replayed: boolean;
}

@ObjectType('RecordTeamAroundFamilyMeetingPayload')
export class RecordTeamAroundFamilyMeetingPayload {
  @Field(() => TeamAroundFamilyMeetingType)
  meeting: TeamAroundFamilyMeetingType;

  @Field({ description: 'True when this was a retry answered from the first submission (nothing written).' })
  replayed: boolean;
}

@ObjectType('FamilyPlanPayload', { description: 'An early help family plan after startFamilyPlan or reviewFamilyPlan.' })
export class FamilyPlanPayload {
  @Field(() => PlanRecordType)
  plan: PlanRecordType;

  @Field({ description: 'True when this was a retry answered from the first submission (nothing written).' })
  replayed: boolean;
}

@ObjectType('CloseEarlyHelpEpisodePayload')
export class CloseEarlyHelpEpisodePayload {
  @Field(() => EarlyHelpEpisodeType)
  episode: EarlyHelpEpisodeType;

  @Field({ description: 'True when this was a retry answered from the first submission (nothing written).' })
  replayed: boolean;
}

import { IsId, HasText } from '../../shared/graphql/validators';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, IsOptional, Min, ValidateNested } from 'class-validator';
import { ConferenceDecision, ConferenceKind, Section47Status, StrategyDecision } from './child-protection.entity';
import { CategoryOfAbuse, PlanContentInput } from '../plan';
import { LocalDate } from '../../shared/graphql/scalars';

registerEnumType(StrategyDecision, { name: 'StrategyDecision' });
registerEnumType(Section47Status, { name: 'Section47Status' });
registerEnumType(ConferenceKind, { name: 'ConferenceKind' });
registerEnumType(ConferenceDecision, {
  name: 'ConferenceDecision',
  description: 'Initial conference: PLAN or NO_PLAN; review conference: CONTINUE or END_PLAN',
});

export enum Section47Outcome {
  CONFERENCE_NOT_REQUIRED = 'CONFERENCE_NOT_REQUIRED',
}
registerEnumType(Section47Outcome, { name: 'Section47Outcome', description: 'How an enquiry concludes without a conference' });

@ObjectType('Participant', { description: 'Someone who took part, by agency.' })
export class ParticipantType {
  @Field()
  agency: string;

  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  role: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Conferences: whether they attended (or sent a report).' })
  attended: boolean | null;
}

@ObjectType('StrategyDiscussion')
export class StrategyDiscussionType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  childId: string;

  @Field(() => ID)
  episodeId: string;

  @Field(() => LocalDate)
  heldOn: string;

  @Field(() => [ParticipantType])
  participants: ParticipantType[];

  @Field(() => StrategyDecision)
  decision: StrategyDecision;

  @Field()
  rationale: string;

  @Field(() => Int)
  version: number;
}

@ObjectType('Section47', { description: 'A section 47 enquiry; the initial conference is due 15 working days after the strategy discussion.' })
export class Section47Type {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  childId: string;

  @Field(() => ID)
  episodeId: string;

  @Field(() => ID)
  strategyDiscussionId: string;

  @Field(() => LocalDate, { description: 'S47ActualStartDate.' })
  startDate: string;

  @Field(() => LocalDate, { description: 'InitialCPCtarget: the strategy discussion + 15 working days.' })
  icpcTargetDate: string;

  @Field(() => Section47Status)
  status: Section47Status;

  @Field({ description: 'ICPCnotRequired.' })
  conferenceNotRequired: boolean;

  @Field(() => String, { nullable: true })
  notRequiredReason: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'DateOfInitialCPC, once held.' })
  icpcDate: string | null;

  @Field(() => LocalDate, { nullable: true })
  concludedOn: string | null;

  @Field(() => Int)
  version: number;
}

@ObjectType('ChildProtectionConference')
export class ChildProtectionConferenceType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  childId: string;

  @Field(() => ID)
  episodeId: string;

  @Field(() => ConferenceKind)
  kind: ConferenceKind;

  @Field(() => ID, { nullable: true })
  section47Id: string | null;

  @Field(() => ID, { nullable: true, description: 'The CP plan the conference started or reviewed.' })
  planId: string | null;

  @Field(() => LocalDate)
  heldOn: string;

  @Field(() => ID)
  chairId: string;

  @Field(() => [ParticipantType])
  attendees: ParticipantType[];

  @Field(() => ConferenceDecision)
  decision: ConferenceDecision;

  @Field(() => CategoryOfAbuse, { nullable: true })
  category: string | null;

  @Field()
  rationale: string;

  @Field(() => LocalDate, {
    nullable: true,
    description: 'When the conference was due (initial: the ICPC target; review: the plan’s review date).',
  })
  dueBy: string | null;

  @Field(() => Int)
  version: number;
}

@InputType()
export class ParticipantInput {
  @Field({ description: 'Police, health, education, social care, ...' })
  @HasText(2, 100)
  agency: string;

  @Field()
  @HasText(1, 200)
  name: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @HasText(1, 200)
  role?: string | null;
}

@InputType()
export class AttendeeInput extends ParticipantInput {
  @Field({ description: 'False for someone invited who did not attend.' })
  attended: boolean;
}

@InputType()
export class RecordStrategyDiscussionInput {
  @Field(() => ID)
  @IsId()
  childId: string;

  @Field(() => LocalDate)
  heldOn: string;

  @Field(() => [ParticipantInput], { description: 'At least two agencies.' })
  @ArrayMinSize(2)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  participants: ParticipantInput[];

  @Field(() => StrategyDecision)
  decision: StrategyDecision;

  @Field()
  @HasText(10, 20000)
  rationale: string;
}

@InputType()
export class StartSection47Input {
  @Field(() => ID)
  @IsId()
  strategyDiscussionId: string;

  @Field(() => LocalDate)
  startDate: string;
}

@InputType()
export class ConcludeSection47Input {
  @Field(() => ID)
  @IsId()
  id: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field(() => Section47Outcome)
  outcome: Section47Outcome;

  @Field()
  @HasText(10, 20000)
  reason: string;
}

@InputType()
export class RecordChildProtectionConferenceInput {
  @Field(() => ID)
  @IsId()
  childId: string;

  @Field(() => ConferenceKind)
  kind: ConferenceKind;

  @Field(() => ID, { nullable: true, description: 'Initial conference: the section 47 enquiry.' })
  @IsOptional()
  @IsId()
  section47Id?: string | null;

  @Field(() => ID, { nullable: true, description: 'Review conference: the child protection plan.' })
  @IsOptional()
  @IsId()
  planId?: string | null;

  @Field(() => LocalDate)
  heldOn: string;

  @Field(() => [AttendeeInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  attendees: AttendeeInput[];

  @Field(() => ConferenceDecision)
  decision: ConferenceDecision;

  @Field(() => CategoryOfAbuse, { nullable: true, description: 'Required when an initial conference decides PLAN.' })
  @IsOptional()
  category?: CategoryOfAbuse | null;

  @Field()
  @HasText(10, 20000)
  rationale: string;

  @Field(() => PlanContentInput, { nullable: true, description: 'Required when an initial conference decides PLAN.' })
  @IsOptional()
  @ValidateNested()
  plan?: PlanContentInput | null;
}

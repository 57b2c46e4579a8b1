import { IsId, HasText } from '../../shared/graphql/validators';
import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ArrayMaxSize, IsOptional, ValidateNested } from 'class-validator';
import { Urgency } from '../../shared/graphql/enums';
import { DateTime, LocalDate } from '../../shared/graphql/scalars';
import { WorkerType } from '../front-door/front-door.types';

@ObjectType('SupervisionAction')
export class SupervisionActionType {
  @Field({ description: 'Who will do it.' })
  owner: string;

  @Field()
  action: string;

  @Field(() => LocalDate)
  byWhen: string;
}

@ObjectType('SupervisionEntry', {
  description: "One case's part of a supervision session, as it appears on the child's record (never the session's general notes).",
})
export class SupervisionEntryType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  supervisionId: string;

  @Field(() => ID)
  childId: string;

  @Field(() => LocalDate)
  heldOn: string;

  @Field()
  reflection: string;

  @Field()
  decisions: string;

  @Field(() => [SupervisionActionType])
  actions: SupervisionActionType[];

  @Field(() => Int, { description: 'Always 1: supervision records are never updated.' })
  version: number;

  @Field(() => DateTime)
  createdAt: Date;

  /** Resolved to `supervisor` / `supervisee` through the workerById loader. */
  supervisorId: string;
  superviseeId: string;
}

@ObjectType('Supervision', {
  description:
    'A supervision session (the supervisor is whoever recorded it). A record of fact: there is no update mutation, ' +
    'so no expectedVersion.',
})
export class SupervisionRecordType {
  @Field(() => ID)
  id: string;

  @Field(() => LocalDate)
  heldOn: string;

  @Field(() => String, { nullable: true, description: 'General discussion (wellbeing, learning), not about any one child.' })
  generalNotes: string | null;

  @Field(() => [SupervisionEntryType], { description: 'The cases discussed.' })
  cases: SupervisionEntryType[];

  @Field(() => Int)
  version: number;

  @Field(() => DateTime)
  createdAt: Date;

  supervisorId: string;
  superviseeId: string;
}

@ObjectType('SupervisionStatus', { description: "When a worker's next supervision is due, by their own frequency." })
export class SupervisionStatusType {
  @Field(() => Int, { description: 'Working days between supervisions for this worker (configuration per worker).' })
  everyWorkingDays: number;

  @Field(() => LocalDate, { nullable: true })
  lastHeldOn: string | null;

  @Field(() => LocalDate, { description: 'The last supervision (or the account creation date, if never) plus everyWorkingDays.' })
  nextDueOn: string;

  @Field(() => Urgency)
  status: Urgency;

  @Field()
  newlyQualified: boolean;
}

@ObjectType('WorkerSupervisionStatus')
export class WorkerSupervisionStatusType extends SupervisionStatusType {
  @Field(() => WorkerType)
  worker: WorkerType;
}

@ObjectType('ManagementDecision', { description: "Management oversight on a child's record. A record of fact: never updated." })
export class ManagementDecisionType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  childId: string;

  @Field(() => LocalDate)
  decidedOn: string;

  @Field()
  decision: string;

  @Field()
  rationale: string;

  @Field(() => Int)
  version: number;

  @Field(() => DateTime)
  createdAt: Date;

  /** Resolved to `decidedBy` through the workerById loader. */
  decidedById: string;
}

@InputType()
export class SupervisionActionInput {
  @Field({ description: 'Who will do it (a person or an agency).' })
  @HasText(1, 200)
  owner: string;

  @Field()
  @HasText(3, 2000)
  action: string;

  @Field(() => LocalDate, { description: 'Not before the session.' })
  byWhen: string;
}

@InputType()
export class SupervisionCaseInput {
  @Field(() => ID)
  @IsId()
  childId: string;

  @Field({ description: 'Reflection on the case (at least 20 characters).' })
  @HasText(20, 20000)
  reflection: string;

  @Field({ description: 'What was decided (at least 10 characters).' })
  @HasText(10, 20000)
  decisions: string;

  @Field(() => [SupervisionActionInput], { defaultValue: [] })
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  actions: SupervisionActionInput[];
}

@InputType()
export class RecordSupervisionInput {
  @Field(() => ID, { description: 'The worker supervised; the supervisor is the person recording.' })
  @IsId()
  superviseeId: string;

  @Field(() => LocalDate, { description: 'Not in the future.' })
  heldOn: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @HasText(1, 20000)
  generalNotes?: string | null;

  @Field(() => [SupervisionCaseInput], { defaultValue: [], description: 'Each case discussed (at most 50, each child once).' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  cases: SupervisionCaseInput[];
}

@InputType()
export class RecordManagementDecisionInput {
  @Field(() => ID)
  @IsId()
  childId: string;

  @Field(() => LocalDate, { description: 'Not in the future.' })
  decidedOn: string;

  @Field({ description: 'What was decided (at least 10 characters).' })
  @HasText(10, 20000)
  decision: string;

  @Field({ description: 'Why (at least 10 characters).' })
  @HasText(10, 20000)
  rationale: string;
}

@ArgsType()
export class TeamSupervisionArgs {
  @Field(() => ID)
  @IsId()
  teamId: string;
}

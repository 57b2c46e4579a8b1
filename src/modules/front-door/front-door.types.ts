import { IsId, HasText } from '../../shared/graphql/validators';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsIn, IsOptional, Min } from 'class-validator';
import { ContactOutcome, ReferralDecision } from './front-door.entity';
import { PRIMARY_NEED_CODES, REFERRAL_SOURCE_CODES } from '../reference/codes';
import { DateTime, LocalDate } from '../../shared/graphql/scalars';

registerEnumType(ContactOutcome, { name: 'ContactOutcome' });
registerEnumType(ReferralDecision, { name: 'ReferralDecision', description: 'What the front door decides within 1 working day' });

export enum DecisionTimeliness {
  AWAITING = 'AWAITING',
  OVERDUE = 'OVERDUE',
  ON_TIME = 'ON_TIME',
  LATE = 'LATE',
}
registerEnumType(DecisionTimeliness, { name: 'DecisionTimeliness' });

@ObjectType('Worker', { description: 'A member of staff, as shown on a case.', simpleResolvers: true })
export class WorkerType {
  @Field(() => ID)
  id: string;

  @Field()
  displayName: string;

  @Field(() => ID, { nullable: true })
  teamId: string | null;
}

@ObjectType('Team', { simpleResolvers: true })
export class TeamType {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  kind: string;
}

@ObjectType('Contact', { simpleResolvers: true })
export class ContactType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  childId: string;

  @Field(() => DateTime)
  receivedAt: Date;

  @Field({ description: 'CIN census referral source code (N00152) of who made contact.' })
  sourceCode: string;

  @Field()
  summary: string;

  @Field(() => ContactOutcome)
  outcome: ContactOutcome;

  @Field(() => Int)
  version: number;
}

@ObjectType('Referral', { simpleResolvers: true })
export class ReferralType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  childId: string;

  @Field(() => ID, { nullable: true })
  contactId: string | null;

  @Field(() => DateTime)
  receivedAt: Date;

  @Field(() => LocalDate, { description: 'CINreferralDate (N00100).' })
  referralDate: string;

  @Field({ description: 'ReferralSource (N00152).' })
  sourceCode: string;

  @Field({ description: 'PrimaryNeedCode (N00101).' })
  primaryNeedCode: string;

  @Field()
  reason: string;

  @Field(() => LocalDate, { description: 'One working day after receipt.' })
  decisionDueOn: string;

  @Field(() => ReferralDecision, { nullable: true })
  decision: ReferralDecision | null;

  @Field(() => String, { nullable: true })
  decisionReason: string | null;

  @Field(() => DateTime, { nullable: true })
  decidedAt: Date | null;

  @Field(() => Int)
  version: number;
}

@ObjectType('Allocation', { simpleResolvers: true })
export class AllocationType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  childId: string;

  @Field(() => ID)
  teamId: string;

  @Field(() => ID, { nullable: true })
  workerId: string | null;

  @Field(() => DateTime)
  startedAt: Date;

  @Field(() => DateTime, { nullable: true })
  endedAt: Date | null;

  @Field()
  reason: string;

  @Field(() => Int)
  version: number;
}

@ArgsType()
export class ReferralArgs {
  @Field(() => ID)
  @IsId()
  id: string;
}

@InputType()
export class RecordContactInput {
  @Field(() => ID)
  @IsId()
  childId: string;

  @Field(() => DateTime)
  receivedAt: Date;

  @Field()
  @IsIn([...REFERRAL_SOURCE_CODES])
  sourceCode: string;

  @Field()
  @HasText(10, 20000)
  summary: string;

  @Field(() => ContactOutcome)
  outcome: ContactOutcome;
}

@InputType()
export class CreateReferralInput {
  @Field(() => ID)
  @IsId()
  childId: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsId()
  contactId?: string;

  @Field(() => DateTime, { description: 'When the referral was received; its date in England is the referral date.' })
  receivedAt: Date;

  @Field()
  @IsIn([...REFERRAL_SOURCE_CODES])
  sourceCode: string;

  @Field()
  @IsIn([...PRIMARY_NEED_CODES])
  primaryNeedCode: string;

  @Field({ description: 'Why the referrer is worried.' })
  @HasText(10, 20000)
  reason: string;
}

@InputType()
export class DecideReferralInput {
  @Field(() => ID)
  @IsId()
  id: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field(() => ReferralDecision)
  decision: ReferralDecision;

  @Field({ description: 'The reasons for the decision, as told to the referrer.' })
  @HasText(10, 20000)
  reason: string;
}

@InputType()
export class AllocateCaseInput {
  @Field(() => ID)
  @IsId()
  childId: string;

  @Field(() => ID)
  @IsId()
  teamId: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsId()
  workerId?: string;

  @Field()
  @HasText(3, 2000)
  reason: string;

  @Field(() => Int, { description: 'Version of the current allocation, or 0 when the child has none.' })
  @Min(0)
  expectedVersion: number;
}

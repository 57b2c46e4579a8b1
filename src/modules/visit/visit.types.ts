import { IsId, HasText } from '../../shared/graphql/validators';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ArrayMaxSize} from 'class-validator';
import { VisitType } from './visit.entity';
import { PlanType } from '../plan/plan.entity';
import '../plan/plan.types'; // registers PlanType
import { Urgency } from '../../shared/graphql/enums';
import { DateTime, LocalDate } from '../../shared/graphql/scalars';

registerEnumType(VisitType, { name: 'VisitType', description: 'Where (or how) the child was visited.' });

@ObjectType('Visit', {
  description:
    'A statutory visit: a record of fact. There is no update mutation (and so no expectedVersion): a visit recorded ' +
    'wrongly is corrected by recording what happened, never by rewriting it.',
  simpleResolvers: true,
})
export class VisitRecordType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  childId: string;

  @Field(() => ID, { nullable: true, description: 'The active plan the visit was made under (CP before CIN before early help), if any.' })
  planId: string | null;

  @Field(() => LocalDate)
  visitedOn: string;

  @Field(() => VisitType)
  type: VisitType;

  @Field({ description: 'The child was seen.' })
  seen: boolean;

  @Field({ description: 'The child was seen alone (only when seen).' })
  seenAlone: boolean;

  @Field(() => [String], { description: 'Who else was there (names or roles).' })
  present: string[];

  @Field()
  note: string;

  @Field(() => Int, { description: 'Always 1: visits are never updated.' })
  version: number;

  @Field(() => DateTime)
  createdAt: Date;

  /** Resolved from created_by_id through the workerById loader. */
  createdById?: string | null;
}

@ObjectType('VisitStatus', { description: "When the child must next be seen, by the local frequency for the child's active plan.", simpleResolvers: true })
export class VisitStatusType {
  @Field(() => Int, { nullable: true, description: "Working days between visits for the active plan's type; null when no plan is active." })
  requiredEveryWorkingDays: number | null;

  @Field(() => LocalDate, { nullable: true, description: 'The latest visit at which the child was seen.' })
  lastSeenOn: string | null;

  @Field(() => LocalDate, {
    nullable: true,
    description: 'The last time seen (or the plan start, if not seen since it started) plus the required working days.',
  })
  nextDueOn: string | null;

  @Field(() => Urgency, { nullable: true })
  status: Urgency | null;

  @Field(() => PlanType, { nullable: true, description: 'The active plan the frequency comes from (CP before CIN before early help).' })
  planType: PlanType | null;
}

@InputType()
export class RecordVisitInput {
  @Field(() => ID)
  @IsId()
  childId: string;

  @Field(() => LocalDate, { description: 'Not in the future.' })
  visitedOn: string;

  @Field(() => VisitType)
  type: VisitType;

  @Field()
  seen: boolean;

  @Field({ description: 'Only when seen.' })
  seenAlone: boolean;

  @Field(() => [String], { defaultValue: [], description: 'Who else was there: at most 20 names or roles, each at most 200 characters.' })
  @ArrayMaxSize(20)
  @HasText(1, 200, { each: true })
  present: string[];

  @Field({ description: 'What happened, what the child said and did (at least 10 characters).' })
  @HasText(10, 20000)
  note: string;
}

import { IsId } from '../../shared/graphql/validators';
import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Urgency } from '../../shared/graphql/enums';
import { LocalDate } from '../../shared/graphql/scalars';
import { Connection } from '../../shared/graphql/pagination';
import { AllocationType } from '../front-door/front-door.types';
import type { ChildType } from '../child/child.types';

export enum DueKind {
  REFERRAL_DECISION = 'REFERRAL_DECISION',
  ASSESSMENT = 'ASSESSMENT',
  INITIAL_CONFERENCE = 'INITIAL_CONFERENCE',
  REVIEW_CONFERENCE = 'REVIEW_CONFERENCE',
  PLAN_REVIEW = 'PLAN_REVIEW',
  VISIT = 'VISIT',
}
registerEnumType(DueKind, { name: 'DueKind', description: 'What is due on a case (view case_due_item)' });

@ObjectType('DueItem')
export class DueItemType {
  @Field(() => DueKind)
  kind: DueKind;

  @Field(() => ID, { description: 'The referral, assessment, section 47 or plan the item belongs to.' })
  recordId: string;

  @Field(() => LocalDate)
  dueOn: string;

  @Field(() => Urgency)
  status: Urgency;

  @Field(() => Int, { description: 'Working days past the due date (0 when not overdue).' })
  workingDaysOverdue: number;
}

@ObjectType('CaseloadItem')
export class CaseloadItemType {
  @Field(() => ID)
  childId: string;

  @Field(() => AllocationType)
  allocation: AllocationType;

  /** Resolved through the audited child loader. */
  child?: ChildType;

  @Field(() => LocalDate, { nullable: true, description: 'The earliest thing due on this case.' })
  nextDueOn: string | null;
}

export const CaseloadConnection = Connection(CaseloadItemType, 'CaseloadItem');

@ArgsType()
export class TeamCaseloadArgs {
  @Field(() => ID)
  @IsId()
  teamId: string;
}

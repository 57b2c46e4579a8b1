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
  /** Early help (IN_WORK episodes): the early help assessment, the next team-around-the-family meeting, the family plan's review. */
  EARLY_HELP_ASSESSMENT = 'EARLY_HELP_ASSESSMENT',
  TEAM_AROUND_FAMILY = 'TEAM_AROUND_FAMILY',
  FAMILY_PLAN_REVIEW = 'FAMILY_PLAN_REVIEW',
}
registerEnumType(DueKind, { name: 'DueKind', description: 'What is due on a case (view case_due_item)' });

/** What provider staff see due on their early help families (nothing statutory). */
export const EARLY_HELP_DUE_KINDS: readonly DueKind[] = [DueKind.EARLY_HELP_ASSESSMENT, DueKind.TEAM_AROUND_FAMILY, DueKind.FAMILY_PLAN_REVIEW];

@ObjectType('DueItem', { simpleResolvers: true })
export class DueItemType {
  @Field(() => DueKind)
  kind: DueKind;

  @Field(() => ID, { description: 'The referral, assessment, section 47, plan or early help episode the item belongs to.' })
  recordId: string;

  @Field(() => LocalDate)
  dueOn: string;

  @Field(() => Urgency)
  status: Urgency;

  @Field(() => Int, { description: 'Working days past the due date (0 when not overdue).' })
  workingDaysOverdue: number;
}

@ObjectType('CaseloadItem', { simpleResolvers: true })
export class CaseloadItemType {
  @Field(() => ID)
  childId: string;

  @Field(() => AllocationType, { nullable: true, description: 'The allocation that puts the child on this caseload (null: early help only).' })
  allocation: AllocationType | null;

  /** Resolved through the audited early help episode loader. */
  earlyHelpEpisodeId: string | null;

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

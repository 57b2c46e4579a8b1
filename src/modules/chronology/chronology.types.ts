import { IsId } from '../../shared/graphql/validators';
import { ArgsType, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { DateTime } from '../../shared/graphql/scalars';
import { Connection } from '../../shared/graphql/pagination';

export enum ChronologyKind {
  CONTACT = 'CONTACT',
  REFERRAL_RECEIVED = 'REFERRAL_RECEIVED',
  REFERRAL_DECIDED = 'REFERRAL_DECIDED',
  ALLOCATED = 'ALLOCATED',
  EPISODE_OPENED = 'EPISODE_OPENED',
  EPISODE_CLOSED = 'EPISODE_CLOSED',
  ASSESSMENT_STARTED = 'ASSESSMENT_STARTED',
  ASSESSMENT_COMPLETED = 'ASSESSMENT_COMPLETED',
  ASSESSMENT_AUTHORISED = 'ASSESSMENT_AUTHORISED',
  STRATEGY_DISCUSSION = 'STRATEGY_DISCUSSION',
  SECTION47_STARTED = 'SECTION47_STARTED',
  SECTION47_CONCLUDED = 'SECTION47_CONCLUDED',
  CONFERENCE = 'CONFERENCE',
  PLAN_STARTED = 'PLAN_STARTED',
  PLAN_REVIEWED = 'PLAN_REVIEWED',
  PLAN_ENDED = 'PLAN_ENDED',
  VISIT = 'VISIT',
  SUPERVISION = 'SUPERVISION',
  MANAGEMENT_DECISION = 'MANAGEMENT_DECISION',
  EARLY_HELP_REQUESTED = 'EARLY_HELP_REQUESTED',
  EARLY_HELP_COMMISSIONED = 'EARLY_HELP_COMMISSIONED',
  EARLY_HELP_ACCEPTED = 'EARLY_HELP_ACCEPTED',
  EARLY_HELP_DECLINED = 'EARLY_HELP_DECLINED',
  EARLY_HELP_CONCERN = 'EARLY_HELP_CONCERN',
  EARLY_HELP_ASSESSMENT = 'EARLY_HELP_ASSESSMENT',
  TEAM_AROUND_FAMILY = 'TEAM_AROUND_FAMILY',
  EARLY_HELP_CLOSED = 'EARLY_HELP_CLOSED',
}
registerEnumType(ChronologyKind, { name: 'ChronologyKind' });

@ObjectType('ChronologyEvent', { description: "One event on the child's record (view child_event)." })
export class ChronologyEventType {
  @Field(() => ID, { description: 'KIND:recordId' })
  id: string;

  @Field(() => DateTime, { description: 'When it happened (date-only events at midnight, Europe/London).' })
  occurredAt: Date;

  @Field(() => ChronologyKind)
  kind: ChronologyKind;

  @Field(() => ID)
  recordId: string;

  @Field()
  summary: string;

  /** Resolved through the worker loader. */
  actorId: string | null;
}

export const ChronologyConnection = Connection(ChronologyEventType, 'ChronologyEvent');

@ArgsType()
export class ChronologyArgs {
  @Field(() => ID)
  @IsId()
  childId: string;
}

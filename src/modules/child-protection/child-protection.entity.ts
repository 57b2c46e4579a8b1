import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { ChildRecord } from '../child/child-record.entity';
import { Episode } from '../episode/episode.entity';
import { Account } from '../identity/identity.entity';
import { Plan } from '../plan/plan.entity';

export interface Participant {
  agency: string;
  name: string;
  role?: string | null;
  attended?: boolean | null;
}

export enum StrategyDecision {
  START_SECTION_47 = 'START_SECTION_47',
  CONTINUE_ASSESSMENT = 'CONTINUE_ASSESSMENT',
  NO_FURTHER_ACTION = 'NO_FURTHER_ACTION',
}

@Entity()
@Index(['childId', 'heldOn'])
@Index(['episodeId'])
export class StrategyDiscussion extends ChildRecord {
  @Column({ type: 'uuid' })
  episodeId: string;

  @ManyToOne(() => Episode, { onDelete: 'RESTRICT' })
  @JoinColumn()
  episode?: Episode;

  @Column({ type: 'date' })
  heldOn: string;

  /** Who took part, by agency (police, health, education, social care, ...). */
  @Column({ type: 'jsonb' })
  participants: Participant[];

  @Column({ type: 'text' })
  decision: StrategyDecision;

  @Column({ type: 'text' })
  rationale: string;
}

export enum Section47Status {
  OPEN = 'OPEN',
  CONCLUDED = 'CONCLUDED',
}

/** Section 47 enquiry: the initial conference is due 15 working days after the strategy discussion. */
@Entity()
@Index(['childId', 'startDate'])
@Index(['episodeId'])
@Index(['strategyDiscussionId'], { unique: true })
export class Section47 extends ChildRecord {
  @Column({ type: 'uuid' })
  episodeId: string;

  @ManyToOne(() => Episode, { onDelete: 'RESTRICT' })
  @JoinColumn()
  episode?: Episode;

  @Column({ type: 'uuid' })
  strategyDiscussionId: string;

  @ManyToOne(() => StrategyDiscussion, { onDelete: 'RESTRICT' })
  @JoinColumn()
  strategyDiscussion?: StrategyDiscussion;

  /** S47ActualStartDate (N00148). */
  @Column({ type: 'date' })
  startDate: string;

  /** InitialCPCtarget (N00109): strategy discussion + 15 working days. */
  @Column({ type: 'date' })
  icpcTargetDate: string;

  @Column({ type: 'text', default: Section47Status.OPEN })
  status: Section47Status;

  /** ICPCnotRequired (N00111) with the reason. */
  @Column({ type: 'boolean', default: false })
  conferenceNotRequired: boolean;

  @Column({ type: 'text', nullable: true })
  notRequiredReason: string | null;

  /** DateOfInitialCPC (N00110), once held. */
  @Column({ type: 'date', nullable: true })
  icpcDate: string | null;

  @Column({ type: 'date', nullable: true })
  concludedOn: string | null;
}

export enum ConferenceKind {
  INITIAL = 'INITIAL',
  REVIEW = 'REVIEW',
}

export enum ConferenceDecision {
  /** Initial: the child becomes subject to a child protection plan. */
  PLAN = 'PLAN',
  /** Initial: no plan. */
  NO_PLAN = 'NO_PLAN',
  /** Review: the plan continues. */
  CONTINUE = 'CONTINUE',
  /** Review: the plan ends. */
  END_PLAN = 'END_PLAN',
}

@Entity()
@Index(['childId', 'heldOn'])
@Index(['planId'])
@Index(['section47Id'])
export class ChildProtectionConference extends ChildRecord {
  @Column({ type: 'uuid' })
  episodeId: string;

  @ManyToOne(() => Episode, { onDelete: 'RESTRICT' })
  @JoinColumn()
  episode?: Episode;

  @Column({ type: 'text' })
  kind: ConferenceKind;

  @Column({ type: 'uuid', nullable: true })
  section47Id: string | null;

  @ManyToOne(() => Section47, { onDelete: 'RESTRICT' })
  @JoinColumn()
  section47?: Section47;

  /** The CP plan the conference started or reviewed. */
  @Column({ type: 'uuid', nullable: true })
  planId: string | null;

  @ManyToOne(() => Plan, { onDelete: 'RESTRICT' })
  @JoinColumn()
  plan?: Plan;

  @Column({ type: 'date' })
  heldOn: string;

  /** The chair (from the session). */
  @Column({ type: 'uuid' })
  chairId: string;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT' })
  @JoinColumn()
  chair?: Account;

  @Column({ type: 'jsonb' })
  attendees: Participant[];

  @Column({ type: 'text' })
  decision: ConferenceDecision;

  /** Category of abuse decided (initial) or the latest (review): NEG, PHY, SAB, EMO, MUL. */
  @Column({ type: 'varchar', length: 3, nullable: true })
  category: string | null;

  @Column({ type: 'text' })
  rationale: string;

  /** The date the (next) review conference was due when this one was held: on time if heldOn <= it. */
  @Column({ type: 'date', nullable: true })
  dueBy: string | null;
}

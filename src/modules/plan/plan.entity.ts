import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { CaseRecord } from '../../shared/db/base.entity';
import { ChildRecord } from '../child/child-record.entity';
import { Episode } from '../episode/episode.entity';
import { Account } from '../identity/identity.entity';
import { EarlyHelpEpisode } from '../early-help/early-help.entity';

export enum PlanType {
  CHILD_IN_NEED = 'CHILD_IN_NEED',
  CHILD_PROTECTION = 'CHILD_PROTECTION',
  EARLY_HELP = 'EARLY_HELP',
}

export enum PlanStatus {
  ACTIVE = 'ACTIVE',
  ENDED = 'ENDED',
}

/**
 * One plan model for CIN, CP and early help family plans: outcomes (what must change, how we will know, by when),
 * actions, the contingency (what happens if change does not happen), reviews, and a summary for the family.
 */
@Entity()
@Index(['childId', 'startDate'])
@Index(['episodeId'])
@Index(['earlyHelpEpisodeId'])
@Index(['nextReviewDue'], { where: "status = 'ACTIVE'" })
@Index('plan_one_active_per_type', ['childId', 'type'], { unique: true, where: "status = 'ACTIVE'" })
export class Plan extends ChildRecord {
  /** The episode of need (CIN and CP plans); null for early help. */
  @Column({ type: 'uuid', nullable: true })
  episodeId: string | null;

  @ManyToOne(() => Episode, { onDelete: 'RESTRICT' })
  @JoinColumn()
  episode?: Episode;

  /** Early help family plans: the early help episode (the plan is recorded on its primary child). */
  @Column({ type: 'uuid', nullable: true })
  earlyHelpEpisodeId: string | null;

  @ManyToOne(() => EarlyHelpEpisode, { onDelete: 'RESTRICT' })
  @JoinColumn()
  earlyHelpEpisode?: EarlyHelpEpisode;

  @Column({ type: 'text' })
  type: PlanType;

  @Column({ type: 'text', default: PlanStatus.ACTIVE })
  status: PlanStatus;

  @Column({ type: 'date' })
  startDate: string;

  @Column({ type: 'date', nullable: true })
  endDate: string | null;

  @Column({ type: 'text', nullable: true })
  endReason: string | null;

  /** What will happen if the change does not happen. Required. */
  @Column({ type: 'text' })
  contingency: string;

  /** The plan in plain language for the family. Required. */
  @Column({ type: 'text' })
  familySummary: string;

  @Column({ type: 'date', nullable: true })
  nextReviewDue: string | null;

  /** CP plans: InitialCategoryOfAbuse / LatestCategoryOfAbuse (NEG, PHY, SAB, EMO, MUL). */
  @Column({ type: 'varchar', length: 3, nullable: true })
  initialCategory: string | null;

  @Column({ type: 'varchar', length: 3, nullable: true })
  latestCategory: string | null;
}

@Entity()
@Index(['planId'])
export class PlanOutcome extends CaseRecord {
  @Column({ type: 'uuid' })
  planId: string;

  @ManyToOne(() => Plan, { onDelete: 'CASCADE' })
  @JoinColumn()
  plan?: Plan;

  @Column({ type: 'int' })
  position: number;

  /** What needs to change. */
  @Column({ type: 'text' })
  needToChange: string;

  /** How we will know it has changed (the measure). */
  @Column({ type: 'text' })
  measure: string;

  @Column({ type: 'date' })
  byWhen: string;

  /** Set false when an update removes the outcome (kept for the record). */
  @Column({ type: 'boolean', default: true })
  current: boolean;
}

export enum ActionStatus {
  NOT_STARTED = 'NOT_STARTED',
  IN_PROGRESS = 'IN_PROGRESS',
  DONE = 'DONE',
  NOT_DONE = 'NOT_DONE',
}

@Entity()
@Index(['planId'])
export class PlanAction extends CaseRecord {
  @Column({ type: 'uuid' })
  planId: string;

  @ManyToOne(() => Plan, { onDelete: 'CASCADE' })
  @JoinColumn()
  plan?: Plan;

  @Column({ type: 'uuid', nullable: true })
  outcomeId: string | null;

  @ManyToOne(() => PlanOutcome, { onDelete: 'RESTRICT' })
  @JoinColumn()
  outcome?: PlanOutcome;

  /** Who will do it (a person or agency). */
  @Column({ type: 'text' })
  who: string;

  @Column({ type: 'text' })
  what: string;

  @Column({ type: 'date' })
  byWhen: string;

  @Column({ type: 'text', default: ActionStatus.NOT_STARTED })
  status: ActionStatus;

  @Column({ type: 'boolean', default: true })
  current: boolean;
}

export enum ReviewDecision {
  CONTINUE = 'CONTINUE',
  STEP_UP = 'STEP_UP',
  STEP_DOWN = 'STEP_DOWN',
  END = 'END',
}

export interface OutcomeProgress {
  outcomeId: string;
  rating: string;
  comment: string;
}

@Entity()
@Index(['planId', 'heldOn'])
export class PlanReview extends CaseRecord {
  @Column({ type: 'uuid' })
  planId: string;

  @ManyToOne(() => Plan, { onDelete: 'CASCADE' })
  @JoinColumn()
  plan?: Plan;

  @Column({ type: 'date' })
  heldOn: string;

  /** Progress on each current outcome. */
  @Column({ type: 'jsonb' })
  progress: OutcomeProgress[];

  @Column({ type: 'text' })
  decision: ReviewDecision;

  @Column({ type: 'text' })
  summary: string;

  /** When this review was due: on time if heldOn <= dueBy. */
  @Column({ type: 'date', nullable: true })
  dueBy: string | null;

  @Column({ type: 'uuid' })
  reviewerId: string;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT' })
  @JoinColumn()
  reviewer?: Account;
}

/** Every saved version of a plan's content, so an update never loses what the plan said before. */
@Entity()
@Index(['planId', 'version'], { unique: true })
export class PlanRevision {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  planId: string;

  @ManyToOne(() => Plan, { onDelete: 'CASCADE' })
  @JoinColumn()
  plan?: Plan;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'jsonb' })
  content: Record<string, unknown>;

  @Column({ type: 'uuid' })
  changedById: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/**
 * Local practice as configuration: how often a child on each type of plan must be visited, and how often each type of
 * plan is reviewed (CP plans are reviewed by conference: 3 months, then 6).
 */
@Entity()
export class PlanTypeSetting {
  @PrimaryColumn({ type: 'text' })
  planType: PlanType;

  @Column({ type: 'int' })
  visitEveryWorkingDays: number;

  @Column({ type: 'int' })
  reviewEveryMonths: number;
}

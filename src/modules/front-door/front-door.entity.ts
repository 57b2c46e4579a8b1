import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { EarlyHelpEpisode } from '../early-help/early-help.entity';
import { ChildRecord } from '../child/child-record.entity';
import { Account, Team } from '../identity/identity.entity';

export enum ContactOutcome {
  INFORMATION_AND_ADVICE = 'INFORMATION_AND_ADVICE',
  REFERRAL = 'REFERRAL',
  EARLY_HELP = 'EARLY_HELP',
  NO_FURTHER_ACTION = 'NO_FURTHER_ACTION',
}

@Entity()
@Index(['childId', 'receivedAt'])
export class Contact extends ChildRecord {
  @Column({ type: 'timestamptz' })
  receivedAt: Date;

  /** Who made contact, as a CIN census referral source code (N00152). */
  @Column({ type: 'varchar', length: 2 })
  sourceCode: string;

  @Column({ type: 'text' })
  summary: string;

  @Column({ type: 'text' })
  outcome: ContactOutcome;
}

export enum ReferralDecision {
  NO_FURTHER_ACTION = 'NO_FURTHER_ACTION',
  ASSESSMENT = 'ASSESSMENT',
  STRATEGY_DISCUSSION = 'STRATEGY_DISCUSSION',
  EARLY_HELP = 'EARLY_HELP',
}

@Entity()
@Index(['childId', 'referralDate'])
@Index(['decisionDueOn'], { where: 'decision IS NULL' })
@Index(['contactId'])
@Index(['earlyHelpEpisodeId'])
export class Referral extends ChildRecord {
  /** A step-up from early help (source 5D): the early help episode whose assessment and plan it carries. */
  @Column({ type: 'uuid', nullable: true })
  earlyHelpEpisodeId: string | null;

  @ManyToOne(() => EarlyHelpEpisode, { onDelete: 'RESTRICT' })
  @JoinColumn()
  earlyHelpEpisode?: EarlyHelpEpisode;

  @Column({ type: 'uuid', nullable: true })
  contactId: string | null;

  @ManyToOne(() => Contact, { onDelete: 'RESTRICT' })
  @JoinColumn()
  contact?: Contact;

  @Column({ type: 'timestamptz' })
  receivedAt: Date;

  /** CINreferralDate (N00100): the date in England on which the referral was received. */
  @Column({ type: 'date' })
  referralDate: string;

  @Column({ type: 'varchar', length: 2 })
  sourceCode: string;

  @Column({ type: 'varchar', length: 2 })
  primaryNeedCode: string;

  /** Why the referrer is worried: required (the inspection found assessments without a reason). */
  @Column({ type: 'text' })
  reason: string;

  /** One working day after receipt. */
  @Column({ type: 'date' })
  decisionDueOn: string;

  @Column({ type: 'text', nullable: true })
  decision: ReferralDecision | null;

  @Column({ type: 'text', nullable: true })
  decisionReason: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  decidedById: string | null;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT' })
  @JoinColumn()
  decidedBy?: Account;
}

/** Who holds a child's case: team and (optionally) worker, with history (ended rows are kept). */
@Entity()
@Index(['childId'], { unique: true, where: 'ended_at IS NULL' })
@Index(['childId', 'startedAt'])
@Index(['teamId'], { where: 'ended_at IS NULL' })
@Index(['workerId'], { where: 'ended_at IS NULL' })
export class Allocation extends ChildRecord {
  @Column({ type: 'uuid' })
  teamId: string;

  @ManyToOne(() => Team, { onDelete: 'RESTRICT' })
  @JoinColumn()
  team?: Team;

  @Column({ type: 'uuid', nullable: true })
  workerId: string | null;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT' })
  @JoinColumn()
  worker?: Account;

  @Column({ type: 'timestamptz' })
  startedAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @Column({ type: 'text' })
  reason: string;
}

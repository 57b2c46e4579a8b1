import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { ChildRecord } from '../child/child-record.entity';
import { Episode } from '../episode/episode.entity';
import { Account } from '../identity/identity.entity';

export enum AssessmentStatus {
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  AUTHORISED = 'AUTHORISED',
}

/** What the assessment concluded the child needs next. */
export enum AssessmentOutcome {
  CIN_PLAN = 'CIN_PLAN',
  STRATEGY_DISCUSSION = 'STRATEGY_DISCUSSION',
  EARLY_HELP = 'EARLY_HELP',
  CLOSE = 'CLOSE',
}

/** Child and family assessment: due 45 working days from the referral date; structured analysis; manager sign-off. */
@Entity()
@Index(['childId', 'startDate'])
@Index(['episodeId'])
@Index(['dueDate'], { where: "status = 'IN_PROGRESS'" })
export class Assessment extends ChildRecord {
  @Column({ type: 'uuid' })
  episodeId: string;

  @ManyToOne(() => Episode, { onDelete: 'RESTRICT' })
  @JoinColumn()
  episode?: Episode;

  @Column({ type: 'text', default: AssessmentStatus.IN_PROGRESS })
  status: AssessmentStatus;

  /** AssessmentActualStartDate (N00159). */
  @Column({ type: 'date' })
  startDate: string;

  /** 45 working days after the referral date. */
  @Column({ type: 'date' })
  dueDate: string;

  @Column({ type: 'date', nullable: true })
  completedDate: string | null;

  /** AssessmentAuthorisationDate (N00160). */
  @Column({ type: 'date', nullable: true })
  authorisedDate: string | null;

  @Column({ type: 'uuid', nullable: true })
  authorisedById: string | null;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT' })
  @JoinColumn()
  authorisedBy?: Account;

  /** AssessmentFactors (N00181); `21` (no factors) stands alone. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  factors: string[];

  @Column({ type: 'text', nullable: true })
  risks: string | null;

  @Column({ type: 'text', nullable: true })
  strengths: string | null;

  @Column({ type: 'text', nullable: true })
  protectiveFactors: string | null;

  @Column({ type: 'text', nullable: true })
  childsViews: string | null;

  @Column({ type: 'text', nullable: true })
  analysis: string | null;

  @Column({ type: 'text', nullable: true })
  outcome: AssessmentOutcome | null;

  /** Required when completed after the due date. */
  @Column({ type: 'text', nullable: true })
  lateReason: string | null;
}

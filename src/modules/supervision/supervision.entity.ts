import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { CaseRecord } from '../../shared/db/base.entity';
import { ChildRecord } from '../child/child-record.entity';
import { Child } from '../child/child.entity';
import { Account } from '../identity/identity.entity';

export interface SupervisionAction {
  owner: string;
  action: string;
  byWhen: string;
}

/** A supervision session between a supervisor and a worker. */
@Entity()
@Index(['superviseeId', 'heldOn'])
@Index(['supervisorId', 'heldOn'])
export class Supervision extends CaseRecord {
  @Column({ type: 'uuid' })
  supervisorId: string;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT' })
  @JoinColumn()
  supervisor?: Account;

  @Column({ type: 'uuid' })
  superviseeId: string;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT' })
  @JoinColumn()
  supervisee?: Account;

  @Column({ type: 'date' })
  heldOn: string;

  /** General discussion (wellbeing, learning), not about any one child. */
  @Column({ type: 'text', nullable: true })
  generalNotes: string | null;
}

/** One case discussed in supervision: it appears on that child's record. */
@Entity()
@Index(['supervisionId'])
@Index(['childId'])
export class SupervisionCase extends CaseRecord {
  @Column({ type: 'uuid' })
  supervisionId: string;

  @ManyToOne(() => Supervision, { onDelete: 'CASCADE' })
  @JoinColumn()
  supervision?: Supervision;

  @Column({ type: 'uuid' })
  childId: string;

  @ManyToOne(() => Child, { onDelete: 'RESTRICT' })
  @JoinColumn()
  child?: Child;

  @Column({ type: 'text' })
  reflection: string;

  @Column({ type: 'text' })
  decisions: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  actions: SupervisionAction[];
}

/** Management oversight recorded on the child's record. */
@Entity()
@Index(['childId', 'decidedOn'])
export class ManagementDecision extends ChildRecord {
  @Column({ type: 'uuid' })
  decidedById: string;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT' })
  @JoinColumn()
  decidedBy?: Account;

  @Column({ type: 'date' })
  decidedOn: string;

  @Column({ type: 'text' })
  decision: string;

  @Column({ type: 'text' })
  rationale: string;
}

import { Column, JoinColumn, ManyToOne } from 'typeorm';
import { CaseRecord } from '../../shared/db/base.entity';
import { Child } from './child.entity';

/** A case record that belongs to one child (contacts, referrals, episodes, assessments, plans, visits, ...). */
export abstract class ChildRecord extends CaseRecord {
  @Column({ type: 'uuid' })
  childId: string;

  @ManyToOne(() => Child, { onDelete: 'RESTRICT' })
  @JoinColumn()
  child?: Child;
}

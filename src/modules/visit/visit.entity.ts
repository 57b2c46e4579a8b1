import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { ChildRecord } from '../child/child-record.entity';
import { Plan } from '../plan/plan.entity';

export enum VisitType {
  HOME = 'HOME',
  SCHOOL = 'SCHOOL',
  OFFICE = 'OFFICE',
  PLACEMENT = 'PLACEMENT',
  VIRTUAL = 'VIRTUAL',
  OTHER = 'OTHER',
}

@Entity()
@Index(['childId', 'visitedOn'])
@Index(['planId'])
export class Visit extends ChildRecord {
  /** The plan the visit was made under, if any. */
  @Column({ type: 'uuid', nullable: true })
  planId: string | null;

  @ManyToOne(() => Plan, { onDelete: 'RESTRICT' })
  @JoinColumn()
  plan?: Plan;

  @Column({ type: 'date' })
  visitedOn: string;

  @Column({ type: 'text' })
  type: VisitType;

  @Column({ type: 'boolean' })
  seen: boolean;

  @Column({ type: 'boolean' })
  seenAlone: boolean;

  /** Who else was there (names or roles). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  present: string[];

  @Column({ type: 'text' })
  note: string;
}

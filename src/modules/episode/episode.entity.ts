import { Check, Column, Entity, Exclusion, Index, JoinColumn, ManyToOne } from 'typeorm';
import { ChildRecord } from '../child/child-record.entity';
import { Referral } from '../front-door/front-door.entity';

/**
 * An episode of need (CINdetails in the CIN census): opened by a referral that is not closed at decision, closed
 * with a date and a reason RC1-RC9 (both or neither). A child's episodes never overlap (exclusion constraint).
 */
@Entity()
@Index(['childId', 'startDate'])
@Index(['referralId'], { unique: true })
@Check('episode_closure_both_or_neither', '("closure_date" IS NULL) = ("closure_reason" IS NULL)')
@Check('episode_closure_after_start', '"closure_date" IS NULL OR "closure_date" >= "start_date"')
@Exclusion('episode_no_overlap', `USING gist ("child_id" WITH =, daterange("start_date", "closure_date", '[]') WITH &&)`)
export class Episode extends ChildRecord {
  @Column({ type: 'uuid' })
  referralId: string;

  @ManyToOne(() => Referral, { onDelete: 'RESTRICT' })
  @JoinColumn()
  referral?: Referral;

  /** CINreferralDate: the opening referral's date. */
  @Column({ type: 'date' })
  startDate: string;

  @Column({ type: 'varchar', length: 2 })
  referralSource: string;

  @Column({ type: 'varchar', length: 2 })
  primaryNeedCode: string;

  @Column({ type: 'date', nullable: true })
  closureDate: string | null;

  /** RC1-RC9. */
  @Column({ type: 'varchar', length: 3, nullable: true })
  closureReason: string | null;
}

import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { CaseRecord } from '../../shared/db/base.entity';
import { Child } from '../child/child.entity';

@Entity()
@Index('family_restricted', ['id'], { where: 'restricted' })
export class Family extends CaseRecord {
  /** How the household is known, e.g. "Smith-Okafor household". */
  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  postcode: string | null;

  @Column({ type: 'boolean', default: false })
  restricted: boolean;

  @Column({ type: 'text', nullable: true })
  restrictionReason: string | null;
}

export enum MemberKind {
  CHILD = 'CHILD',
  ADULT = 'ADULT',
}

/** A person in a household: a child (a Child record) or an adult (held here). */
@Entity()
@Index(['familyId'])
@Index(['childId'])
@Index(['familyId', 'childId'], { unique: true, where: 'child_id IS NOT NULL' })
export class FamilyMember extends CaseRecord {
  @Column({ type: 'uuid' })
  familyId: string;

  @ManyToOne(() => Family, { onDelete: 'CASCADE' })
  @JoinColumn()
  family?: Family;

  @Column({ type: 'text' })
  kind: MemberKind;

  @Column({ type: 'uuid', nullable: true })
  childId: string | null;

  @ManyToOne(() => Child, { onDelete: 'RESTRICT' })
  @JoinColumn()
  child?: Child;

  @Column({ type: 'text', nullable: true })
  firstName: string | null;

  @Column({ type: 'text', nullable: true })
  lastName: string | null;

  @Column({ type: 'date', nullable: true })
  dateOfBirth: string | null;

  /** Relationship to the household's children, e.g. MOTHER, FATHER, STEP_PARENT, SIBLING, GRANDPARENT. */
  @Column({ type: 'text' })
  relationship: string;

  @Column({ type: 'boolean', default: false })
  parentalResponsibility: boolean;
}

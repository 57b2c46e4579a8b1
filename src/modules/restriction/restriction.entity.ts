import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Account } from '../identity/identity.entity';
import { Child } from '../child/child.entity';
import { Family } from '../family/family.entity';

/** A person named on a restricted child or family: only they see it. */
@Entity()
@Check('"child_id" IS NOT NULL OR "family_id" IS NOT NULL')
@Index(['childId', 'accountId'], { unique: true, where: 'child_id IS NOT NULL' })
@Index(['familyId', 'accountId'], { unique: true, where: 'family_id IS NOT NULL' })
@Index(['accountId'])
export class RestrictionGrant {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid', nullable: true })
  childId: string | null;

  @ManyToOne(() => Child, { onDelete: 'CASCADE' })
  @JoinColumn()
  child?: Child;

  @Column({ type: 'uuid', nullable: true })
  familyId: string | null;

  @ManyToOne(() => Family, { onDelete: 'CASCADE' })
  @JoinColumn()
  family?: Family;

  @Column({ type: 'uuid' })
  accountId: string;

  @ManyToOne(() => Account, { onDelete: 'CASCADE' })
  @JoinColumn()
  account?: Account;

  @Column({ type: 'uuid' })
  grantedById: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** Emergency access to a restricted child by someone not named: time-limited, with a reason, flagged in the audit. */
@Entity()
@Index(['childId', 'accountId', 'expiresAt'])
export class BreakGlassAccess {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  childId: string;

  @ManyToOne(() => Child, { onDelete: 'CASCADE' })
  @JoinColumn()
  child?: Child;

  @Column({ type: 'uuid' })
  accountId: string;

  @ManyToOne(() => Account, { onDelete: 'CASCADE' })
  @JoinColumn()
  account?: Account;

  @Column({ type: 'text' })
  reason: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;
}

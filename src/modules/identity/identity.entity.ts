import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CaseRecord } from '../../shared/db/base.entity';

export enum TeamKind {
  FRONT_DOOR = 'FRONT_DOOR',
  ASSESSMENT = 'ASSESSMENT',
  CHILD_IN_NEED = 'CHILD_IN_NEED',
  CHILD_PROTECTION = 'CHILD_PROTECTION',
  EARLY_HELP = 'EARLY_HELP',
  REVIEWING = 'REVIEWING',
  SERVICE = 'SERVICE',
  BUSINESS_SUPPORT = 'BUSINESS_SUPPORT',
}

@Entity()
export class Team extends CaseRecord {
  @Column({ type: 'text', unique: true })
  name: string;

  @Column({ type: 'text' })
  kind: TeamKind;
}

@Entity()
export class Provider extends CaseRecord {
  @Column({ type: 'text', unique: true })
  name: string;
}

/** The eleven roles of the contract, held as data (permissions per role are code: identity/permissions.ts). */
@Entity()
export class Role {
  @PrimaryColumn({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  name: string;
}

@Entity()
@Index(['teamId'])
@Index(['providerId'])
export class Account extends CaseRecord {
  @Column({ type: 'text', unique: true })
  email: string;

  @Column({ type: 'text' })
  displayName: string;

  @Column({ type: 'uuid', nullable: true })
  teamId: string | null;

  @ManyToOne(() => Team, { onDelete: 'RESTRICT' })
  @JoinColumn()
  team?: Team;

  @Column({ type: 'uuid', nullable: true })
  providerId: string | null;

  @ManyToOne(() => Provider, { onDelete: 'RESTRICT' })
  @JoinColumn()
  provider?: Provider;

  /** First-year (newly qualified) social worker: protected caseload. */
  @Column({ type: 'boolean', default: false })
  newlyQualified: boolean;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  /** A provider's system account (its own case system submitting through the API), not a person. */
  @Column({ type: 'boolean', default: false })
  system: boolean;

  /** How often this worker must be supervised (working days); newly qualified workers are usually more often. */
  @Column({ type: 'int', default: 20 })
  supervisionEveryWorkingDays: number;
}

@Entity()
export class AccountRole {
  @PrimaryColumn({ type: 'uuid' })
  accountId: string;

  @PrimaryColumn({ type: 'text' })
  roleCode: string;

  @ManyToOne(() => Account, { onDelete: 'CASCADE' })
  @JoinColumn()
  account?: Account;

  @ManyToOne(() => Role, { onDelete: 'RESTRICT' })
  @JoinColumn()
  role?: Role;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}


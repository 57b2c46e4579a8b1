import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum AuditResult {
  ALLOWED = 'ALLOWED',
  DENIED = 'DENIED',
}

/**
 * Append-only access and change log (a trigger refuses UPDATE and DELETE). Written in the same transaction as the
 * change it records, and for reads before the data is returned.
 */
@Entity()
@Index(['childId', 'at'])
@Index(['actorId', 'at'])
@Index(['entityId'])
export class AuditEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  actorRoles: string[];

  /** The actor's team or provider. */
  @Column({ type: 'uuid', nullable: true })
  organisationId: string | null;

  /** area.pastTense, e.g. child.viewed, referral.decided. */
  @Column({ type: 'text' })
  action: string;

  @Column({ type: 'text' })
  entity: string;

  @Column({ type: 'uuid', nullable: true })
  entityId: string | null;

  @Column({ type: 'uuid', nullable: true })
  childId: string | null;

  /** Names of the fields read or changed (never their values). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  fields: string[];

  @Column({ type: 'text', default: AuditResult.ALLOWED })
  result: AuditResult;

  @Column({ type: 'boolean', default: false })
  breakGlass: boolean;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'text', nullable: true })
  requestId: string | null;
}

import { Column, Entity, Index } from 'typeorm';
import { CaseRecord } from '../../shared/db/base.entity';

export enum Sex {
  M = 'M',
  F = 'F',
  U = 'U',
}

@Entity()
@Index(['dateOfBirth'])
@Index(['expectedDateOfBirth'])
@Index(['nhsNumber'])
@Index(['upn'])
/** Restricted children are few: scope checks that look for them read this small index, not the table. */
@Index('child_restricted', ['id'], { where: 'restricted' })
@Index('child_name_trgm', { synchronize: false })
@Index('child_last_name_phonetic', { synchronize: false })
@Index('child_first_name_phonetic', { synchronize: false })
export class Child extends CaseRecord {
  /** LA child ID (N00097): at most 20 letters and digits, unique. */
  @Column({ type: 'varchar', length: 20, unique: true })
  laChildId: string;

  @Column({ type: 'text' })
  firstName: string;

  @Column({ type: 'text' })
  lastName: string;

  @Column({ type: 'date', nullable: true })
  dateOfBirth: string | null;

  @Column({ type: 'date', nullable: true })
  expectedDateOfBirth: string | null;

  @Column({ type: 'char', length: 1 })
  sex: Sex;

  @Column({ type: 'varchar', length: 4, nullable: true })
  ethnicity: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  disabilities: string[];

  @Column({ type: 'char', length: 10, nullable: true })
  nhsNumber: string | null;

  @Column({ type: 'char', length: 13, nullable: true })
  upn: string | null;

  @Column({ type: 'varchar', length: 3, nullable: true })
  upnUnknownReason: string | null;

  /** FormerUPN (N00002), when the child's UPN changed. */
  @Column({ type: 'char', length: 13, nullable: true })
  formerUpn: string | null;

  /** PersonDeathDate (N00108). */
  @Column({ type: 'date', nullable: true })
  dateOfDeath: string | null;

  @Column({ type: 'boolean', default: false })
  restricted: boolean;

  @Column({ type: 'text', nullable: true })
  restrictionReason: string | null;
}

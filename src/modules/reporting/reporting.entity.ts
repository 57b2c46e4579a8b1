import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Local caseload settings (one row, id 1): the caps a worker's caseload is measured against and the weight of each
 * kind of case in the weighted count (a child protection case is heavier than a child in need case).
 */
@Entity()
@Check(`id = 1`)
export class CaseloadSetting {
  @PrimaryColumn({ type: 'int' })
  id: number;

  /** Children per (experienced) social worker. */
  @Column({ type: 'int', default: 18 })
  standardCap: number;

  /** The protected caseload of a newly qualified (first-year, ASYE) social worker. */
  @Column({ type: 'int', default: 12 })
  protectedCap: number;

  /** Weights by the case's stage (numeric(3,1)): child protection plan, child in need plan, assessment, other. */
  @Column({ type: 'numeric', precision: 3, scale: 1, default: () => '1.5' })
  weightChildProtection: string;

  @Column({ type: 'numeric', precision: 3, scale: 1, default: 1.0 })
  weightChildInNeed: string;

  @Column({ type: 'numeric', precision: 3, scale: 1, default: 1.0 })
  weightAssessment: string;

  @Column({ type: 'numeric', precision: 3, scale: 1, default: () => '0.5' })
  weightOther: string;
}

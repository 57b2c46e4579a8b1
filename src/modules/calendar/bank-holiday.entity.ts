import { Column, Entity, PrimaryColumn } from 'typeorm';

/** England and Wales bank holidays: seeded from date-holidays; one-off holidays are added here (`addBankHoliday`). */
@Entity()
export class BankHoliday {
  @PrimaryColumn({ type: 'date' })
  date: string;

  @Column({ type: 'text' })
  name: string;

  /** 'date-holidays' or 'manual'. */
  @Column({ type: 'text', default: 'date-holidays' })
  source: string;
}

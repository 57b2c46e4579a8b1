import { HasText } from '../../shared/graphql/validators';
import type { DataSource } from 'typeorm';
import { Field, InputType, ObjectType } from 'type-graphql';
import type { Actor } from '../identity/actor';
import { AuditWriter } from '../audit/audit.writer';
import { IsoDate, londonDate, WorkingCalendar } from '../../shared/clock/calendar';
import { badInput, DomainError, ErrorCode } from '../../shared/errors';
import { isUniqueViolation } from '../../shared/db/versioned';
import { LocalDate } from '../../shared/graphql/scalars';

/** Where "now" comes from: injected so tests and the seed can fix it. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

@ObjectType('BankHoliday')
export class BankHolidayType {
  @Field(() => LocalDate)
  date: string;

  @Field()
  name: string;

  @Field()
  source: string;
}

@InputType()
export class AddBankHolidayInput {
  @Field(() => LocalDate)
  date: string;

  @Field()
  @HasText(3, 100)
  name: string;
}

/**
 * The one calendar: Monday to Friday less the `bank_holiday` table (seeded from date-holidays, one-offs added by an
 * administrator). Held in memory and reloaded after a change.
 */
export class CalendarService {
  private calendar = new WorkingCalendar([]);

  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditWriter,
    readonly clock: Clock = systemClock,
  ) {}

  async load(): Promise<void> {
    const rows: { date: string }[] = await this.db.query(`SELECT date FROM bank_holiday`);
    this.calendar = new WorkingCalendar(rows.map((r) => r.date));
  }

  /** The calendar as it stands now, for pure clock functions (shared/clock/timescales.ts). */
  workingCalendar(): WorkingCalendar {
    return this.calendar;
  }

  today(): IsoDate {
    return londonDate(this.clock.now());
  }

  addWorkingDays(date: IsoDate, n: number): IsoDate {
    return this.calendar.addWorkingDays(date, n);
  }

  workingDaysBetween(a: IsoDate, b: IsoDate): number {
    return this.calendar.workingDaysBetween(a, b);
  }

  async list(year: number): Promise<BankHolidayType[]> {
    // make_date refuses year 0 and overflows near 2^31: answer bad input rather than a server error.
    if (!Number.isInteger(year) || year < 1 || year > 9999) {
      throw badInput([{ field: 'year', message: 'must be between 1 and 9999' }]);
    }
    return this.db.query(
      `SELECT date, name, source FROM bank_holiday WHERE date >= make_date($1, 1, 1) AND date < make_date($1 + 1, 1, 1) ORDER BY date`,
      [year],
    );
  }

  async add(actor: Actor, input: AddBankHolidayInput): Promise<BankHolidayType> {
    const row = await this.db.transaction(async (tx) => {
      try {
        const [r] = await tx.query(`INSERT INTO bank_holiday (date, name, source) VALUES ($1, $2, 'manual') RETURNING date, name, source`, [
          input.date,
          input.name,
        ]);
        await this.audit.record(tx, actor, { action: 'calendar.holidayAdded', entity: 'bank_holiday', fields: ['date', 'name'] });
        return r as BankHolidayType;
      } catch (err) {
        if (isUniqueViolation(err)) throw new DomainError(ErrorCode.BANK_HOLIDAY_EXISTS, 'That date is already a bank holiday');
        throw err;
      }
    });
    await this.load();
    return row;
  }
}

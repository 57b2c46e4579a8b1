import Holidays from 'date-holidays';

/** An ISO calendar date, `YYYY-MM-DD`. Statutory dates are dates, not instants. */
export type IsoDate = string;

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function toUtc(date: IsoDate): number {
  if (!ISO_DATE.test(date)) throw new RangeError(`not an ISO date: ${date}`);
  return Date.parse(`${date}T00:00:00Z`);
}
const fromUtc = (ms: number): IsoDate => new Date(ms).toISOString().slice(0, 10);

export function addCalendarDays(date: IsoDate, days: number): IsoDate {
  return fromUtc(toUtc(date) + days * DAY_MS);
}

/** The calendar date in England (Europe/London) of an instant: a referral received at 23:30 BST is that day's. */
export function londonDate(instant: Date): IsoDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    instant,
  );
}

/**
 * Working days: Monday to Friday less England and Wales bank holidays.
 * Conventions (shared/domain/working_days.md):
 * - `addWorkingDays(d, n)` is the n-th working day after d (d itself is not counted), so a referral received on a
 *   Friday is due for decision on Monday, or Tuesday after a bank holiday Monday.
 * - `workingDaysBetween(a, b)` counts working days w with a < w <= b: the same day is 0 (the DfE duration buckets).
 */
export class WorkingCalendar {
  private readonly holidays: ReadonlySet<IsoDate>;

  constructor(holidays: Iterable<IsoDate>) {
    this.holidays = new Set(holidays);
  }

  isWorkingDay(date: IsoDate): boolean {
    const dow = new Date(toUtc(date)).getUTCDay();
    return dow !== 0 && dow !== 6 && !this.holidays.has(date);
  }

  addWorkingDays(date: IsoDate, n: number): IsoDate {
    if (!Number.isInteger(n)) throw new RangeError('n must be an integer');
    const step = n >= 0 ? 1 : -1;
    let remaining = Math.abs(n);
    let current = date;
    while (remaining > 0) {
      current = addCalendarDays(current, step);
      if (this.isWorkingDay(current)) remaining -= 1;
    }
    return current;
  }

  workingDaysBetween(a: IsoDate, b: IsoDate): number {
    if (toUtc(b) < toUtc(a)) return -this.workingDaysBetween(b, a);
    let count = 0;
    for (let d = addCalendarDays(a, 1); toUtc(d) <= toUtc(b); d = addCalendarDays(d, 1)) {
      if (this.isWorkingDay(d)) count += 1;
    }
    return count;
  }
}

export interface BankHolidaySeed {
  date: IsoDate;
  name: string;
}

/**
 * England and Wales bank holidays from `date-holidays` (GB/ENG, type 'public' only: observances such as Mother's Day
 * are dropped; substitute days come back as their own dates).
 */
export function englandAndWalesBankHolidays(fromYear: number, toYear: number): BankHolidaySeed[] {
  const hd = new Holidays('GB', 'ENG');
  const out: BankHolidaySeed[] = [];
  for (let year = fromYear; year <= toYear; year++) {
    for (const h of hd.getHolidays(year)) {
      if (h.type !== 'public') continue;
      const date = h.date.slice(0, 10);
      if (!out.some((o) => o.date === date)) out.push({ date, name: h.name });
    }
  }
  return out.sort((x, y) => x.date.localeCompare(y.date));
}

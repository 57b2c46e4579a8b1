import { addCalendarDays, IsoDate, WorkingCalendar } from '../../../shared/clock/calendar';
import type { CensusPeriod } from '../census.model';

/** The collection year ending 31 March `year`: 1 April (year - 1) to 31 March `year` (the ReferenceDate). */
export function censusPeriod(year: number): CensusPeriod {
  return { year, start: `${year - 1}-04-01`, referenceDate: `${year}-03-31` };
}

/** The collection year containing a date (1 April to 31 March). */
export function censusYearOf(date: IsoDate): number {
  const year = Number(date.slice(0, 4));
  return date.slice(5) >= '04-01' ? year + 1 : year;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Calendar months later (or earlier), the day clamped to the month's end: 31 March + 9 months = 31 December. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(d, last))}`;
}

export const addYears = (date: IsoDate, years: number): IsoDate => addMonths(date, years * 12);

export function isWeekend(date: IsoDate): boolean {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6;
}

/**
 * `date` minus n working days as the DfE validator counts it (working_days.md: `ref - CustomBusinessDay(n - 1)`, so the
 * anchor counts as day 1): 31 March 2026 - 45 WD = 28 January. When `date` is not a working day the first step back lands
 * on the working day before it (31 March 2024, a Sunday before Easter Monday: -45 WD = 29 January, -15 WD = 11 March), and
 * a zero offset rolls forward to the next working day (-1 WD from a Sunday is the Monday, or after a bank holiday later).
 */
export function workingDaysBack(calendar: WorkingCalendar, date: IsoDate, n: number): IsoDate {
  if (n > 1) return calendar.addWorkingDays(date, -(n - 1));
  return calendar.isWorkingDay(date) ? date : calendar.addWorkingDays(date, 1);
}

/** What every rule needs about the collection year, computed once per validation run. */
export interface RuleContext {
  period: CensusPeriod;
  start: IsoDate;
  ref: IsoDate;
  /** 8569Q: [Start_of_Census_Year] minus 1 working day. */
  startMinus1Wd: IsoDate;
  /** 8670Q: ReferenceDate minus 45 working days. */
  refMinus45Wd: IsoDate;
  /** 8675Q: ReferenceDate minus 15 working days. */
  refMinus15Wd: IsoDate;
  /** 8530Q: expected dates of birth from ReferenceDate - 30 days to ReferenceDate + 9 months. */
  expectedBirthFrom: IsoDate;
  expectedBirthTo: IsoDate;
  /**
   * 8770Q: a child born on or before this date is of school age, i.e. starts school by the September after the census:
   * ReferenceDate + 4 months + 31 days - 4 years (31 August, four years before that September).
   */
  schoolAgeBornBy: IsoDate;
  /** 8775Q: born before this date = over 25 at the ReferenceDate. */
  over25BornBefore: IsoDate;
}

export function ruleContext(period: CensusPeriod, calendar: WorkingCalendar): RuleContext {
  const ref = period.referenceDate;
  return {
    period,
    start: period.start,
    ref,
    startMinus1Wd: workingDaysBack(calendar, period.start, 1),
    refMinus45Wd: workingDaysBack(calendar, ref, 45),
    refMinus15Wd: workingDaysBack(calendar, ref, 15),
    expectedBirthFrom: addCalendarDays(ref, -30),
    expectedBirthTo: addMonths(ref, 9),
    schoolAgeBornBy: addYears(addCalendarDays(addMonths(ref, 4), 31), -4),
    over25BornBefore: addYears(ref, -25),
  };
}

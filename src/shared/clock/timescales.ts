import { addCalendarDays, IsoDate, WorkingCalendar } from './calendar';

/** Anything that counts working days: the pure WorkingCalendar, or the CalendarService that holds one. */
export type WorkingDays = Pick<WorkingCalendar, 'addWorkingDays' | 'workingDaysBetween'>;

/**
 * Statutory and local timescales (shared/domain/TIMESCALES.md), as pure functions of the calendar.
 * Working Together: referral decision 1 WD; assessment 45 WD from the referral date; initial conference 15 WD from the
 * strategy discussion; first review conference within 3 months of the initial one, then at most every 6 months.
 * Visits and supervision: every N working days, N being local configuration.
 */
export const TIMESCALES = {
  referralDecisionWorkingDays: 1,
  assessmentWorkingDays: 45,
  initialConferenceWorkingDays: 15,
  firstReviewConferenceMonths: 3,
  laterReviewConferenceMonths: 6,
  /** "Due soon": within this many working days. */
  dueSoonWorkingDays: 5,
} as const;

/** Calendar months later, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

export const assessmentDue = (cal: WorkingDays, referralDate: IsoDate) =>
  cal.addWorkingDays(referralDate, TIMESCALES.assessmentWorkingDays);

export const initialConferenceTarget = (cal: WorkingDays, strategyDiscussionDate: IsoDate) =>
  cal.addWorkingDays(strategyDiscussionDate, TIMESCALES.initialConferenceWorkingDays);

/** The next review conference: 3 months after the initial conference, 6 months after a review. */
export const reviewConferenceDue = (heldOn: IsoDate, after: 'INITIAL' | 'REVIEW') =>
  addMonths(heldOn, after === 'INITIAL' ? TIMESCALES.firstReviewConferenceMonths : TIMESCALES.laterReviewConferenceMonths);

/** Next visit or supervision: N working days after the last one (or after the start when there has been none). */
export const nextDueAfter = (cal: WorkingDays, last: IsoDate, everyWorkingDays: number) => cal.addWorkingDays(last, everyWorkingDays);

export enum Urgency {
  OVERDUE = 'OVERDUE',
  DUE_TODAY = 'DUE_TODAY',
  DUE_SOON = 'DUE_SOON',
  UPCOMING = 'UPCOMING',
}

/** How urgent something due on `dueOn` is on `today`. */
export function urgencyOf(cal: WorkingDays, dueOn: IsoDate, today: IsoDate): Urgency {
  if (today > dueOn) return Urgency.OVERDUE;
  if (today === dueOn) return Urgency.DUE_TODAY;
  return cal.workingDaysBetween(today, dueOn) <= TIMESCALES.dueSoonWorkingDays ? Urgency.DUE_SOON : Urgency.UPCOMING;
}

/** Completed after its due date? (the same day is on time) */
export const isLate = (dueOn: IsoDate, doneOn: IsoDate) => doneOn > dueOn;

export { addCalendarDays };

import { englandAndWalesBankHolidays, WorkingCalendar } from '../calendar';
import {
  addMonths, assessmentDue, initialConferenceTarget, isLate, nextDueAfter, reviewConferenceDue, Urgency, urgencyOf,
} from '../timescales';

const cal = new WorkingCalendar(englandAndWalesBankHolidays(2025, 2028).map((h) => h.date));

describe('statutory clocks', () => {
  it('assessment: 45 working days from the referral date, across Christmas and New Year', () => {
    expect(assessmentDue(cal, '2026-12-01')).toBe('2027-02-05');
    expect(cal.workingDaysBetween('2026-12-01', assessmentDue(cal, '2026-12-01'))).toBe(45);
    // a Friday referral: the clock starts on Monday
    expect(assessmentDue(cal, '2026-11-20')).toBe('2027-01-27');
  });

  it('assessment: across Easter (Good Friday and Easter Monday 2026)', () => {
    // 2026-03-20 (Fri) + 45 WD, skipping 3 and 6 April, 4 and 25 May
    expect(assessmentDue(cal, '2026-03-20')).toBe('2026-05-28'); // also the May Day and spring bank holidays
    expect(cal.workingDaysBetween('2026-03-20', '2026-05-28')).toBe(45);
  });

  it('initial conference: 15 working days from the strategy discussion, across the Boxing Day substitute', () => {
    expect(initialConferenceTarget(cal, '2026-12-21')).toBe('2027-01-14'); // 25, 28 Dec and 1 Jan skipped
    expect(initialConferenceTarget(cal, '2026-11-26')).toBe('2026-12-17');
    expect(initialConferenceTarget(cal, '2026-05-22')).toBe('2026-06-15'); // spring bank holiday 25 May
  });

  it('review conferences: 3 months after the initial one, then 6, clamped to month ends', () => {
    expect(reviewConferenceDue('2026-11-26', 'INITIAL')).toBe('2027-02-26');
    expect(reviewConferenceDue('2026-11-30', 'INITIAL')).toBe('2027-02-28');
    expect(reviewConferenceDue('2027-08-31', 'REVIEW')).toBe('2028-02-29');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
  });

  it('visits and supervision: every N working days from the last one', () => {
    expect(nextDueAfter(cal, '2026-12-18', 10)).toBe('2027-01-06'); // CP: 10 WD over Christmas
    expect(nextDueAfter(cal, '2026-11-26', 20)).toBe('2026-12-24'); // CIN: 20 WD
    expect(nextDueAfter(cal, '2026-04-01', 10)).toBe('2026-04-17'); // over Easter
  });

  it('urgency: overdue, due today, due soon (5 working days), upcoming; late means after the due day', () => {
    expect(urgencyOf(cal, '2026-11-25', '2026-11-26')).toBe(Urgency.OVERDUE);
    expect(urgencyOf(cal, '2026-11-26', '2026-11-26')).toBe(Urgency.DUE_TODAY);
    expect(urgencyOf(cal, '2026-12-03', '2026-11-26')).toBe(Urgency.DUE_SOON);
    expect(urgencyOf(cal, '2026-12-04', '2026-11-26')).toBe(Urgency.UPCOMING);
    expect(isLate('2026-11-26', '2026-11-26')).toBe(false);
    expect(isLate('2026-11-26', '2026-11-27')).toBe(true);
  });
});

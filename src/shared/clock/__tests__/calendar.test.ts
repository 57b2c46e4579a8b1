import { englandAndWalesBankHolidays, londonDate, WorkingCalendar } from '../calendar';

// The gov.uk england-and-wales list for 2022-2027, weekdays only (shared/domain/working_days.md: 51 dates).
const GOV_UK_2022_2027 = [
  '2022-01-03', '2022-04-15', '2022-04-18', '2022-05-02', '2022-06-02', '2022-06-03', '2022-08-29', '2022-09-19', '2022-12-26', '2022-12-27',
  '2023-01-02', '2023-04-07', '2023-04-10', '2023-05-01', '2023-05-08', '2023-05-29', '2023-08-28', '2023-12-25', '2023-12-26',
  '2024-01-01', '2024-03-29', '2024-04-01', '2024-05-06', '2024-05-27', '2024-08-26', '2024-12-25', '2024-12-26',
  '2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26',
  '2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28',
  '2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28',
];

const weekday = (d: string) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());

describe('England and Wales bank holidays from date-holidays', () => {
  it('match the gov.uk list for 2022-2027 on weekdays', () => {
    const dates = englandAndWalesBankHolidays(2022, 2027).map((h) => h.date).filter(weekday);
    expect(dates).toEqual(GOV_UK_2022_2027);
  });
  it('drop observances such as Mother\'s Day and Easter Sunday', () => {
    const names = englandAndWalesBankHolidays(2026, 2026).map((h) => h.name.toLowerCase());
    expect(names.some((n) => n.includes('mother'))).toBe(false);
    expect(englandAndWalesBankHolidays(2026, 2026).map((h) => h.date)).not.toContain('2026-04-05');
  });
});

describe('WorkingCalendar', () => {
  const cal = new WorkingCalendar(englandAndWalesBankHolidays(2025, 2027).map((h) => h.date));

  it('skips weekends', () => {
    expect(cal.addWorkingDays('2026-11-27', 1)).toBe('2026-11-30'); // Friday -> Monday
    expect(cal.addWorkingDays('2026-11-28', 1)).toBe('2026-11-30'); // Saturday -> Monday
    expect(cal.workingDaysBetween('2026-11-27', '2026-11-30')).toBe(1);
    expect(cal.workingDaysBetween('2026-11-26', '2026-11-26')).toBe(0);
  });

  it('skips Good Friday and Easter Monday', () => {
    expect(cal.addWorkingDays('2026-04-02', 1)).toBe('2026-04-07'); // Thursday before Easter -> Tuesday after
    expect(cal.workingDaysBetween('2026-04-02', '2026-04-07')).toBe(1);
  });

  it('uses the substitute day when Boxing Day 2026 falls on a Saturday', () => {
    expect(cal.isWorkingDay('2026-12-26')).toBe(false);
    expect(cal.isWorkingDay('2026-12-28')).toBe(false);
    expect(cal.addWorkingDays('2026-12-24', 1)).toBe('2026-12-29');
    expect(cal.workingDaysBetween('2026-12-24', '2026-12-31')).toBe(3); // 29, 30, 31
  });

  it('counts 45 working days for an assessment across Christmas', () => {
    // from 1 Dec 2026: 22 working days in December less 25 and 28 Dec
    expect(cal.workingDaysBetween('2026-12-01', '2026-12-31')).toBe(20);
    const due = cal.addWorkingDays('2026-12-01', 45);
    expect(cal.workingDaysBetween('2026-12-01', due)).toBe(45);
    expect(due).toBe('2027-02-05'); // 20 in Dec, 1 Jan is a holiday, 20 in Jan, 5 in Feb
  });

  it('counts backwards as the DfE rules do', () => {
    expect(cal.addWorkingDays('2026-03-31', -14)).toBe('2026-03-11'); // 15 WD inclusive of the anchor
    expect(cal.addWorkingDays('2026-03-31', -44)).toBe('2026-01-28'); // 45 WD inclusive of the anchor
    expect(cal.workingDaysBetween('2026-03-31', '2026-03-11')).toBe(-14);
  });

  it('honours a one-off holiday added to the table', () => {
    const withOneOff = new WorkingCalendar(['2026-11-30']);
    expect(withOneOff.addWorkingDays('2026-11-27', 1)).toBe('2026-12-01');
  });

  it('gives the London date of an instant', () => {
    expect(londonDate(new Date('2026-07-01T23:30:00Z'))).toBe('2026-07-02'); // BST
    expect(londonDate(new Date('2026-12-01T23:30:00Z'))).toBe('2026-12-01'); // GMT
  });
});

import { codeOf, TestApi } from '../../../../test/api';
import { Council, Suite, useCouncilSuite } from '../../../../test/factories';

const HOLIDAYS = `query($year: Int!) { bankHolidays(year: $year) { date name source } }`;
const ADD = `mutation($input: AddBankHolidayInput!) { addBankHoliday(input: $input) { date name source } }`;
const CREATE_REFERRAL = `mutation($input: CreateReferralInput!) { createReferral(input: $input) { id referralDate decisionDueOn } }`;

const ENGLAND_AND_WALES_2026 = ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28'];

const suite = useCouncilSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});

const isWeekday = (d: string) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay());
const manualRows = () => api.db.query(`SELECT date, name, source FROM bank_holiday WHERE source = 'manual' ORDER BY date`);

describe('bankHolidays', () => {
  it('lists the England and Wales bank holidays for 2026, in date order', async () => {
    const r = await api.run(HOLIDAYS, { year: 2026 }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    const list: { date: string; name: string; source: string }[] = r.data.bankHolidays;
    const dates = list.map((h) => h.date);
    expect(dates).toEqual([...dates].sort());
    expect(dates.every((d) => d.startsWith('2026-'))).toBe(true);
    // The days off work: exactly the eight published for 2026 (Boxing Day's substitute is Monday 28 December).
    expect(dates.filter(isWeekday)).toEqual(ENGLAND_AND_WALES_2026);
    // date-holidays also gives Boxing Day itself (Saturday 26 December); anything beyond the eight is at a weekend.
    expect(dates.filter((d) => !isWeekday(d))).toEqual(['2026-12-26']);
    expect(list.find((h) => h.date === '2026-12-28')?.name).toMatch(/substitute/i);
    expect(list.every((h) => h.source === 'date-holidays' && h.name.length > 0)).toBe(true);
  });

  it('is readable by any signed-in role, and by nobody anonymous', async () => {
    expect(codeOf(await api.run(HOLIDAYS, { year: 2026 }))).toBe('UNAUTHENTICATED');
    for (const who of [c.providerPractitioner, c.analyst, c.admin, c.governance]) {
      const r = await api.run(HOLIDAYS, { year: 2026 }, who);
      expect(r.errors).toBeUndefined();
      expect(r.data.bankHolidays.map((h: { date: string }) => h.date).filter(isWeekday)).toEqual(ENGLAND_AND_WALES_2026);
    }
  });

  it('lists nothing for a year before the seeded range, and refuses a year that is no year', async () => {
    expect((await api.run(HOLIDAYS, { year: 1990 }, c.socialWorker)).data.bankHolidays).toEqual([]);
    for (const year of [0, -1, 10000, 2147483647]) {
      const r = await api.run(HOLIDAYS, { year }, c.socialWorker);
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0].extensions?.fields?.map((f) => f.field)).toEqual(['year']);
    }
  });
});

describe('addBankHoliday', () => {
  const holiday = { date: '2027-06-07', name: 'Royal celebration bank holiday' };

  it('refuses an anonymous caller and writes nothing', async () => {
    expect(codeOf(await api.run(ADD, { input: holiday }))).toBe('UNAUTHENTICATED');
    expect(await manualRows()).toEqual([]);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses everyone but administrators, audits the denial, and writes nothing', async () => {
    for (const who of [c.socialWorker, c.teamManager, c.serviceManager, c.governance]) {
      expect(codeOf(await api.run(ADD, { input: holiday }, who))).toBe('FORBIDDEN');
    }
    expect(await manualRows()).toEqual([]);
    expect(await given.auditRows('access.denied')).toHaveLength(4);
    expect(await given.auditRows('calendar.holidayAdded')).toHaveLength(0);
  });

  it('refuses invalid input and writes nothing', async () => {
    const shortName = await api.run(ADD, { input: { ...holiday, name: 'X' } }, c.admin);
    expect(codeOf(shortName)).toBe('BAD_USER_INPUT');
    expect(shortName.errors?.[0].extensions?.fields?.map((f) => f.field)).toEqual(['name']);
    expect(codeOf(await api.run(ADD, { input: { ...holiday, date: '2027-02-30' } }, c.admin))).toBe('BAD_USER_INPUT');
    expect(codeOf(await api.run(ADD, { input: { ...holiday, date: 'next Tuesday' } }, c.admin))).toBe('BAD_USER_INPUT');
    expect(await manualRows()).toEqual([]);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('adds a one-off holiday with its audit row, and lists it', async () => {
    const r = await api.run(ADD, { input: holiday }, c.admin);
    expect(r.errors).toBeUndefined();
    expect(r.data.addBankHoliday).toEqual({ ...holiday, source: 'manual' });
    expect(await manualRows()).toEqual([{ ...holiday, source: 'manual' }]);
    const audit = await given.auditRows('calendar.holidayAdded');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.admin.id, result: 'ALLOWED' });
    expect(audit[0].fields).toEqual(['date', 'name']);
    const listed = (await api.run(HOLIDAYS, { year: 2027 }, c.socialWorker)).data.bankHolidays;
    expect(listed).toContainEqual({ ...holiday, source: 'manual' });
  });

  it('refuses a date that is already a bank holiday, writing nothing more', async () => {
    expect((await api.run(ADD, { input: holiday }, c.admin)).errors).toBeUndefined();
    const again = await api.run(ADD, { input: { ...holiday, name: 'Another name for it' } }, c.admin);
    expect(codeOf(again)).toBe('BANK_HOLIDAY_EXISTS');
    const seeded = await api.run(ADD, { input: { date: '2026-12-25', name: 'Christmas again' } }, c.admin);
    expect(codeOf(seeded)).toBe('BANK_HOLIDAY_EXISTS');
    expect(await manualRows()).toEqual([{ ...holiday, source: 'manual' }]);
    const [xmas] = await api.db.query(`SELECT name, source FROM bank_holiday WHERE date = '2026-12-25'`);
    expect(xmas).toEqual({ name: 'Christmas Day', source: 'date-holidays' });
    expect(await given.auditRows('calendar.holidayAdded')).toHaveLength(1);
  });

  it('moves the decision due date of the next referral received the working day before it', async () => {
    const child = await given.child();
    const referral = (receivedAt: string) => ({
      input: { childId: child.id, receivedAt, sourceCode: '2A', primaryNeedCode: 'N1', reason: 'School is worried about bruising' },
    });
    // Friday 13 November 2026: normally due on Monday 16th.
    const before = await api.run(CREATE_REFERRAL, referral('2026-11-13T10:00:00Z'), c.frontDoor);
    expect(before.errors).toBeUndefined();
    expect(before.data.createReferral).toMatchObject({ referralDate: '2026-11-13', decisionDueOn: '2026-11-16' });

    const add = await api.run(ADD, { input: { date: '2026-11-16', name: 'One-off national holiday' } }, c.admin);
    expect(add.errors).toBeUndefined();

    const after = await api.run(CREATE_REFERRAL, referral('2026-11-13T11:00:00Z'), c.frontDoor);
    expect(after.errors).toBeUndefined();
    expect(after.data.createReferral).toMatchObject({ referralDate: '2026-11-13', decisionDueOn: '2026-11-17' });
    const rows = await api.db.query(`SELECT decision_due_on FROM referral WHERE child_id = $1 ORDER BY received_at`, [child.id]);
    expect(rows.map((r: { decision_due_on: string }) => r.decision_due_on)).toEqual(['2026-11-16', '2026-11-17']);
  });
});

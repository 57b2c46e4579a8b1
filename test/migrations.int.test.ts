import { addCalendarDays, WorkingCalendar } from '../src/shared/clock/calendar';
import { createDataSource } from '../src/shared/db/data-source';
import { onServer, testDatabaseUrl } from './setup/database';

const NAME = 'haven_test_migrations';
const url = testDatabaseUrl().replace(/\/[^/]+$/, `/${NAME}`);

describe('migrations', () => {
  beforeAll(() => onServer(testDatabaseUrl(), [`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`, `CREATE DATABASE ${NAME}`]));
  afterAll(() => onServer(testDatabaseUrl(), [`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`]));

  it('apply to an empty database, revert completely with their down steps, and apply again', async () => {
    const db = createDataSource({ url });
    await db.initialize();
    try {
      const applied = await db.runMigrations({ transaction: 'each' });
      expect(applied.length).toBe(db.migrations.length);
      for (let i = 0; i < applied.length; i++) await db.undoLastMigration({ transaction: 'each' });
      const left: { n: number }[] = await db.query(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
      );
      expect(left[0].n).toBe(0);
      expect(await db.runMigrations({ transaction: 'each' })).toHaveLength(applied.length);
      const [{ holidays }] = await db.query(`SELECT count(*)::int AS holidays FROM bank_holiday`);
      expect(holidays).toBeGreaterThan(150);
    } finally {
      await db.destroy();
    }
  });
});

describe('haven_add_working_days (the working-day clock in SQL)', () => {
  it('agrees with the TypeScript calendar across weekends, Easter, Christmas and the Boxing Day substitute', async () => {
    const db = createDataSource({ url: testDatabaseUrl() });
    await db.initialize();
    try {
      const holidays: { date: string }[] = await db.query(`SELECT date FROM bank_holiday`);
      const cal = new WorkingCalendar(holidays.map((h) => h.date));
      const starts = [
        ...Array.from({ length: 40 }, (_, i) => addCalendarDays('2026-03-25', i)),
        ...Array.from({ length: 40 }, (_, i) => addCalendarDays('2026-12-10', i)),
      ];
      const ns = [0, 1, 10, 15, 20, 45];
      const rows: { d: string; n: number; due: string }[] = await db.query(
        `SELECT d::text AS d, n, haven_add_working_days(d, n)::text AS due FROM unnest($1::date[]) d CROSS JOIN unnest($2::int[]) n`,
        [starts, ns],
      );
      expect(rows).toHaveLength(starts.length * ns.length);
      const mismatches = rows.filter((r) => r.due !== cal.addWorkingDays(r.d, r.n));
      expect(mismatches).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});

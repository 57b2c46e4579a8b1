import { createDataSource } from '../../../shared/db/data-source';
import { seedDemoCouncil } from '../../../seed/demo-council';
import { databaseName, onServer, testDatabaseUrl } from '../../../../test/setup/database';
import { AuditWriter } from '../../audit/audit.writer';
import { CalendarService, systemClock } from '../../calendar/calendar.service';
import { actorFromAccount } from '../../identity/actor';
import { RoleCode } from '../../identity/roles';
import { AnnexAService } from '../annex-a.service';
import { AnnexAList } from '../annex-a.types';

/** Its own database with the small demo council (named after the run's test database, so parallel runs never collide). */
const NAME = `${databaseName(testDatabaseUrl())}_annexa`;
const url = testDatabaseUrl().replace(/\/[^/]+$/, `/${NAME}`);

describe('annexA on the demo council (small)', () => {
  const db = createDataSource({ url });
  let annexA: AnnexAService;
  let analyst: ReturnType<typeof actorFromAccount>;
  let windows: { from: string; to: string }[];

  beforeAll(async () => {
    await onServer(testDatabaseUrl(), [`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`, `CREATE DATABASE ${NAME}`]);
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
    await seedDemoCouncil(db, 'small');
    const audit = new AuditWriter();
    annexA = new AnnexAService(db, audit, new CalendarService(db, audit, systemClock));
    const [account] = await db.query(
      `SELECT a.id, a.email, a.display_name AS "displayName" FROM account a JOIN account_role r ON r.account_id = a.id
       WHERE r.role_code = 'PERFORMANCE_ANALYST' LIMIT 1`,
    );
    analyst = actorFromAccount(
      { ...account, teamId: null, teamKind: null, providerId: null, newlyQualified: false, roles: [RoleCode.PERFORMANCE_ANALYST] },
      'annex-a-seed-test',
    );
    // Six months to today, and the six months before that (a window in the past: the list as it stood then).
    const [w] = await db.query(`
      SELECT to_char(t, 'YYYY-MM-DD') AS to1, to_char((t - interval '6 months')::date + 1, 'YYYY-MM-DD') AS from1,
             to_char((t - interval '6 months')::date, 'YYYY-MM-DD') AS to2, to_char((t - interval '12 months')::date + 1, 'YYYY-MM-DD') AS from2
      FROM (SELECT (now() AT TIME ZONE 'Europe/London')::date AS t) x`);
    windows = [{ from: w.from1, to: w.to1 }, { from: w.from2, to: w.to2 }];
  }, 120_000);

  afterAll(async () => {
    await db.destroy();
    await onServer(testDatabaseUrl(), [`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`]);
  });

  it('List 3 has one row per referral received in the window', async () => {
    for (const { from, to } of windows) {
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM referral WHERE referral_date >= $1 AND referral_date <= $2`, [from, to]);
      const list = await annexA.export(analyst, { list: AnnexAList.LIST_3_REFERRALS, from, to });
      expect(n).toBeGreaterThan(0);
      expect(list.rowCount).toBe(n);
      expect(list.rows).toHaveLength(n);
      expect(list.csv.split('\r\n')).toHaveLength(n + 2); // header, rows, and the empty string after the last CRLF
    }
  });

  it('List 7 has one row per CP plan open at the end of the window or ended in it', async () => {
    for (const { from, to } of windows) {
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM plan
         WHERE type = 'CHILD_PROTECTION'
           AND ((start_date <= $2 AND (end_date IS NULL OR end_date > $2)) OR end_date BETWEEN $1 AND $2)`,
        [from, to],
      );
      const list = await annexA.export(analyst, { list: AnnexAList.LIST_7_CHILD_PROTECTION, from, to });
      expect(n).toBeGreaterThan(0);
      expect(list.rowCount).toBe(n);
    }
  });

  it('every list answers on the seed with a full row for every record, each export audited', async () => {
    const [{ before }] = await db.query(`SELECT count(*)::int AS before FROM audit_entry WHERE action = 'return.annexA.exported'`);
    const { from, to } = windows[0];
    for (const list of Object.values(AnnexAList)) {
      const result = await annexA.export(analyst, { list, from, to });
      expect([list, result.rowCount]).not.toEqual([list, 0]);
      expect(result.rows.filter((r) => r.length !== result.columns.length)).toEqual([]);
      expect(result.rows.filter((r) => !r[0])).toEqual([]); // every row names its child
    }
    const [{ after }] = await db.query(`SELECT count(*)::int AS after FROM audit_entry WHERE action = 'return.annexA.exported'`);
    expect(after - before).toBe(Object.values(AnnexAList).length);
  });
});

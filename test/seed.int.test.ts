import { createDataSource } from '../src/shared/db/data-source';
import { seedDemoCouncil } from '../src/seed/demo-council';
import { isValidNhsNumber, isValidUpn } from '../src/modules/child/child.rules';
import { RoleCode } from '../src/modules/identity/roles';
import { onServer, testDatabaseUrl } from './setup/database';

const NAME = 'haven_test_seed';
const url = testDatabaseUrl().replace(/\/[^/]+$/, `/${NAME}`);

describe('the demo council seed (small)', () => {
  const db = createDataSource({ url });
  beforeAll(async () => {
    await onServer(testDatabaseUrl(), [`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`, `CREATE DATABASE ${NAME}`]);
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
  });
  afterAll(async () => {
    await db.destroy();
    await onServer(testDatabaseUrl(), [`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`]);
  });

  it('builds a council with a demo account for every role, valid identifiers and referrals in every state', async () => {
    const report = await seedDemoCouncil(db, 'small');
    expect(report.demoAccounts.map((a) => a.role).sort()).toEqual(Object.values(RoleCode).sort());
    const rows = (t: string) => report.counts.find((c) => c.table === t)?.rows ?? 0;
    expect(rows('child')).toBeGreaterThanOrEqual(200);
    expect(rows('family')).toBeGreaterThanOrEqual(100);
    expect(rows('referral')).toBeGreaterThanOrEqual(400);
    expect(rows('provider')).toBeGreaterThanOrEqual(2);

    const ids: { nhs_number: string | null; upn: string | null }[] = await db.query(`SELECT nhs_number, upn FROM child`);
    expect(ids.filter((c) => c.nhs_number && !isValidNhsNumber(c.nhs_number))).toEqual([]);
    expect(ids.filter((c) => c.upn && !isValidUpn(c.upn))).toEqual([]);

    const [states] = await db.query(`
      SELECT count(*) FILTER (WHERE decision IS NOT NULL AND (decided_at AT TIME ZONE 'Europe/London')::date <= decision_due_on)::int AS on_time,
             count(*) FILTER (WHERE decision IS NOT NULL AND (decided_at AT TIME ZONE 'Europe/London')::date > decision_due_on)::int AS late,
             count(*) FILTER (WHERE decision IS NULL AND decision_due_on >= (now() AT TIME ZONE 'Europe/London')::date)::int AS awaiting,
             count(*) FILTER (WHERE decision IS NULL AND decision_due_on < (now() AT TIME ZONE 'Europe/London')::date)::int AS overdue
      FROM referral`);
    for (const state of ['on_time', 'late', 'awaiting', 'overdue']) expect(states[state]).toBeGreaterThan(0);

    const [{ doubled }] = await db.query(
      `SELECT count(*)::int AS doubled FROM (SELECT child_id FROM allocation WHERE ended_at IS NULL GROUP BY child_id HAVING count(*) > 1) x`,
    );
    expect(doubled).toBe(0);
    const [{ held }] = await db.query(
      `SELECT count(*)::int AS held FROM allocation a JOIN account w ON w.id = a.worker_id
       WHERE a.ended_at IS NULL AND w.email = 'social.worker@haven.example'`,
    );
    expect(held).toBeGreaterThanOrEqual(20);
  });

  it('refuses to seed over existing data without --reset, and is deterministic with it', async () => {
    await expect(seedDemoCouncil(db, 'small')).rejects.toThrow(/--reset/);
    const fingerprint = () =>
      db.query(`SELECT md5(string_agg(id::text || first_name || coalesce(nhs_number, ''), ',' ORDER BY id)) AS h FROM child`);
    const before = await fingerprint();
    await seedDemoCouncil(db, 'small', { reset: true });
    expect(await fingerprint()).toEqual(before);
  });
});

import { databaseName, onServer, testDatabaseUrl } from '../../../../test/setup/database';
import { createDataSource } from '../../../shared/db/data-source';
import { WorkingCalendar } from '../../../shared/clock/calendar';
import { seedDemoCouncil } from '../../../seed/demo-council';
import { CENSUS_FAULTS, seedCensusPeriod } from '../../../seed/census-faults';
import type { CensusIssue } from '../census.model';
import { loadCensusChildren } from '../census.loader';
import { CensusValidator, RULES } from '../rules';

/** Its own database, named after the run's test database so parallel runs with different HAVEN_TEST_DB never collide. */
const NAME = `${databaseName(testDatabaseUrl())}_census`;
const url = testDatabaseUrl().replace(/\/[^/]+$/, `/${NAME}`);

describe("the demo council seed's CIN census year", () => {
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

  it('breaks exactly the deliberate, documented faults: one rule each, on the DQ children, nothing else', async () => {
    const { today } = await seedDemoCouncil(db, 'small');
    const period = seedCensusPeriod(today);
    const holidays: { date: string }[] = await db.query(`SELECT date::text FROM bank_holiday`);
    const validator = new CensusValidator(period, new WorkingCalendar(holidays.map((h) => h.date)));
    const issues: CensusIssue[] = [];
    let children = 0;
    for await (const batch of loadCensusChildren(db, period)) {
      children += batch.length;
      issues.push(...validator.add(batch));
    }
    issues.push(...validator.finish());

    expect(children).toBeGreaterThan(150);
    expect(issues.map((i) => [i.laChildId, i.rule]).sort()).toEqual(CENSUS_FAULTS.map((f) => [f.laChildId, f.rule]).sort());
    // The faults are all different rules, between 8 and 12 of them, errors and queries, each a published rule.
    expect(new Set(CENSUS_FAULTS.map((f) => f.rule)).size).toBe(CENSUS_FAULTS.length);
    expect(CENSUS_FAULTS.length).toBeGreaterThanOrEqual(8);
    expect(CENSUS_FAULTS.length).toBeLessThanOrEqual(12);
    expect(new Set(issues.map((i) => i.severity))).toEqual(new Set(['ERROR', 'QUERY']));
    for (const f of CENSUS_FAULTS) expect(RULES.has(f.rule)).toBe(true);

    // Each issue points at a record of its child.
    for (const issue of issues) {
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM (
           SELECT id FROM child WHERE id = $1 UNION ALL SELECT id FROM episode WHERE child_id = $1
           UNION ALL SELECT id FROM assessment WHERE child_id = $1 UNION ALL SELECT id FROM referral WHERE child_id = $1) x
         WHERE id = $2`,
        [issue.childId, issue.recordId],
      );
      expect([issue.laChildId, issue.rule, n]).toEqual([issue.laChildId, issue.rule, 1]);
    }
  });
});

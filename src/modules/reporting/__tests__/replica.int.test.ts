import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { createHaven, Haven } from '../../../app';
import { createLogger } from '../../../shared/logger';
import { codeOf, GqlResult, testConfig } from '../../../../test/api';
import { useCouncilSuite } from '../../../../test/factories';
import { testDatabaseUrl } from '../../../../test/setup/database';
import { ANNEX_A_LISTS } from '../../annex-a/annex-a.lists';
import { ReportingDb, replicaDataSource } from '../reporting-db';

/**
 * Reporting on a read replica (DATABASE_REPLICA_URL). The "replica" is the test database reached through a second pool
 * (application_name haven-replica) whose sessions are read-only, as a hot standby's are: a write sent there fails.
 * Every statement each pool sends is recorded, in order, to show which pool ran what.
 */
const suite = useCouncilSuite();
const READ_ONLY = `options=${encodeURIComponent('-c default_transaction_read_only=on')}`;
const replicaUrl = `${testDatabaseUrl()}${testDatabaseUrl().includes('?') ? '&' : '?'}${READ_ONLY}`;

interface Sent {
  seq: number;
  pool: 'primary' | 'replica';
  sql: string;
}
let sent: Sent[] = [];
let recording = false;
let seq = 0;

/** Records every statement a DataSource's pool sends while `recording` (clients are wrapped as they are checked out). */
function record(ds: DataSource, name: Sent['pool']) {
  const pool = (ds.driver as unknown as { master: Pool }).master;
  pool.on('acquire', (client: PoolClient & { recorded?: boolean }) => {
    if (client.recorded) return;
    client.recorded = true;
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text ?? '';
      if (recording) sent.push({ seq: seq++, pool: name, sql: text });
      return query(...args);
    };
  });
}

async function recorded<T>(work: () => Promise<T>): Promise<{ result: T; primary: Sent[]; replica: Sent[] }> {
  sent = [];
  recording = true;
  try {
    const result = await work();
    return { result, primary: sent.filter((s) => s.pool === 'primary'), replica: sent.filter((s) => s.pool === 'replica') };
  } finally {
    recording = false;
  }
}

const isAuditInsert = (s: Sent) => /INSERT INTO audit_entry/.test(s.sql);
const isWrite = (s: Sent) => /\b(INSERT|UPDATE|DELETE)\b/i.test(s.sql);

/** The statement index at which the (first) audit row was committed on the primary: its INSERT, or the COMMIT after it. */
function auditCommittedAt(primary: Sent[]): number {
  const i = primary.findIndex(isAuditInsert);
  expect(i).toBeGreaterThanOrEqual(0);
  const inTransaction = primary.slice(0, i).reduce((open, s) => (/^START TRANSACTION/i.test(s.sql) ? true : /^(COMMIT|ROLLBACK)/i.test(s.sql) ? false : open), false);
  if (!inTransaction) return primary[i].seq;
  const commit = primary.slice(i).find((s) => /^COMMIT/i.test(s.sql));
  expect(commit).toBeDefined();
  return commit!.seq;
}

let replica: DataSource;
let haven: Haven;
const run = async <T = any>(query: string, variables: Record<string, unknown>, as: { id: string; email: string }) => {
  const token = await suite.api.token(as);
  const contextValue = await haven.contextFor(`Bearer ${token}`, `replica-test-${seq}`);
  const res = await haven.apollo.executeOperation({ query, variables }, { contextValue });
  if (res.body.kind !== 'single') throw new Error('unexpected incremental response');
  return res.body.singleResult as GqlResult<T>;
};

beforeAll(async () => {
  const config = testConfig({ DATABASE_REPLICA_URL: replicaUrl, DB_REPLICA_POOL_MAX: '2' });
  replica = replicaDataSource(config)!;
  const reports = new ReportingDb(suite.api.db, replica);
  await reports.connect();
  record(suite.api.db, 'primary');
  record(replica, 'replica');
  haven = await createHaven(suite.api.db, config, createLogger('silent'), undefined, reports);
});
afterAll(async () => {
  await haven.apollo.stop();
  await replica.destroy();
});
beforeEach(() => haven.services.calendar.load());

const PERIOD = { from: '2026-01-01', to: '2026-12-31' };

describe('reporting on a read replica', () => {
  it('is read-only, as a hot standby is: a write on its pool fails', async () => {
    await expect(replica.query(`UPDATE team SET name = name`)).rejects.toThrow(/read-only transaction/);
  });

  it('reads the dashboard and its drill-down on the replica, after committing the audit row on the primary', async () => {
    const { c, given } = suite;
    const kids = [];
    for (let i = 0; i < 3; i++) kids.push(await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id }));
    for (const k of kids) await given.referral(k.id, { receivedAt: '2026-03-02T10:00:00Z' });

    const dashboard = await recorded(() =>
      run(`query($input: PerformanceInput!) { performance(input: $input) { openCasesByStage { value buckets { key value } } } }`, { input: PERIOD }, c.analyst),
    );
    expect(dashboard.result.errors).toBeUndefined();
    expect(dashboard.result.data.performance.openCasesByStage.value).toBe(3);
    // The one summary statement went to the replica; the primary only looked the analyst up.
    expect(dashboard.replica).toHaveLength(1);
    expect(dashboard.replica[0].sql).toMatch(/^\s*WITH/);
    expect(dashboard.primary.map((s) => s.sql)).not.toContain(dashboard.replica[0].sql);
    expect(dashboard.primary.filter(isWrite)).toHaveLength(0);

    const drill = await recorded(() =>
      run(
        `query($input: PerformanceInput!) { performance(input: $input) { openCasesByStage { records(first: 10) { totalCount edges { node { childId } } } } } }`,
        { input: PERIOD },
        c.analyst,
      ),
    );
    expect(drill.result.errors).toBeUndefined();
    expect(drill.result.data.performance.openCasesByStage.records.edges.map((e: { node: { childId: string } }) => e.node.childId).sort()).toEqual(
      kids.map((k) => k.id).sort(),
    );
    const page = drill.replica.filter((s) => /FROM visible/.test(s.sql));
    expect(page).toHaveLength(1);
    expect(drill.primary.filter((s) => /FROM visible/.test(s.sql))).toHaveLength(0);
    expect(drill.replica.filter(isWrite)).toHaveLength(0);
    expect(drill.primary.filter(isAuditInsert)).toHaveLength(1);
    expect(auditCommittedAt(drill.primary)).toBeLessThan(page[0].seq);
    const rows = await suite.api.db.query(`SELECT actor_id, entity, fields, child_id FROM audit_entry WHERE action = 'performance.recordsListed'`);
    expect(rows).toEqual([{ actor_id: c.analyst.id, entity: 'performance', fields: ['openCasesByStage'], child_id: null }]);
  });

  it('reads the CIN census on the replica in one read-only snapshot, after its audit row is committed on the primary', async () => {
    const { c } = suite;
    const census = await recorded(() => run(`query { cinCensus(year: 2026) { year children xml } }`, {}, c.analyst));
    expect(census.result.errors).toBeUndefined();
    expect(census.result.data.cinCensus.xml).toContain('<LEA>201</LEA>');
    const replicaSql = census.replica.map((s) => s.sql);
    expect(replicaSql[0]).toMatch(/^START TRANSACTION/);
    expect(replicaSql).toContain('SET TRANSACTION READ ONLY');
    expect(replicaSql.length).toBeGreaterThan(3);
    expect(census.primary.map((s) => s.sql)).not.toContain('SET TRANSACTION READ ONLY');
    expect(census.replica.filter(isWrite)).toHaveLength(0);
    expect(census.primary.filter(isAuditInsert)).toHaveLength(1);
    expect(auditCommittedAt(census.primary)).toBeLessThan(census.replica[0].seq);
    expect(await suite.given.auditRows('return.cinCensus.exported')).toHaveLength(1);
  });

  it('reads an Annex A list on the replica, after its audit row is committed on the primary', async () => {
    const { c } = suite;
    const annex = await recorded(() =>
      run(`query($input: AnnexAInput!) { annexA(input: $input) { rowCount } }`, { input: { list: 'LIST_3_REFERRALS', from: '2025-10-01', to: '2026-03-31' } }, c.analyst),
    );
    expect(annex.result.errors).toBeUndefined();
    const sql = ANNEX_A_LISTS.LIST_3_REFERRALS.sql;
    expect(annex.replica.map((s) => s.sql)).toEqual([sql]);
    expect(annex.primary.map((s) => s.sql)).not.toContain(sql);
    expect(annex.primary.filter(isAuditInsert)).toHaveLength(1);
    expect(auditCommittedAt(annex.primary)).toBeLessThan(annex.replica[0].seq);
    expect(await suite.given.auditRows('return.annexA.exported')).toHaveLength(1);
  });

  it("runs the replica's statements in its own sessions, named haven-replica in pg_stat_activity", async () => {
    const census = await recorded(() => run(`query { cinCensus(year: 2026) { year } }`, {}, suite.c.analyst));
    const sessions: { query: string }[] = await suite.api.db.query(
      `SELECT query FROM pg_stat_activity WHERE application_name = 'haven-replica' AND datname = current_database()`,
    );
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.length).toBeLessThanOrEqual(2); // DB_REPLICA_POOL_MAX
    // The server's own view: the last statement of a haven-replica session is one the replica pool sent.
    expect(sessions.some((row) => census.replica.some((sentSql) => sentSql.sql === row.query))).toBe(true);
  });

  it('answers reporting with a retryable 503 while the replica is down, and casework carries on', async () => {
    const { c } = suite;
    const config = testConfig({ DATABASE_REPLICA_URL: 'postgres://postgres@127.0.0.1:1/haven_absent_replica' });
    const down = new ReportingDb(suite.api.db, replicaDataSource(config));
    await expect(down.connect()).rejects.toThrow();
    const app = await createHaven(suite.api.db, config, createLogger('silent'), undefined, down);
    try {
      const exec = async (query: string, variables: Record<string, unknown> = {}) => {
        const contextValue = await app.contextFor(`Bearer ${await suite.api.token(c.analyst)}`, 'replica-down-1');
        const res = await app.apollo.executeOperation({ query, variables }, { contextValue });
        return res;
      };
      const started = Date.now();
      for (const query of [
        `query { cinCensus(year: 2026) { year } }`,
        `query($input: PerformanceInput!) { performance(input: $input) { openCasesByStage { value } } }`,
      ]) {
        const res = await exec(query, { input: PERIOD });
        expect(res.http.status).toBe(503);
        expect(res.body.kind === 'single' && codeOf(res.body.singleResult as GqlResult)).toBe('SERVICE_UNAVAILABLE');
      }
      expect(Date.now() - started).toBeLessThan(5000);
      const me = await exec(`query { me { id } }`);
      expect(me.body.kind === 'single' && me.body.singleResult.errors).toBeUndefined();
      expect(await down.replicaStatus()).toBe('unavailable');
      expect(await haven.reports.replicaStatus()).toBe('ok');
    } finally {
      await app.apollo.stop();
      await down.close();
    }
  });
});

import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createHaven, Haven } from '../../../app';
import { createDataSource } from '../../../shared/db/data-source';
import { createLogger } from '../../../shared/logger';
import { loadOrCreateDevKey, signDevToken } from '../../identity/auth';
import { seedDemoCouncil } from '../../../seed/demo-council';
import { testConfig } from '../../../../test/api';
import { databaseName, onServer, testDatabaseUrl } from '../../../../test/setup/database';
import { FIGURES, MEASURES } from '../performance.figures';

/**
 * Reconciliation on the demo council seed (small), in its own database: every figure and every bucket equals the
 * number of records its drill-down lists, and figures that count events in a period add up over consecutive periods.
 */
const NAME = `${databaseName(testDatabaseUrl())}_performance`;
const url = testDatabaseUrl().replace(/\/[^/]+$/, `/${NAME}`);

interface Account {
  id: string;
  email: string;
  team_id: string | null;
}
type Buckets = { key: string; value: number }[];
interface Node {
  recordType: string;
  recordId: string;
  childId: string | null;
  laChildId: string | null;
  teamId: string | null;
  bucket: string;
  measure: number | null;
}
interface Period {
  from: string;
  to: string;
  teamId?: string;
}

const DASHBOARD = `query($input: PerformanceInput!) { performance(input: $input) { teamId
  ${FIGURES.map((f) => `${f.name} { value buckets { key value } }`).join('\n  ')}
  ${MEASURES.map((m) => `${m.name} { value buckets { key value } }`).join('\n  ')}
  workerCaseloads { workerId cases weighted cap overCap } } }`;
const RECORDS = (figure: string) => `query($input: PerformanceInput!, $after: String, $bucket: String) {
  performance(input: $input) { ${figure} { records(first: 100, after: $after, bucket: $bucket) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { recordType recordId childId laChildId teamId bucket measure } } } } } }`;

const db = createDataSource({ url });
let haven: Haven;
let token: (a: Account) => Promise<string>;
let today: string;
let analyst: Account;
let manager: Account;
let leftBehind: Account;

async function run(query: string, variables: Record<string, unknown>, as: Account) {
  const contextValue = await haven.contextFor(`Bearer ${await token(as)}`, randomUUID());
  const res = await haven.apollo.executeOperation({ query, variables }, { contextValue });
  if (res.body.kind !== 'single') throw new Error('unexpected incremental response');
  const result = res.body.singleResult;
  if (result.errors?.length) throw new Error(JSON.stringify(result.errors));
  return result.data as Record<string, any>;
}

async function dashboard(input: Period, as: Account) {
  return (await run(DASHBOARD, { input }, as)).performance;
}

/** Every record of a figure (or one bucket), page by page. */
async function allRecords(figure: string, input: Period, as: Account, bucket?: string): Promise<{ nodes: Node[]; totalCount: number }> {
  const nodes: Node[] = [];
  let after: string | null = null;
  let totalCount = -1;
  for (;;) {
    const page: any = (await run(RECORDS(figure), { input, after, bucket }, as)).performance[figure].records;
    totalCount = page.totalCount;
    nodes.push(...page.edges.map((e: { node: Node }) => e.node));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { nodes, totalCount };
}

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const bucketMap = (b: Buckets) => Object.fromEntries(b.map((x) => [x.key, x.value]));

beforeAll(async () => {
  await onServer(testDatabaseUrl(), [`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`, `CREATE DATABASE ${NAME}`]);
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  today = (await seedDemoCouncil(db, 'small')).today;
  const config = testConfig({ DATABASE_URL: url });
  haven = await createHaven(db, config, createLogger('silent'));
  const key = await loadOrCreateDevKey(config.dataDir);
  token = (a) => signDevToken(key, config.oidcAudience, a, '10m');
  const account = async (email: string) => (await db.query(`SELECT id, email, team_id FROM account WHERE email = $1`, [email]))[0] as Account;
  analyst = await account('performance.analyst@haven.example');
  manager = await account('team.manager@haven.example');
  // The manager of the team most children have left (their allocations ended): past periods count children it no longer holds.
  [leftBehind] = await db.query(
    `SELECT a.id, a.email, a.team_id FROM account a JOIN account_role r ON r.account_id = a.id AND r.role_code = 'TEAM_MANAGER'
     WHERE NOT a.disabled ORDER BY (SELECT count(*) FROM allocation al WHERE al.team_id = a.team_id AND al.ended_at IS NOT NULL) DESC, a.id LIMIT 1`,
  );
}, 120_000);

afterAll(async () => {
  await haven?.apollo.stop();
  await db.destroy();
  await onServer(testDatabaseUrl(), [`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`]);
});

/** Value = records listed, for the figure and each of its buckets; ids unique; the buckets add up to the value. */
async function reconcile(input: Period, as: Account) {
  const p = await dashboard(input, as);
  const mismatches: string[] = [];
  for (const f of FIGURES) {
    const { value, buckets } = p[f.name] as { value: number; buckets: Buckets };
    const sum = buckets.reduce((s, b) => s + b.value, 0);
    if (sum !== value) mismatches.push(`${f.name}: buckets add up to ${sum}, value ${value}`);
    const all = await allRecords(f.name, input, as);
    if (all.nodes.length !== value || all.totalCount !== value) mismatches.push(`${f.name}: value ${value}, listed ${all.nodes.length}`);
    if (new Set(all.nodes.map((n) => n.recordId)).size !== all.nodes.length) mismatches.push(`${f.name}: a record listed twice`);
    for (const b of buckets) {
      const one = await allRecords(f.name, input, as, b.key);
      if (one.nodes.length !== b.value || one.totalCount !== b.value) mismatches.push(`${f.name}/${b.key}: value ${b.value}, listed ${one.nodes.length}`);
      if (one.nodes.some((n) => n.bucket !== b.key)) mismatches.push(`${f.name}/${b.key}: a record of another bucket`);
    }
  }
  // Measures summarise the records' measure column; each worker's caseload is the worker's bucket of `caseload`.
  const caseload = (await allRecords('caseload', input, as)).nodes;
  const weighted = new Map<string, number>();
  for (const n of caseload) weighted.set(n.bucket, (weighted.get(n.bucket) ?? 0) + (n.measure ?? 0));
  expect(bucketMap(p.weightedCaseload.buckets)).toEqual(Object.fromEntries(weighted));
  expect(Object.fromEntries(p.workerCaseloads.map((w: { workerId: string; cases: number }) => [w.workerId, w.cases])))
    .toEqual(bucketMap(p.caseload.buckets));
  const overCap = (await allRecords('workersOverCap', input, as)).nodes.map((n) => n.recordId).sort();
  expect(p.workerCaseloads.filter((w: { overCap: boolean }) => w.overCap).map((w: { workerId: string }) => w.workerId).sort()).toEqual(overCap);
  const waits = (await allRecords('earlyHelpWaiting', input, as)).nodes.map((n) => n.measure as number).sort((a, b) => a - b);
  expect(p.earlyHelpWaitingLongestDays.value).toBe(waits.length ? waits[waits.length - 1] : null);
  const mid = waits.length / 2;
  expect(p.earlyHelpWaitingMedianDays.value).toBe(waits.length ? (waits[Math.floor((waits.length - 1) / 2)] + waits[Math.floor(mid)]) / 2 : null);
  expect(mismatches).toEqual([]);
  return p;
}

describe('performance on the demo council seed', () => {
  it('reconciles every figure and bucket with its drill-down, service-wide (analyst)', async () => {
    const p = await reconcile({ from: addDays(today, -364), to: today }, analyst);
    // The seed exercises every figure (so the reconciliation means something).
    const empty = FIGURES.filter((f) => p[f.name].value === 0).map((f) => f.name);
    expect(empty).toEqual([]);
    expect(p.workersOverCap.value).toBeGreaterThan(0);
  }, 120_000);

  it("reconciles a team manager's figures for their team, with their team's records (restricted ones they are named on)", async () => {
    const p = await reconcile({ from: addDays(today, -182), to: today }, manager);
    expect(p.teamId).toBe(manager.team_id);
    expect(p.openCasesByStage.value).toBeGreaterThan(0);
    expect(p.caseload.value).toBeGreaterThan(0);
  }, 120_000);

  it('reconciles for a period ending in the past (children have moved team or left since), as managers and analyst', async () => {
    const input = { from: addDays(today, -364), to: addDays(today, -60) };
    const [{ moved }] = await db.query(
      `SELECT count(*)::int AS moved FROM allocation WHERE team_id = $1 AND ended_at IS NOT NULL AND started_at < $2::date AND ended_at > $2::date`,
      [leftBehind.team_id, input.to],
    );
    expect(moved).toBeGreaterThan(0);
    for (const who of [leftBehind, manager]) {
      const p = await reconcile(input, who);
      expect(p.openCasesByStage.value).toBeGreaterThan(0);
      expect(p.caseload.value).toBeGreaterThan(0);
    }
    await reconcile(input, analyst);
    await reconcile({ ...input, teamId: leftBehind.team_id as string }, analyst);
  }, 120_000);

  it('adds up over consecutive periods for every figure that counts events in a period', async () => {
    const from = addDays(today, -364);
    const mid = addDays(today, -180);
    for (const teamId of [undefined, manager.team_id as string]) {
      const whole = await dashboard({ from, to: today, teamId }, analyst);
      const first = await dashboard({ from, to: mid, teamId }, analyst);
      const second = await dashboard({ from: addDays(mid, 1), to: today, teamId }, analyst);
      for (const f of FIGURES.filter((x) => x.additive)) {
        expect([f.name, first[f.name].value + second[f.name].value]).toEqual([f.name, whole[f.name].value]);
        const a = bucketMap(first[f.name].buckets);
        const b = bucketMap(second[f.name].buckets);
        const sum = Object.fromEntries(Object.keys(bucketMap(whole[f.name].buckets)).map((k) => [k, (a[k] ?? 0) + (b[k] ?? 0)]));
        expect([f.name, sum]).toEqual([f.name, bucketMap(whole[f.name].buckets)]);
      }
    }
  }, 120_000);
});

import 'reflect-metadata';
import { createTestApi, TestApi } from './api';
import { createDataSource } from '../src/shared/db/data-source';
import { testDatabaseUrl } from './setup/database';
import { seedDemoCouncil } from '../src/seed/demo-council';

let api: TestApi;
let today: string;
const log = (...a: unknown[]) => process.stdout.write(a.map((x) => typeof x === 'string' ? x : JSON.stringify(x)).join(' ') + '\n');
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  const db = createDataSource({ url: testDatabaseUrl() });
  await db.initialize();
  today = (await seedDemoCouncil(db, 'small')).today;
  await db.destroy();
  api = await createTestApi();
}, 120000);
afterAll(async () => api?.close());

const acct = async (email: string) => (await api.db.query(`SELECT id, email, team_id FROM account WHERE email = $1`, [email]))[0];
const FIG = (f: string) => `query($input: PerformanceInput!, $bucket: String) { performance(input: $input) { ${f} { value buckets { key value }
  records(first: 100, bucket: $bucket) { totalCount edges { node { recordId childId laChildId bucket measure } } } } } }`;

it('manager: value vs drill-down after a child moves team / restricted child not named', async () => {
  const mgr = await acct('team.manager@haven.example');
  const q = (s: string, p: unknown[] = []) => api.db.query(s, p);
  // 1) a child allocated (with a worker) in the manager's team moves to another team today
  const [moved] = await q(`SELECT a.id, a.child_id FROM allocation a JOIN child c ON c.id=a.child_id WHERE a.team_id=$1 AND a.ended_at IS NULL AND a.worker_id IS NOT NULL AND NOT c.restricted LIMIT 1`, [mgr.team_id]);
  const [other] = await q(`SELECT id FROM team WHERE id <> $1 LIMIT 1`, [mgr.team_id]);
  await q(`UPDATE allocation SET ended_at = now() WHERE id = $1`, [moved.id]);
  await q(`INSERT INTO allocation (child_id, team_id, started_at, reason) VALUES ($1, $2, now(), 'transfer')`, [moved.child_id, other.id]);
  const input = { from: addDays(today, -30), to: addDays(today, -1) };
  const r = await api.run(FIG('caseload'), { input }, mgr);
  log('caseload (manager, to=yesterday)', r.errors ?? { value: r.data.performance.caseload.value, listed: r.data.performance.caseload.records.totalCount });

  // 2) a restricted child of the team the manager is not named on
  const [rc] = await q(`SELECT c.id FROM child c JOIN allocation al ON al.child_id=c.id AND al.ended_at IS NULL WHERE c.restricted AND al.team_id=$1 LIMIT 1`, [mgr.team_id]);
  await q(`DELETE FROM restriction_grant WHERE child_id=$1`, [rc.id]);
  const r2 = await api.run(FIG('openCasesByStage'), { input: { from: addDays(today, -30), to: today } }, mgr);
  log('openCasesByStage (manager, restricted child not named)', r2.errors ?? { value: r2.data.performance.openCasesByStage.value, listed: r2.data.performance.openCasesByStage.records.totalCount });
});

it('assessment after a re-referral: the record is on time, the figure says LATE', async () => {
  const q = (s: string, p: unknown[] = []) => api.db.query(s, p);
  const analyst = await acct('performance.analyst@haven.example');
  const [e] = await q(`SELECT e.id, e.child_id, e.start_date::text FROM episode e WHERE e.closure_date IS NULL AND e.start_date < $1::date - 120
     AND NOT EXISTS (SELECT 1 FROM assessment a WHERE a.episode_id=e.id AND a.status <> 'AUTHORISED') ORDER BY e.start_date LIMIT 1`, [today]);
  log('episode', e);
  const ref = addDays(today, -40);
  const [r] = await q(`INSERT INTO referral (child_id, received_at, referral_date, source_code, primary_need_code, reason, decision_due_on, decision, decision_reason, decided_at)
     VALUES ($1, $2::date + interval '10 hours', $2, '2A', 'N1', 'Re-referral', haven_add_working_days($2,1), 'ASSESSMENT', 'reassess', $2::date + interval '11 hours') RETURNING id`, [e.child_id, ref]).catch((x: Error) => { log('ref insert failed', x.message); return [{}]; });
  const [a] = await q(`INSERT INTO assessment (child_id, episode_id, status, start_date, due_date, completed_date, authorised_date, factors, outcome)
     VALUES ($1, $2, 'AUTHORISED', $3, haven_add_working_days($3, 45), haven_add_working_days($3, 10), haven_add_working_days($3, 12), '{16A}', 'CIN_PLAN')
     RETURNING id, due_date::text, authorised_date::text`, [e.child_id, e.id, ref]).catch((x: Error) => { log('asmt insert failed', x.message); return [{}]; });
  log('assessment', a, 'referral', r);
  const res = await api.run(`query($input: PerformanceInput!) { performance(input: $input) {
     assessmentsCompleted { records(first: 100, bucket: "LATE") { edges { node { recordId measure bucket } } } }
     assessmentDurations { records(first: 100) { edges { node { recordId measure bucket } } } } } }`, { input: { from: addDays(today, -60), to: today } }, analyst);
  if (res.errors) log(res.errors);
  const p = res.data!.performance;
  log('in LATE bucket:', p.assessmentsCompleted.records.edges.filter((x: any) => x.node.recordId === a.id));
  log('duration band:', p.assessmentDurations.records.edges.filter((x: any) => x.node.recordId === a.id));
});

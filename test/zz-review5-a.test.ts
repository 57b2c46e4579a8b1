import 'reflect-metadata';
import { createTestApi, TestApi } from './api';
import { createDataSource } from '../src/shared/db/data-source';
import { testDatabaseUrl } from './setup/database';
import { seedDemoCouncil } from '../src/seed/demo-council';

let api: TestApi;
let today: string;
const log = (...a: unknown[]) => process.stdout.write(a.map((x) => typeof x === 'string' ? x : JSON.stringify(x)).join(' ') + '\n');

beforeAll(async () => {
  const db = createDataSource({ url: testDatabaseUrl() });
  await db.initialize();
  today = (await seedDemoCouncil(db, 'small')).today;
  await db.destroy();
  api = await createTestApi();
}, 120000);
afterAll(async () => api?.close());

const acct = async (email: string) => (await api.db.query(`SELECT id, email, team_id FROM account WHERE email = $1`, [email]))[0];

it('explores', async () => {
  log('today', today);
  const q = (s: string, p: unknown[] = []) => api.db.query(s, p);
  // assessment due_date vs episode-start+45
  log('assess mismatch', await q(`SELECT count(*) FILTER (WHERE a.due_date <> haven_add_working_days(e.start_date,45)) AS diff,
     count(*) FILTER (WHERE a.authorised_date <= a.due_date AND a.authorised_date > haven_add_working_days(e.start_date,45)) AS rec_on_time_fig_late,
     count(*) AS n FROM assessment a JOIN episode e ON e.id=a.episode_id WHERE a.authorised_date IS NOT NULL`));
  log('referral due mismatch', await q(`SELECT count(*) FILTER (WHERE r.decision_due_on <> haven_add_working_days(r.referral_date,1)) AS diff, count(*) n FROM referral r`));
  log('icpc target mismatch', await q(`SELECT count(*) FILTER (WHERE s.icpc_target_date <> haven_add_working_days(sd.held_on,15)) diff, count(*) n
     FROM section47 s JOIN strategy_discussion sd ON sd.id = s.strategy_discussion_id`));
  log('restricted', await q(`SELECT c.id, c.la_child_id, al.team_id, (SELECT array_agg(a.email) FROM restriction_grant g JOIN account a ON a.id=g.account_id WHERE g.child_id=c.id) named FROM child c LEFT JOIN allocation al ON al.child_id=c.id AND al.ended_at IS NULL WHERE c.restricted`));
  const mgr = await acct('team.manager@haven.example');
  log('manager', mgr);
  log('decision', await q(`SELECT decision, count(*) FROM referral GROUP BY 1`));
});

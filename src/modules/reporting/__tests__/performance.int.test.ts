import { codeOf } from '../../../../test/api';
import type { TestApi } from '../../../../test/api';
import type { Council, Suite } from '../../../../test/factories';
import { EarlyHelpSuite, useEarlyHelpSuite } from '../../../../test/early-help-factories';
import { Params } from '../../../shared/db/sql';
import { FigureQuery, FIGURES, MEASURES } from '../performance.figures';

const suite: EarlyHelpSuite = useEarlyHelpSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});

/** Every figure's value and buckets, every measure, every worker's caseload: the dashboard. */
const DASHBOARD = `query($input: PerformanceInput!) { performance(input: $input) { from to teamId providerId
  ${FIGURES.map((f) => `${f.name} { value buckets { key value } }`).join('\n  ')}
  ${MEASURES.map((m) => `${m.name} { value buckets { key value } }`).join('\n  ')}
  workerCaseloads { workerId teamId newlyQualified cases weighted cap overCap } } }`;
const RECORDS = (figure: string) => `query($input: PerformanceInput!, $first: Int!, $after: String, $bucket: String) {
  performance(input: $input) { ${figure} { records(first: $first, after: $after, bucket: $bucket) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { recordType recordId childId laChildId teamId bucket measure } } } } } }`;
const RECORDS_WITH_CHILD = (figure: string) => `query($input: PerformanceInput!) { performance(input: $input) { ${figure} {
  records(first: 50) { edges { node { recordId childId child { id firstName } } } } } } }`;

const PERIOD = { from: '2026-01-01', to: '2026-03-31' };
type Buckets = { key: string; value: number }[];
/** A figure's non-empty buckets as an object. */
const nonEmpty = (b: Buckets) => Object.fromEntries(b.filter((x) => x.value > 0).map((x) => [x.key, x.value]));

const q = (sql: string, params: unknown[] = []) => api.db.query(sql, params);

async function referral(childId: string, on: string, decidedOn: string | null, extra: { source?: string; earlyHelpEpisodeId?: string } = {}) {
  const [r] = await q(
    `INSERT INTO referral (child_id, received_at, referral_date, source_code, primary_need_code, reason, decision_due_on, decision,
                           decision_reason, decided_at, early_help_episode_id)
     VALUES ($1, ($2::date + time '09:00') AT TIME ZONE 'Europe/London', $2, $4, 'N1', 'School is worried', haven_add_working_days($2::date, 1),
             CASE WHEN $3::date IS NOT NULL THEN 'ASSESSMENT' END, CASE WHEN $3::date IS NOT NULL THEN 'Needs assessment' END,
             ($3::date + time '15:00') AT TIME ZONE 'Europe/London', $5)
     RETURNING id`,
    [childId, on, decidedOn, extra.source ?? '2A', extra.earlyHelpEpisodeId ?? null],
  );
  return r.id as string;
}

async function episode(childId: string, start: string, closure?: { on: string; reason: string }) {
  const referralId = await referral(childId, start, start);
  const [e] = await q(
    `INSERT INTO episode (child_id, referral_id, start_date, referral_source, primary_need_code, closure_date, closure_reason)
     VALUES ($1, $2, $3, '2A', 'N1', $4, $5) RETURNING id`,
    [childId, referralId, start, closure?.on ?? null, closure?.reason ?? null],
  );
  return e.id as string;
}

/** An authorised assessment, due 45 working days after the referral that prompted it (by default, its start). */
async function assessment(childId: string, episodeId: string, start: string, authorised: string, referralDate = start) {
  await q(
    `INSERT INTO assessment (child_id, episode_id, status, start_date, due_date, completed_date, authorised_date)
     VALUES ($1, $2, 'AUTHORISED', $3, haven_add_working_days($5::date, 45), $4, $4)`,
    [childId, episodeId, start, authorised, referralDate],
  );
}

async function plan(childId: string, type: string, start: string, opts: { end?: string; category?: string } = {}) {
  const [p] = await q(
    `INSERT INTO plan (child_id, type, status, start_date, end_date, contingency, family_summary, initial_category, latest_category)
     VALUES ($1, $2, $3, $4, $5, 'A legal planning meeting', 'What must change', $6, $6) RETURNING id`,
    [childId, type, opts.end ? 'ENDED' : 'ACTIVE', start, opts.end ?? null, opts.category ?? null],
  );
  return p.id as string;
}

async function conference(childId: string, episodeId: string, kind: 'INITIAL' | 'REVIEW', heldOn: string, opts: { strategyOn?: string; dueBy?: string } = {}) {
  let section47Id: string | null = null;
  if (opts.strategyOn) {
    const [sd] = await q(
      `INSERT INTO strategy_discussion (child_id, episode_id, held_on, participants, decision, rationale)
       VALUES ($1, $2, $3, '[]', 'START_SECTION_47', 'Reasonable cause to suspect significant harm') RETURNING id`,
      [childId, episodeId, opts.strategyOn],
    );
    const [s] = await q(
      `INSERT INTO section47 (child_id, episode_id, strategy_discussion_id, start_date, icpc_target_date, status, icpc_date)
       VALUES ($1, $2, $3, $4, haven_add_working_days($4::date, 15), 'CONCLUDED', $5) RETURNING id`,
      [childId, episodeId, sd.id, opts.strategyOn, heldOn],
    );
    section47Id = s.id;
  }
  await q(
    `INSERT INTO child_protection_conference (child_id, episode_id, kind, section47_id, held_on, chair_id, attendees, decision, rationale, due_by)
     VALUES ($1, $2, $3, $4, $5, $6, '[]', 'PLAN', 'Likelihood of significant harm', $7)`,
    [childId, episodeId, kind, section47Id, heldOn, c.conferenceChair.id, opts.dueBy ?? null],
  );
}

const visit = (childId: string, on: string) =>
  q(`INSERT INTO visit (child_id, visited_on, type, seen, seen_alone, note) VALUES ($1, $2, 'HOME', true, true, 'Seen at home')`, [childId, on]);

/**
 * Team A's social worker holds six children at every stage, the team holds four more in early help; 1 January to
 * 31 March 2026 (New Year's Day is a bank holiday; no other until Good Friday).
 */
async function handBuiltCouncil() {
  const kids = [];
  for (let i = 0; i < 6; i++) kids.push(await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id }));
  const eh = [];
  for (let i = 0; i < 4; i++) eh.push(await given.child({ teamId: c.teamA.id }));
  await q(`UPDATE allocation SET started_at = '2025-12-01T09:00:00Z'`);
  const [ch1, ch2, ch3, ch4, ch5, ch6] = kids.map((k) => k.id);

  // ch1: assessment authorised 46 working days after its start (= the referral date): 46-50, late.
  const e1 = await episode(ch1, '2026-01-05');
  await assessment(ch1, e1, '2026-01-05', '2026-03-10');
  // ch2: decided 2 working days after the referral (late); assessment in 45 working days (41-45, on time); CIN plan.
  const r2 = await referral(ch2, '2026-01-05', '2026-01-07');
  const [e2] = await q(
    `INSERT INTO episode (child_id, referral_id, start_date, referral_source, primary_need_code) VALUES ($1, $2, '2026-01-05', '2A', 'N1') RETURNING id`,
    [ch2, r2],
  );
  await assessment(ch2, e2.id, '2026-01-05', '2026-03-09');
  await plan(ch2, 'CHILD_IN_NEED', '2026-03-12');
  // ch3: referral on a Friday decided on the Monday (1 working day); initial conference 15 working days after the
  // strategy discussion (on time); a repeat CP plan within 2 years of the last; last seen 2 March (visits every 10 WD).
  const r3 = await referral(ch3, '2026-01-09', '2026-01-12');
  const [e3] = await q(
    `INSERT INTO episode (child_id, referral_id, start_date, referral_source, primary_need_code) VALUES ($1, $2, '2026-01-09', '2A', 'N1') RETURNING id`,
    [ch3, r3],
  );
  await conference(ch3, e3.id, 'INITIAL', '2026-02-02', { strategyOn: '2026-01-12' });
  await plan(ch3, 'CHILD_PROTECTION', '2024-03-01', { end: '2025-06-30', category: 'EMO' });
  await plan(ch3, 'CHILD_PROTECTION', '2026-02-02', { category: 'NEG' });
  await visit(ch3, '2026-03-02');
  await conference(ch3, e3.id, 'REVIEW', '2026-03-10', { dueBy: '2026-03-09' });
  // ch4: a referral not decided by the end of the period.
  await referral(ch4, '2026-02-02', null);
  // ch5: decided the same day; initial conference 16 working days after the strategy discussion (late); first CP plan.
  const e5 = await episode(ch5, '2026-01-12');
  await conference(ch5, e5, 'INITIAL', '2026-02-03', { strategyOn: '2026-01-12' });
  await plan(ch5, 'CHILD_PROTECTION', '2026-02-03', { category: 'PHY' });
  await visit(ch5, '2026-03-25');
  await conference(ch5, e5, 'REVIEW', '2026-03-20', { dueBy: '2026-03-25' });
  // ch6: assessment started and authorised the same day; closed RC9 and stepped down to early help (now in work).
  const e6 = await episode(ch6, '2026-02-02', { on: '2026-02-20', reason: 'RC9' });
  await assessment(ch6, e6, '2026-02-02', '2026-02-02');
  const stepDown = await suite.eh.episode({
    childIds: [ch6], status: 'IN_WORK', providerId: c.provider.id, contractId: suite.p.contractOne.id, requestedOn: '2026-02-21',
  });
  await q(`UPDATE early_help_episode SET stepped_down_from_episode_id = $1, closed_on = NULL WHERE id = $2`, [e6, stepDown.id]);

  // Early help: one family waiting 30 days (not commissioned), one 58 days (offered to Provider One on 10 February); one
  // in work with an assessment (and stepped up on 20 March, undecided); one closed with its needs met.
  await suite.eh.episode({ childIds: [eh[0].id], requestedOn: '2026-03-01' });
  const offered = await suite.eh.episode({
    childIds: [eh[1].id], status: 'OFFERED', providerId: c.provider.id, contractId: suite.p.contractOne.id, requestedOn: '2026-02-01',
  });
  await q(`UPDATE early_help_referral SET offered_at = '2026-02-10T10:00:00Z' WHERE episode_id = $1`, [offered.id]);
  const inWork = await suite.eh.episode({
    childIds: [eh[2].id], status: 'IN_WORK', providerId: c.provider.id, contractId: suite.p.contractOne.id, requestedOn: '2026-01-10',
  });
  await q(
    `INSERT INTO early_help_assessment (episode_id, reason, needs, strengths, lived_experience, child_voice, analysis, started_on)
     VALUES ($1, 'Attendance has fallen', '[]', 'Close family', 'Busy home', 'Likes school', 'Needs routines', '2026-03-05')`,
    [inWork.id],
  );
  await referral(eh[2].id, '2026-03-20', null, { source: '5D', earlyHelpEpisodeId: inWork.id });
  await suite.eh.episode({
    childIds: [eh[3].id], status: 'CLOSED', providerId: c.provider.id, contractId: suite.p.contractOne.id, requestedOn: '2026-01-05',
  });
  await q(`UPDATE early_help_episode SET closed_on = '2026-03-15' WHERE primary_child_id = $1`, [eh[3].id]);

  // Supervision: team A's social worker last supervised on 20 March (every 20 working days); team B's never.
  await q(`UPDATE account SET created_at = '2025-01-01T09:00:00Z'`);
  await q(`INSERT INTO supervision (supervisor_id, supervisee_id, held_on) VALUES ($1, $2, '2026-03-20')`, [c.teamManager.id, c.socialWorker.id]);
  return { kids, eh };
}

describe('performance: hand-built figures', () => {
  it('counts each figure exactly, on the working-day clocks, for team A', async () => {
    await handBuiltCouncil();
    // A newly qualified worker over their protected cap (weighted 5.5 against 5).
    await q(`UPDATE account SET newly_qualified = true WHERE id = $1`, [c.socialWorker.id]);
    await q(`UPDATE caseload_setting SET protected_cap = 5`);
    try {
      const r = await api.run(DASHBOARD, { input: { ...PERIOD, teamId: c.teamA.id } }, c.serviceManager);
      expect(r.errors).toBeUndefined();
      const p = r.data.performance;
      const figure = (name: string) => ({ value: p[name].value, ...nonEmpty(p[name].buckets) });
      expect(figure('referralDecisions')).toEqual({ value: 5, ON_TIME: 4, LATE: 1 });
      expect(figure('assessmentsCompleted')).toEqual({ value: 3, ON_TIME: 2, LATE: 1 });
      expect(figure('assessmentDurations')).toEqual({ value: 3, SAME_DAY: 1, '41-45': 1, '46-50': 1 });
      expect(p.assessmentDurations.buckets.map((b: { key: string }) => b.key)).toEqual([
        'SAME_DAY', '1-10', '11-20', '21-30', '31-40', '41-45', '46-50', '51-60', '61+',
      ]);
      expect(figure('initialConferences')).toEqual({ value: 2, ON_TIME: 1, LATE: 1 });
      expect(figure('reviewConferences')).toEqual({ value: 2, ON_TIME: 1, LATE: 1 });
      expect(figure('childProtectionPlansStarted')).toEqual({ value: 2, FIRST: 1, REPEAT_WITHIN_2_YEARS: 1 });
      expect(figure('childProtectionPlansByCategory')).toEqual({ value: 2, NEG: 1, PHY: 1 });
      expect(figure('childProtectionPlanDurations')).toEqual({ value: 2, UP_TO_2_YEARS: 2 });
      expect(figure('openCasesByStage')).toEqual({ value: 6, AWAITING_DECISION: 2, CHILD_IN_NEED: 1, CHILD_PROTECTION: 2, OTHER_OPEN: 1 });
      expect(figure('openCasesByTeam')).toEqual({ value: 6, [c.teamA.id]: 6 });
      expect(figure('visits')).toEqual({ value: 3, ON_TIME: 2, OVERDUE: 1 });
      expect(figure('supervision')).toEqual({ value: 1, ON_TIME: 1 });
      expect(figure('caseload')).toEqual({ value: 6, [c.socialWorker.id]: 6 });
      expect(p.weightedCaseload).toEqual({ value: 5.5, buckets: [{ key: c.socialWorker.id, value: 5.5 }] });
      expect(p.workerCaseloads).toEqual([
        { workerId: c.socialWorker.id, teamId: c.teamA.id, newlyQualified: true, cases: 6, weighted: 5.5, cap: 5, overCap: true },
      ]);
      expect(figure('workersOverCap')).toEqual({ value: 1, PROTECTED_CAP: 1 });
      expect(figure('earlyHelpWaiting')).toEqual({ value: 2, NOT_COMMISSIONED: 1, [c.provider.id]: 1 });
      expect(p.earlyHelpWaitingMedianDays.value).toBe(44);
      expect(p.earlyHelpWaitingLongestDays).toEqual({
        value: 58, buckets: [{ key: c.provider.id, value: 58 }, { key: 'NOT_COMMISSIONED', value: 30 }].sort((a, b) => (a.key < b.key ? -1 : 1)),
      });
      expect(figure('earlyHelpAssessments')).toEqual({ value: 1, REASON_RECORDED: 1 });
      expect(figure('earlyHelpOutcomes')).toEqual({ value: 1, NEEDS_MET: 1 });
      expect(figure('stepUps')).toEqual({ value: 1, AWAITING_DECISION: 1 });
      expect(figure('stepDowns')).toEqual({ value: 1, IN_WORK: 1 });
    } finally {
      await q(`UPDATE caseload_setting SET protected_cap = 12`);
    }
  });

  it('lists the records behind a bucket, with the number behind it', async () => {
    const { kids } = await handBuiltCouncil();
    const r = await api.run(RECORDS('assessmentDurations'), { input: PERIOD, first: 10, bucket: '46-50' }, c.analyst);
    expect(r.errors).toBeUndefined();
    const list = r.data.performance.assessmentDurations.records;
    expect(list.totalCount).toBe(1);
    expect(list.edges[0].node).toMatchObject({ recordType: 'ASSESSMENT', childId: kids[0].id, laChildId: kids[0].laChildId, teamId: c.teamA.id,
      bucket: '46-50', measure: 46 });
    // Late decisions: the referral decided 2 working days after it came in.
    const late = await api.run(RECORDS('referralDecisions'), { input: PERIOD, first: 10, bucket: 'LATE' }, c.analyst);
    expect(late.data.performance.referralDecisions.records.edges.map((e: { node: { childId: string; measure: number } }) => e.node))
      .toEqual([expect.objectContaining({ childId: kids[1].id, measure: 2 })]);
  });

  it('times an assessment from the referral that set its due date: a re-referral into a long-open episode', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const e = await episode(child.id, '2024-01-08');
    // Re-referred on Monday 5 January 2026 and decided for assessment: due 45 working days later (Monday 9 March).
    await referral(child.id, '2026-01-05', '2026-01-06');
    await assessment(child.id, e, '2026-01-07', '2026-02-20', '2026-01-05');
    const other = await given.child({ teamId: c.teamA.id });
    const e2 = await episode(other.id, '2024-01-08');
    await referral(other.id, '2026-01-05', '2026-01-06');
    await assessment(other.id, e2, '2026-01-07', '2026-03-10', '2026-01-05');
    const nodes = async (figure: string) => (await api.run(RECORDS(figure), { input: PERIOD, first: 10 }, c.analyst)).data.performance[figure]
      .records.edges.map((x: { node: { childId: string; bucket: string; measure: number } }) => [x.node.childId, x.node.bucket, x.node.measure]);
    // On time by its own due date; the measure is working days from that referral (a < d <= b), as the bands count.
    expect(await nodes('assessmentsCompleted')).toEqual(expect.arrayContaining([[child.id, 'ON_TIME', 34], [other.id, 'LATE', 46]]));
    // The DfE bands count from the assessment's start.
    expect(await nodes('assessmentDurations')).toEqual(expect.arrayContaining([[child.id, '31-40', 32], [other.id, '41-45', 44]]));
  });

  it('calls a decision late when made after its due date, even at the weekend within a working day', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    // Received Thursday 8 January, due Friday 9, decided Saturday 10: one working day taken, but past the due date.
    await referral(child.id, '2026-01-08', '2026-01-10');
    const r = await api.run(RECORDS('referralDecisions'), { input: PERIOD, first: 10 }, c.analyst);
    expect(r.data.performance.referralDecisions.records.edges.map((e: { node: { bucket: string; measure: number } }) => e.node))
      .toEqual([expect.objectContaining({ bucket: 'LATE', measure: 1 })]);
  });

  it('narrows the early help figures to a provider and leaves the statutory ones alone', async () => {
    await handBuiltCouncil();
    const r = await api.run(DASHBOARD, { input: { ...PERIOD, providerId: c.provider.id } }, c.analyst);
    expect(r.errors).toBeUndefined();
    const p = r.data.performance;
    expect(p.providerId).toBe(c.provider.id);
    expect(nonEmpty(p.earlyHelpWaiting.buckets)).toEqual({ [c.provider.id]: 1 });
    expect(p.earlyHelpWaitingMedianDays.value).toBe(58);
    expect(p.stepDowns.value).toBe(1);
    expect(p.referralDecisions.value).toBe(5);
    // Team B's social worker has never been supervised: overdue in the service-wide figure.
    expect(nonEmpty(p.supervision.buckets)).toEqual({ ON_TIME: 1, OVERDUE: 1 });
  });

  it('numbers working days as haven_add_working_days does, from the bank holiday table', async () => {
    await q(`INSERT INTO bank_holiday (date, name, source) VALUES ('2026-02-16', 'One-off holiday', 'manual')`);
    const p = new Params();
    const fq = new FigureQuery(p, { from: '2025-01-01', to: '2026-12-31', teamId: null, providerId: null, viewerId: null });
    const [row] = await q(
      `WITH ${fq.shared(['wd']).join(',\n')}
       SELECT count(*)::int AS checked, count(*) FILTER (WHERE w.d IS DISTINCT FROM haven_add_working_days(c.d, n.n))::int AS wrong
       FROM cal c CROSS JOIN (VALUES (1), (10), (15), (20), (45)) n(n) LEFT JOIN wd w ON w.k = c.k + n.n
       WHERE c.d BETWEEN '2025-01-01' AND '2026-12-31'`,
      p.values,
    );
    expect(row).toEqual({ checked: 730 * 5, wrong: 0 });
  });

  it('answers the whole dashboard in one SQL statement', async () => {
    await handBuiltCouncil();
    const input = { input: { ...PERIOD, teamId: c.teamA.id } };
    api.resetStatements();
    await api.run(`query($input: PerformanceInput!) { performance(input: $input) { from } }`, input, c.serviceManager);
    const bare = api.statements();
    api.resetStatements();
    const r = await api.run(DASHBOARD, input, c.serviceManager);
    expect(r.errors).toBeUndefined();
    expect(api.statements() - bare).toBe(1);
  });
});

describe('performance: access', () => {
  const input = { input: PERIOD };
  const BARE = `query($input: PerformanceInput!) { performance(input: $input) { teamId openCasesByStage { value } } }`;

  it('refuses anonymous callers and roles without performance:read', async () => {
    expect(codeOf(await api.run(BARE, input))).toBe('UNAUTHENTICATED');
    expect(codeOf(await api.run(BARE, input, c.socialWorker))).toBe('FORBIDDEN');
    expect(codeOf(await api.run(BARE, input, c.providerManager))).toBe('FORBIDDEN');
  });

  it('gives analysts values and identifiers, never the child, and withholds a restricted child\'s identifiers', async () => {
    const { kids } = await handBuiltCouncil();
    const restricted = await given.child({ teamId: c.teamA.id, restrictedTo: [c.teamManager.id] });
    await referral(restricted.id, '2026-03-02', null);
    const r = await api.run(RECORDS('openCasesByStage'), { input: PERIOD, first: 20, bucket: 'AWAITING_DECISION' }, c.analyst);
    expect(r.errors).toBeUndefined();
    const nodes = r.data.performance.openCasesByStage.records.edges.map((e: { node: { childId: string | null } }) => e.node);
    expect(nodes).toHaveLength(3);
    expect(nodes.filter((n: { childId: string | null }) => n.childId === null)).toHaveLength(1);
    expect(nodes.map((n: { childId: string | null }) => n.childId)).toContain(kids[3].id);

    const denied = await api.run(RECORDS_WITH_CHILD('openCasesByStage'), input, c.analyst);
    expect(codeOf(denied)).toBe('FORBIDDEN');
    expect(denied.errors![0].path).toEqual(['performance', 'openCasesByStage', 'records', 'edges', 0, 'node', 'child']);
    // The identifiers still come (all but the restricted child's), whatever order the records are listed in.
    const deniedIds = denied.data.performance.openCasesByStage.records.edges.map((e: { node: { childId: string | null } }) => e.node.childId);
    expect(deniedIds.filter((id: string | null) => id === null)).toHaveLength(1);
    expect(deniedIds.length).toBeGreaterThan(1);
    // Every drill-down page is audited (who, which figure), with no child named.
    const rows = await q(`SELECT actor_id, entity, fields, child_id FROM audit_entry WHERE action = 'performance.recordsListed'`);
    expect(rows).toContainEqual({ actor_id: c.analyst.id, entity: 'performance', fields: ['openCasesByStage'], child_id: null });
  });

  it("keeps a team manager to their own team, and opens their team's children", async () => {
    const { kids } = await handBuiltCouncil();
    const own = await api.run(BARE, input, c.teamManager);
    expect(own.errors).toBeUndefined();
    expect(own.data.performance).toEqual({ teamId: c.teamA.id, openCasesByStage: { value: 6 } });

    const other = await api.run(BARE, { input: { ...PERIOD, teamId: c.teamB.id } }, c.teamManager);
    expect(codeOf(other)).toBe('FORBIDDEN');
    const denials = await q(`SELECT entity, entity_id, result FROM audit_entry WHERE action = 'performance.viewed' AND actor_id = $1`, [c.teamManager.id]);
    expect(denials).toEqual([{ entity: 'team', entity_id: c.teamB.id, result: 'DENIED' }]);

    api.resetStatements();
    const drill = await api.run(RECORDS_WITH_CHILD('caseload'), input, c.teamManager);
    expect(drill.errors).toBeUndefined();
    // The actor, the page (audited in it), the children's view audit and the children: no statement per record.
    expect(api.statements()).toBe(4);
    const nodes = drill.data.performance.caseload.records.edges.map((e: { node: { childId: string; child: { id: string } } }) => e.node);
    expect(nodes.map((n: { childId: string }) => n.childId).sort()).toEqual(kids.map((k) => k.id).sort());
    for (const n of nodes) expect(n.child).toEqual({ id: n.childId, firstName: expect.any(String) });
    // Opening a child's record through the drill-down is audited like any view.
    expect((await given.auditRows('child.viewed')).length).toBeGreaterThanOrEqual(kids.length);

    // Service managers may look at any team.
    const service = await api.run(BARE, { input: { ...PERIOD, teamId: c.teamB.id } }, c.serviceManager);
    expect(service.data.performance).toEqual({ teamId: c.teamB.id, openCasesByStage: { value: 0 } });
  });

  it('lists for a manager only the records of children in their case scope', async () => {
    await handBuiltCouncil();
    const restricted = await given.child({ teamId: c.teamA.id, restrictedTo: [c.admin.id] });
    await q(`UPDATE allocation SET started_at = '2025-12-01T09:00:00Z' WHERE child_id = $1`, [restricted.id]);
    await referral(restricted.id, '2026-03-02', null);
    const asManager = await api.run(RECORDS('openCasesByStage'), { input: PERIOD, first: 20 }, c.teamManager);
    const asAnalyst = await api.run(RECORDS('openCasesByStage'), { input: { ...PERIOD, teamId: c.teamA.id }, first: 20 }, c.analyst);
    expect(asAnalyst.data.performance.openCasesByStage.records.totalCount).toBe(7);
    expect(asManager.data.performance.openCasesByStage.records.totalCount).toBe(6);
    const ids = asManager.data.performance.openCasesByStage.records.edges.map((e: { node: { childId: string } }) => e.node.childId);
    expect(ids).not.toContain(restricted.id);
  });

  /** A figure's value and the children its records list (every page), for one actor. */
  async function counted(figure: string, input: Record<string, unknown>, as: Parameters<TestApi['run']>[2]) {
    const r = await api.run(`query($input: PerformanceInput!) { performance(input: $input) { ${figure} { value
      records(first: 100) { totalCount edges { node { childId } } } } } }`, { input }, as);
    expect(r.errors).toBeUndefined();
    const f = r.data.performance[figure];
    expect(f.records.totalCount).toBe(f.records.edges.length);
    return { value: f.value as number, children: f.records.edges.map((e: { node: { childId: string | null } }) => e.node.childId) };
  }

  it("counts for a manager only the records they can list: a team's restricted child they are not named on is not counted", async () => {
    await handBuiltCouncil();
    const restricted = await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id, restrictedTo: [c.admin.id] });
    await q(`UPDATE allocation SET started_at = '2025-12-01T09:00:00Z' WHERE child_id = $1`, [restricted.id]);
    await referral(restricted.id, '2026-03-02', null);
    for (const figure of ['openCasesByStage', 'openCasesByTeam', 'caseload']) {
      const manager = await counted(figure, PERIOD, c.teamManager);
      expect([figure, manager.value, manager.children.length]).toEqual([figure, 6, 6]);
      expect(manager.children).not.toContain(restricted.id);
      // Analysts count it, its identifiers withheld.
      const analyst = await counted(figure, { ...PERIOD, teamId: c.teamA.id }, c.analyst);
      expect([figure, analyst.value, analyst.children.filter((id: string | null) => id === null).length]).toEqual([figure, 7, 1]);
    }
    const r = await api.run(`query($input: PerformanceInput!) { performance(input: $input) { workerCaseloads { workerId cases } } }`,
      { input: PERIOD }, c.teamManager);
    expect(r.data.performance.workerCaseloads).toEqual([{ workerId: c.socialWorker.id, cases: 6 }]);
    // Named on it, the manager counts and lists it.
    await q(`INSERT INTO restriction_grant (child_id, account_id, granted_by_id) VALUES ($1, $2, $3)`,
      [restricted.id, c.teamManager.id, c.admin.id]);
    const named = await counted('openCasesByStage', PERIOD, c.teamManager);
    expect([named.value, named.children.length]).toEqual([7, 7]);
    expect(named.children).toContain(restricted.id);
  });

  it("counts a child for the team that held it: at `to` for snapshots, on the day of the event for the period's events", async () => {
    const { kids } = await handBuiltCouncil();
    // Team A held ch2 (CIN plan; referral decided late on 7 January; assessment authorised 9 March) until today.
    const moved = kids[1].id;
    await q(`UPDATE allocation SET ended_at = now() WHERE child_id = $1 AND ended_at IS NULL`, [moved]);
    await q(`INSERT INTO allocation (child_id, team_id, started_at, reason) VALUES ($1, $2, now(), 'Transferred')`, [moved, c.teamB.id]);
    for (const figure of ['caseload', 'openCasesByStage', 'referralDecisions', 'assessmentsCompleted']) {
      const manager = await counted(figure, PERIOD, c.teamManager);
      expect([figure, manager.value, manager.children.length]).toEqual([figure, manager.children.length, manager.children.length]);
      expect([figure, manager.children.includes(moved)]).toEqual([figure, true]);
      const teamB = await counted(figure, { ...PERIOD, teamId: c.teamB.id }, c.serviceManager);
      expect([figure, teamB.value]).toEqual([figure, 0]);
    }
    // Today, team B holds it.
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
    const now = { from: today, to: today };
    expect((await counted('openCasesByStage', { ...now, teamId: c.teamB.id }, c.serviceManager)).children).toEqual([moved]);
    const managerNow = await counted('openCasesByStage', now, c.teamManager);
    expect(managerNow.children).not.toContain(moved);
    expect(managerNow.value).toBe(managerNow.children.length);
  });

  it('refuses a period that ends before it starts, and a cursor from elsewhere', async () => {
    const bad = await api.run(BARE, { input: { from: '2026-03-31', to: '2026-01-01' } }, c.analyst);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors![0].extensions!.fields).toEqual([{ field: 'input.to', message: 'must not be before from' }]);
    const cursor = await api.run(RECORDS('visits'), { input: PERIOD, first: 5, after: 'bm90LWEtY3Vyc29y' }, c.analyst);
    expect(codeOf(cursor)).toBe('BAD_USER_INPUT');
    const team = await api.run(BARE, { input: { ...PERIOD, teamId: 'not-an-id' } }, c.analyst);
    expect(codeOf(team)).toBe('BAD_USER_INPUT');
  });
});

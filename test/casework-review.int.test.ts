import { codeOf, TestApi } from './api';
import { Council, Suite, useCouncilSuite } from './factories';

/** Regression tests for defects found in review of the statutory casework. */
const suite = useCouncilSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});

const START_PLAN = `mutation($input: StartPlanInput!) { startPlan(input: $input) { id } }`;
const START = `mutation($input: StartAssessmentInput!) { startAssessment(input: $input) { id dueDate version } }`;
const COMPLETE = `mutation($input: CompleteAssessmentInput!) { completeAssessment(input: $input) { id version } }`;
const AUTHORISE = `mutation($input: AuthoriseAssessmentInput!) { authoriseAssessment(input: $input) { id status } }`;
const CLOSE = `mutation($input: CloseEpisodeInput!) { closeEpisode(input: $input) { id closureReason } }`;
const PLAN = `query($id: ID!) { plan(id: $id) { id contingency } }`;

async function childWithEpisode(referralDates: string[]) {
  const child = await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id });
  for (const d of referralDates) {
    const r = await given.referral(child.id, { receivedAt: `${d}T10:00:00Z`, dueOn: d, decided: true });
    if (d === referralDates[0]) {
      await api.db.query(
        `INSERT INTO episode (child_id, referral_id, start_date, referral_source, primary_need_code) VALUES ($1, $2, $3, '2A', 'N1')`,
        [child.id, r.id, d],
      );
    }
  }
  const [episode] = await api.db.query(`SELECT id, version FROM episode WHERE child_id = $1`, [child.id]);
  return { child, episode };
}

const analysis = {
  factors: ['16A'], risks: 'Neglect of basic care at home', strengths: 'Grandmother visits every day and helps',
  protectiveFactors: 'Regular school attendance and a GP', childsViews: 'Wants to stay at home with mum and her brother',
  analysis: 'Needs were met once the family had support from the school',
};

describe('review fixes', () => {
  it('refuses a contingency or family summary made of spaces', async () => {
    const { child } = await childWithEpisode(['2026-09-01']);
    const content = {
      outcomes: [{ needToChange: 'Regular meals at home', measure: 'School reports no hunger', byWhen: '2027-03-01' }],
      actions: [], contingency: ' '.repeat(25), familySummary: ' '.repeat(25),
    };
    const r = await api.run(START_PLAN, { input: { childId: child.id, type: 'CHILD_IN_NEED', startDate: '2026-11-02', content } }, c.socialWorker);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].extensions?.fields?.map((f) => f.field).sort()).toEqual(['content.contingency', 'content.familySummary']);
    expect(await given.count('plan')).toBe(0);
  });

  it('counts an assessment after a re-referral from that referral, not from the start of the episode', async () => {
    const { child } = await childWithEpisode(['2026-01-05', '2026-11-02']);
    const r = await api.run(START, { input: { childId: child.id, startDate: '2026-11-03' } }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    const [{ due }] = await api.db.query(`SELECT haven_add_working_days('2026-11-02', 45)::text AS due`);
    expect(r.data.startAssessment.dueDate).toBe(due);
  });

  it('authorises a CLOSE assessment on an episode that had a section 47, leaving the episode for the worker to close', async () => {
    const { child, episode } = await childWithEpisode(['2026-09-01']);
    const [sd] = await api.db.query(
      `INSERT INTO strategy_discussion (child_id, episode_id, held_on, participants, decision, rationale)
       VALUES ($1, $2, '2026-09-02', '[]', 'START_SECTION_47', 'Concerns about injuries') RETURNING id`,
      [child.id, episode.id],
    );
    await api.db.query(
      `INSERT INTO section47 (child_id, episode_id, strategy_discussion_id, start_date, icpc_target_date, status, conference_not_required,
                              not_required_reason, concluded_on)
       VALUES ($1, $2, $3, '2026-09-02', '2026-09-23', 'CONCLUDED', true, 'Injury explained by the hospital', '2026-09-10')`,
      [child.id, episode.id, sd.id],
    );
    const started = await api.run(START, { input: { childId: child.id, startDate: '2026-09-03' } }, c.socialWorker);
    const id = started.data.startAssessment.id;
    const done = await api.run(COMPLETE, {
      input: { id, expectedVersion: 1, completedDate: '2026-10-01', ...analysis, outcome: 'CLOSE' },
    }, c.socialWorker);
    expect(done.errors).toBeUndefined();
    const auth = await api.run(AUTHORISE, { input: { id, expectedVersion: 2 } }, c.teamManager);
    expect(auth.errors).toBeUndefined();
    expect(auth.data.authoriseAssessment.status).toBe('AUTHORISED');
    const [open] = await api.db.query(`SELECT closure_date, version FROM episode WHERE id = $1`, [episode.id]);
    expect(open.closure_date).toBeNull();
    const closed = await api.run(CLOSE, { input: { id: episode.id, expectedVersion: open.version, closureDate: '2026-11-02', reason: 'RC7' } }, c.socialWorker);
    expect(closed.errors).toBeUndefined();
    expect(closed.data.closeEpisode.closureReason).toBe('RC7');
  });

  it('flags a read of a restricted child\'s plan through break-glass', async () => {
    const child = await given.child({ teamId: c.teamA.id, restrictedTo: [c.otherSocialWorker.id] });
    const [plan] = await api.db.query(
      `INSERT INTO plan (child_id, type, start_date, contingency, family_summary)
       VALUES ($1, 'CHILD_IN_NEED', '2026-10-01', 'We would consider a conference', 'What we agreed with you') RETURNING id`,
      [child.id],
    );
    await api.db.query(
      `INSERT INTO break_glass_access (child_id, account_id, reason, expires_at) VALUES ($1, $2, 'Urgent call from the police tonight', now() + interval '1 hour')`,
      [child.id, c.teamManager.id],
    );
    const r = await api.run(PLAN, { id: plan.id }, c.teamManager);
    expect(r.errors).toBeUndefined();
    const [row] = await api.db.query(`SELECT break_glass, child_id FROM audit_entry WHERE action = 'plan.viewed'`);
    expect(row).toEqual({ break_glass: true, child_id: child.id });
  });

  it('gives a child with two active plans one visit due, by the higher-priority plan', async () => {
    const child = await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id });
    await api.db.query(
      `INSERT INTO plan (child_id, type, start_date, contingency, family_summary)
       VALUES ($1, 'CHILD_IN_NEED', '2026-11-02', 'We would consider a conference', 'What we agreed with you'),
              ($1, 'EARLY_HELP', '2026-10-01', 'We would ask social care to assess', 'What we agreed with you')`,
      [child.id],
    );
    const r = await api.run(`{ myCaseload { edges { node { due { kind dueOn } } } } }`, {}, c.socialWorker);
    const visits = r.data.myCaseload.edges[0].node.due.filter((d: { kind: string }) => d.kind === 'VISIT');
    const [{ due }] = await api.db.query(`SELECT haven_add_working_days('2026-11-02', 20)::text AS due`);
    expect(visits).toEqual([{ kind: 'VISIT', dueOn: due }]); // the CIN plan's 20 working days from its start
  });
});

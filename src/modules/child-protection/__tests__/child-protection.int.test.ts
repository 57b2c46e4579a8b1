import { randomUUID } from 'node:crypto';
import { codeOf, GqlResult, TestApi, useFixedClock } from '../../../../test/api';
import { Council, Suite, useCouncilSuite } from '../../../../test/factories';

const DISCUSSION = `mutation($input: RecordStrategyDiscussionInput!) { recordStrategyDiscussion(input: $input) {
  id childId episodeId heldOn participants { agency name role } decision rationale version } }`;
const S47_FIELDS = `id childId episodeId strategyDiscussionId startDate icpcTargetDate status conferenceNotRequired notRequiredReason
  icpcDate concludedOn dueStatus version`;
const START_S47 = `mutation($input: StartSection47Input!) { startSection47(input: $input) { ${S47_FIELDS} } }`;
const CONCLUDE_S47 = `mutation($input: ConcludeSection47Input!) { concludeSection47(input: $input) { ${S47_FIELDS} } }`;
const CONFERENCE = `mutation($input: RecordChildProtectionConferenceInput!) { recordChildProtectionConference(input: $input) {
  id childId episodeId kind section47Id planId heldOn chairId chair { id } attendees { agency name role attended } decision category
  rationale dueBy onTime version } }`;
const PLAN = `query($id: ID!) { plan(id: $id) { id type status startDate endDate endReason nextReviewDue initialCategory latestCategory
  previousCpPlans repeatWithin2Years version outcomes { measure } } }`;
const CHILD_CP = `query($id: ID!) { child(id: $id) {
  strategyDiscussions { id decision } section47s { id status dueStatus } conferences { id kind decision onTime chair { id } }
  plans { id type status } } }`;

const suite = useCouncilSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});

/** The service clock, fixed: "today" is 2027-01-20 (a Wednesday) unless a test moves it. */
const NOW = '2027-01-20T12:00:00Z';
const clock = useFixedClock(suite, NOW);
const run = clock.run;

const fieldsOf = (r: GqlResult) => [...new Set((r.errors?.[0].extensions?.fields ?? []).map((f) => f.field))].sort();

/** An open (or closed) episode of need, set up by SQL (the episode module is built alongside). */
async function openEpisode(childId: string, startDate = '2026-11-02', closed = false): Promise<string> {
  const referral = await given.referral(childId, { receivedAt: `${startDate}T10:00:00Z`, decided: true });
  const [row] = await api.db.query(
    `INSERT INTO episode (child_id, referral_id, start_date, referral_source, primary_need_code, closure_date, closure_reason)
     VALUES ($1, $2, $3, '2A', 'N1', $4, $5) RETURNING id`,
    [childId, referral.id, startDate, closed ? startDate : null, closed ? 'RC8' : null],
  );
  return row.id;
}

async function childWithEpisode(teamId = c.teamA.id) {
  const child = await given.child({ teamId });
  await openEpisode(child.id);
  return child;
}

const participants = [
  { agency: 'Police', name: 'DC Hale', role: 'Child abuse investigation' },
  { agency: 'Health', name: 'Dr Osei', role: 'Named GP' },
  { agency: 'Social care', name: 'Sam Worker', role: null },
];
const discussionInput = (childId: string, extra: Record<string, unknown> = {}) => ({
  childId, heldOn: '2027-01-04', participants, decision: 'START_SECTION_47',
  rationale: 'Unexplained bruising; police and health agree to a joint enquiry', ...extra,
});
const planContent = () => ({
  outcomes: [{ needToChange: 'Amara is not hurt at home', measure: 'No injuries seen by school or health', byWhen: '2027-04-18' }],
  actions: [{ outcomeIndex: 0, who: 'Father', what: 'Attend the domestic abuse programme', byWhen: '2027-03-01' }],
  contingency: 'If Amara is hurt again we will seek legal advice on care proceedings.',
  familySummary: 'We are worried Amara is being hurt. This plan says what must change.',
});
const attendees = [
  { agency: 'Police', name: 'DC Hale', role: 'Officer', attended: true },
  { agency: 'Education', name: 'Ms Ade', role: 'DSL', attended: false },
];
const initialInput = (childId: string, section47Id: string, extra: Record<string, unknown> = {}) => ({
  childId, kind: 'INITIAL', section47Id, heldOn: '2027-01-18', attendees, decision: 'PLAN', category: 'PHY',
  rationale: 'Significant harm from physical abuse is likely', plan: planContent(), ...extra,
});
const reviewInput = (childId: string, planId: string, extra: Record<string, unknown> = {}) => ({
  childId, kind: 'REVIEW', planId, heldOn: '2027-04-16', attendees, decision: 'CONTINUE',
  rationale: 'Some progress, the risk remains significant', ...extra,
});

async function discussion(childId: string, extra: Record<string, unknown> = {}) {
  const r = await run(DISCUSSION, { input: discussionInput(childId, extra) }, c.socialWorker);
  expect(r.errors).toBeUndefined();
  return r.data.recordStrategyDiscussion as { id: string; heldOn: string };
}

async function openSection47(childId: string, heldOn = '2027-01-04') {
  const d = await discussion(childId, { heldOn });
  const r = await run(START_S47, { input: { strategyDiscussionId: d.id, startDate: heldOn } }, c.socialWorker);
  expect(r.errors).toBeUndefined();
  return r.data.startSection47 as { id: string; version: number; icpcTargetDate: string };
}

/** A child in a CP plan from an initial conference (clock at 2027-01-20). */
async function childOnCpPlan() {
  const child = await childWithEpisode();
  const s47 = await openSection47(child.id);
  const r = await run(CONFERENCE, { input: initialInput(child.id, s47.id) }, c.conferenceChair);
  expect(r.errors).toBeUndefined();
  return { child, planId: r.data.recordChildProtectionConference.planId as string };
}

/** given.count takes table names of letters and underscores only. */
async function countSection47(): Promise<number> {
  const [{ n }] = await api.db.query(`SELECT count(*)::int AS n FROM section47`);
  return n;
}

async function rowOf(table: 'plan' | 'section47', id: string) {
  const [row] = await api.db.query(`SELECT * FROM ${table} WHERE id = $1`, [id]);
  return row;
}

describe('recordStrategyDiscussion', () => {
  it('refuses an anonymous caller and writes nothing', async () => {
    const child = await childWithEpisode();
    expect(codeOf(await run(DISCUSSION, { input: discussionInput(child.id) }))).toBe('UNAUTHENTICATED');
    expect(await given.count('strategy_discussion')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses roles without section47:record (chair, early help, analyst, provider), writing nothing', async () => {
    const child = await childWithEpisode();
    for (const who of [c.conferenceChair, c.earlyHelp, c.analyst, c.providerManager]) {
      expect(codeOf(await run(DISCUSSION, { input: discussionInput(child.id) }, who))).toBe('FORBIDDEN');
    }
    expect(await given.count('strategy_discussion')).toBe(0);
    expect(await given.auditRows('access.denied')).toHaveLength(4);
  });

  it("answers NOT_FOUND for another team's child, as for a missing one, writing nothing", async () => {
    const child = await childWithEpisode(c.teamB.id);
    const other = await run(DISCUSSION, { input: discussionInput(child.id) }, c.socialWorker);
    const missing = await run(DISCUSSION, { input: discussionInput(randomUUID()) }, c.socialWorker);
    expect(codeOf(other)).toBe('NOT_FOUND');
    expect(other.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(await given.count('strategy_discussion')).toBe(0);
    expect((await given.auditRows('child.changeDenied', child.id)).map((a) => a.result)).toEqual(['DENIED']);
    expect(await given.auditRows('strategyDiscussion.recorded')).toHaveLength(0);
  });

  it.each([
    ['one agency only', { participants: [participants[0], { ...participants[1], agency: ' police ' }] }, ['participants']],
    ['a single participant', { participants: [participants[0]] }, ['participants']],
    ['a date in the future', { heldOn: '2027-01-21' }, ['heldOn']],
    ['a date before the episode of need', { heldOn: '2026-11-01' }, ['heldOn']],
    ['no real rationale', { rationale: 'S47' }, ['rationale']],
  ])('refuses %s with BAD_USER_INPUT, writing nothing', async (_label, extra, fields) => {
    const child = await childWithEpisode();
    const auditBefore = await given.count('audit_entry');
    const r = await run(DISCUSSION, { input: discussionInput(child.id, extra) }, c.socialWorker);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(fields);
    expect(await given.count('strategy_discussion')).toBe(0);
    expect(await given.count('audit_entry')).toBe(auditBefore);
  });

  it('refuses CHILD_PROTECTION_NEEDS_OPEN_EPISODE without an open episode of need', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    expect(codeOf(await run(DISCUSSION, { input: discussionInput(child.id) }, c.socialWorker))).toBe('CHILD_PROTECTION_NEEDS_OPEN_EPISODE');
    expect(await given.count('strategy_discussion')).toBe(0);
  });

  it('records the discussion on the open episode with its audit row', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const episodeId = await openEpisode(child.id);
    const r = await run(DISCUSSION, { input: discussionInput(child.id) }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.recordStrategyDiscussion).toMatchObject({
      childId: child.id, episodeId, heldOn: '2027-01-04', decision: 'START_SECTION_47', participants, version: 1,
    });
    const audit = await given.auditRows('strategyDiscussion.recorded', r.data.recordStrategyDiscussion.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.socialWorker.id, child_id: child.id });
    expect([...audit[0].fields].sort()).toEqual(['decision', 'heldOn', 'participants', 'rationale']);
  });
});

describe('startSection47', () => {
  it('refuses an anonymous caller and writes nothing', async () => {
    const d = await discussion((await childWithEpisode()).id);
    expect(codeOf(await run(START_S47, { input: { strategyDiscussionId: d.id, startDate: '2027-01-04' } }))).toBe('UNAUTHENTICATED');
    expect(await countSection47()).toBe(0);
  });

  it('refuses a role without section47:record and answers NOT_FOUND for a discussion of another team, writing nothing', async () => {
    const d = await discussion((await childWithEpisode()).id);
    const input = { strategyDiscussionId: d.id, startDate: '2027-01-04' };
    expect(codeOf(await run(START_S47, { input }, c.conferenceChair))).toBe('FORBIDDEN');
    const other = await run(START_S47, { input }, c.otherSocialWorker);
    const missing = await run(START_S47, { input: { ...input, strategyDiscussionId: randomUUID() } }, c.otherSocialWorker);
    expect(codeOf(other)).toBe('NOT_FOUND');
    expect(other.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(await countSection47()).toBe(0);
    expect((await given.auditRows('strategyDiscussion.changeDenied', d.id)).map((a) => a.result)).toEqual(['DENIED']);
    expect(await given.auditRows('section47.started')).toHaveLength(0);
  });

  it.each([
    ['before the strategy discussion', '2027-01-01'],
    ['in the future', '2027-01-21'],
  ])('refuses a start date %s with BAD_USER_INPUT, writing nothing', async (_label, startDate) => {
    const d = await discussion((await childWithEpisode()).id);
    const auditBefore = await given.count('audit_entry');
    const r = await run(START_S47, { input: { strategyDiscussionId: d.id, startDate } }, c.socialWorker);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(['startDate']);
    expect(await countSection47()).toBe(0);
    expect(await given.count('audit_entry')).toBe(auditBefore);
  });

  it('refuses SECTION47_NOT_DECIDED when the discussion decided something else', async () => {
    const d = await discussion((await childWithEpisode()).id, { decision: 'CONTINUE_ASSESSMENT' });
    const r = await run(START_S47, { input: { strategyDiscussionId: d.id, startDate: '2027-01-04' } }, c.socialWorker);
    expect(codeOf(r)).toBe('SECTION47_NOT_DECIDED');
    expect(await countSection47()).toBe(0);
  });

  it('starts one enquiry per discussion (SECTION47_ALREADY_STARTED for a second)', async () => {
    const d = await discussion((await childWithEpisode()).id);
    expect((await run(START_S47, { input: { strategyDiscussionId: d.id, startDate: '2027-01-04' } }, c.socialWorker)).errors).toBeUndefined();
    const again = await run(START_S47, { input: { strategyDiscussionId: d.id, startDate: '2027-01-05' } }, c.teamManager);
    expect(codeOf(again)).toBe('SECTION47_ALREADY_STARTED');
    expect(await countSection47()).toBe(1);
    expect(await given.auditRows('section47.started')).toHaveLength(1);
  });

  it('starts an enquiry with the ICPC due 15 working days after the discussion, audited', async () => {
    const child = await childWithEpisode();
    const d = await discussion(child.id);
    const r = await run(START_S47, { input: { strategyDiscussionId: d.id, startDate: '2027-01-05' } }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.startSection47).toMatchObject({
      childId: child.id, strategyDiscussionId: d.id, startDate: '2027-01-05', icpcTargetDate: '2027-01-25', status: 'OPEN',
      conferenceNotRequired: false, icpcDate: null, dueStatus: 'DUE_SOON', version: 1,
    });
    const audit = await given.auditRows('section47.started', r.data.startSection47.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.socialWorker.id, child_id: child.id });
    expect([...audit[0].fields].sort()).toEqual(['icpcTargetDate', 'startDate', 'strategyDiscussionId']);
  });

  it.each([
    ['2026-11-26', '2026-12-17'],
    ['2026-12-21', '2027-01-14'],
  ])('counts 15 working days from a strategy discussion on %s to %s (weekends and bank holidays skipped)', async (heldOn, target) => {
    const child = await childWithEpisode();
    const s47 = await openSection47(child.id, heldOn);
    expect(s47.icpcTargetDate).toBe(target);
    expect((await rowOf('section47', s47.id)).icpc_target_date).toBe(target);
  });
});

describe('concludeSection47', () => {
  const conclude = (s47: { id: string; version: number }, extra: Record<string, unknown> = {}) => ({
    id: s47.id, expectedVersion: s47.version, outcome: 'CONFERENCE_NOT_REQUIRED', reason: 'Injury explained; accidental, no further concern', ...extra,
  });

  it('refuses an anonymous caller and writes nothing', async () => {
    const s47 = await openSection47((await childWithEpisode()).id);
    expect(codeOf(await run(CONCLUDE_S47, { input: conclude(s47) }))).toBe('UNAUTHENTICATED');
    expect((await rowOf('section47', s47.id)).status).toBe('OPEN');
  });

  it('refuses a role without section47:record and answers NOT_FOUND for another team, writing nothing', async () => {
    const s47 = await openSection47((await childWithEpisode()).id);
    expect(codeOf(await run(CONCLUDE_S47, { input: conclude(s47) }, c.conferenceChair))).toBe('FORBIDDEN');
    expect(codeOf(await run(CONCLUDE_S47, { input: conclude(s47) }, c.otherSocialWorker))).toBe('NOT_FOUND');
    expect(await rowOf('section47', s47.id)).toMatchObject({ status: 'OPEN', version: 1 });
    expect((await given.auditRows('section47.changeDenied', s47.id)).map((a) => a.result)).toEqual(['DENIED']);
    expect(await given.auditRows('section47.concluded')).toHaveLength(0);
  });

  it('refuses a reason too short to explain, with the field, writing nothing', async () => {
    const s47 = await openSection47((await childWithEpisode()).id);
    const auditBefore = await given.count('audit_entry');
    const r = await run(CONCLUDE_S47, { input: conclude(s47, { reason: 'NFA' }) }, c.socialWorker);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(['reason']);
    expect(await rowOf('section47', s47.id)).toMatchObject({ status: 'OPEN', version: 1 });
    expect(await given.count('audit_entry')).toBe(auditBefore);
  });

  it('records "conference not required" with the reason, concluded today, audited; a second time SECTION47_NOT_OPEN', async () => {
    const child = await childWithEpisode();
    const s47 = await openSection47(child.id);
    const r = await run(CONCLUDE_S47, { input: conclude(s47) }, c.teamManager);
    expect(r.errors).toBeUndefined();
    expect(r.data.concludeSection47).toMatchObject({
      status: 'CONCLUDED', conferenceNotRequired: true, notRequiredReason: 'Injury explained; accidental, no further concern',
      concludedOn: '2027-01-20', icpcDate: null, dueStatus: null, version: 2,
    });
    const audit = await given.auditRows('section47.concluded', s47.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.teamManager.id, child_id: child.id });
    expect([...audit[0].fields].sort()).toEqual(['concludedOn', 'conferenceNotRequired', 'notRequiredReason', 'status']);
    expect(codeOf(await run(CONCLUDE_S47, { input: conclude(r.data.concludeSection47) }, c.teamManager))).toBe('SECTION47_NOT_OPEN');
  });

  it('answers STALE_VERSION for an old version, writing nothing', async () => {
    const s47 = await openSection47((await childWithEpisode()).id);
    const r = await run(CONCLUDE_S47, { input: conclude({ ...s47, version: 2 }) }, c.socialWorker);
    expect(codeOf(r)).toBe('STALE_VERSION');
    expect(await rowOf('section47', s47.id)).toMatchObject({ status: 'OPEN', version: 1 });
    expect(await given.auditRows('section47.concluded')).toHaveLength(0);
  });
});

describe('recordChildProtectionConference', () => {
  it('refuses an anonymous caller and writes nothing', async () => {
    const child = await childWithEpisode();
    const s47 = await openSection47(child.id);
    expect(codeOf(await run(CONFERENCE, { input: initialInput(child.id, s47.id) }))).toBe('UNAUTHENTICATED');
    expect(await given.count('child_protection_conference')).toBe(0);
    expect(await given.count('plan')).toBe(0);
    expect((await rowOf('section47', s47.id)).status).toBe('OPEN');
  });

  it('refuses a social worker (no conference:record) with FORBIDDEN, writing nothing', async () => {
    const child = await childWithEpisode();
    const s47 = await openSection47(child.id);
    for (const who of [c.socialWorker, c.teamManager, c.analyst]) {
      expect(codeOf(await run(CONFERENCE, { input: initialInput(child.id, s47.id) }, who))).toBe('FORBIDDEN');
    }
    expect(await given.count('child_protection_conference')).toBe(0);
    expect(await given.count('plan')).toBe(0);
    expect(await given.auditRows('access.denied')).toHaveLength(3);
  });

  it('lets a chair record for a child with an open section 47, and answers NOT_FOUND for other children', async () => {
    const notInCohort = await childWithEpisode();
    const s47Elsewhere = await openSection47((await childWithEpisode()).id);
    const r = await run(CONFERENCE, { input: initialInput(notInCohort.id, s47Elsewhere.id) }, c.conferenceChair);
    const missing = await run(CONFERENCE, { input: initialInput(randomUUID(), s47Elsewhere.id) }, c.conferenceChair);
    expect(codeOf(r)).toBe('NOT_FOUND');
    expect(r.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(await given.count('child_protection_conference')).toBe(0);
    expect((await given.auditRows('child.changeDenied', notInCohort.id)).map((a) => a.result)).toEqual(['DENIED']);
    // A concluded enquiry takes the child out of the chair's cohort too.
    const concluded = await childWithEpisode();
    const s47 = await openSection47(concluded.id);
    await api.db.query(`UPDATE section47 SET status = 'CONCLUDED' WHERE id = $1`, [s47.id]);
    expect(codeOf(await run(CONFERENCE, { input: initialInput(concluded.id, s47.id) }, c.conferenceChair))).toBe('NOT_FOUND');
  });

  it.each([
    ['a PLAN decision without a category', { category: null }, ['category']],
    ['a PLAN decision without the plan', { plan: null }, ['plan']],
    ['a plan without a contingency', { plan: { ...planContent(), contingency: null } }, ['plan.contingency']],
    ['a plan without an outcome', { plan: { ...planContent(), outcomes: [], actions: [] } }, ['plan.outcomes']],
    ['a plan with an outcome without a measure', {
      plan: { ...planContent(), outcomes: [{ needToChange: 'Amara is safe', byWhen: '2027-04-01' }], actions: [] },
    }, ['plan.outcomes.0.measure']],
    ['a review decision at an initial conference', { decision: 'CONTINUE', plan: null }, ['decision']],
    ['no section 47', { section47Id: null }, ['section47Id']],
    ['a date in the future', { heldOn: '2027-01-21' }, ['heldOn']],
    ['a date before the enquiry started', { heldOn: '2027-01-01', plan: { ...planContent() } }, ['heldOn']],
    ['a category that is not one', { category: 'XYZ' }, null],
  ])('refuses %s with BAD_USER_INPUT, writing nothing', async (_label, extra, fields) => {
    const child = await childWithEpisode();
    const s47 = await openSection47(child.id);
    const auditBefore = await given.count('audit_entry');
    const r = await run(CONFERENCE, { input: initialInput(child.id, s47.id, extra) }, c.conferenceChair);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    if (fields) expect(fieldsOf(r)).toEqual(fields);
    expect(await given.count('child_protection_conference')).toBe(0);
    expect(await given.count('plan')).toBe(0);
    expect(await rowOf('section47', s47.id)).toMatchObject({ status: 'OPEN', version: 1, icpc_date: null });
    expect(await given.count('audit_entry')).toBe(auditBefore);
  });

  it('an initial conference deciding PLAN starts the CP plan on the day (review in 3 months), ends the CIN plan, concludes the enquiry', async () => {
    const child = await childWithEpisode();
    const cin = await run(`mutation($input: StartPlanInput!) { startPlan(input: $input) { id } }`, {
      input: { childId: child.id, type: 'CHILD_IN_NEED', startDate: '2026-12-01', content: planContent() },
    }, c.socialWorker);
    expect(cin.errors).toBeUndefined();
    const cinId = cin.data.startPlan.id;
    const s47 = await openSection47(child.id);
    const r = await run(CONFERENCE, { input: initialInput(child.id, s47.id) }, c.conferenceChair);
    expect(r.errors).toBeUndefined();
    const conf = r.data.recordChildProtectionConference;
    expect(conf).toMatchObject({
      childId: child.id, kind: 'INITIAL', section47Id: s47.id, heldOn: '2027-01-18', chairId: c.conferenceChair.id,
      chair: { id: c.conferenceChair.id }, decision: 'PLAN', category: 'PHY', dueBy: '2027-01-25', onTime: true, attendees, version: 1,
    });
    const plan = (await run(PLAN, { id: conf.planId }, c.conferenceChair)).data.plan;
    expect(plan).toMatchObject({
      type: 'CHILD_PROTECTION', status: 'ACTIVE', startDate: '2027-01-18', nextReviewDue: '2027-04-18', initialCategory: 'PHY',
      latestCategory: 'PHY', previousCpPlans: 0, repeatWithin2Years: false, outcomes: [{ measure: 'No injuries seen by school or health' }],
    });
    expect(await rowOf('plan', cinId)).toMatchObject({ status: 'ENDED', end_date: '2027-01-18', end_reason: 'Child protection plan started' });
    expect(await rowOf('section47', s47.id)).toMatchObject({ status: 'CONCLUDED', icpc_date: '2027-01-18', conference_not_required: false });
    const audit = await given.auditRows('conference.recorded', conf.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.conferenceChair.id, child_id: child.id });
    expect(audit[0].fields).toEqual(expect.arrayContaining(['kind', 'section47Id', 'heldOn', 'attendees', 'decision', 'category', 'rationale']));
    expect((await given.auditRows('plan.started', conf.planId))[0]).toMatchObject({ actor_id: c.conferenceChair.id, child_id: child.id });
    expect(await given.auditRows('plan.ended', cinId)).toHaveLength(1);
    expect(await given.auditRows('section47.concluded', s47.id)).toHaveLength(1);
  });

  it('an initial conference deciding NO_PLAN concludes the enquiry only; a late one is not on time', async () => {
    const child = await childWithEpisode();
    const s47 = await openSection47(child.id, '2026-12-21');
    const r = await run(CONFERENCE, {
      input: initialInput(child.id, s47.id, { decision: 'NO_PLAN', category: null, plan: null, heldOn: '2027-01-15' }),
    }, c.serviceManager);
    expect(r.errors).toBeUndefined();
    expect(r.data.recordChildProtectionConference).toMatchObject({ decision: 'NO_PLAN', planId: null, dueBy: '2027-01-14', onTime: false });
    expect(await given.count('plan')).toBe(0);
    expect((await rowOf('section47', s47.id)).status).toBe('CONCLUDED');
    const again = await run(CONFERENCE, {
      input: initialInput(child.id, s47.id, { decision: 'NO_PLAN', category: null, plan: null }),
    }, c.serviceManager);
    expect(codeOf(again)).toBe('SECTION47_NOT_OPEN');
    expect(await given.count('child_protection_conference')).toBe(1);
  });

  it('a review conference continuing the plan sets the next review 6 months on and the latest category; due by the plan date', async () => {
    const { child, planId } = await childOnCpPlan();
    clock.set('2027-04-20T12:00:00Z');
    const r = await run(CONFERENCE, { input: reviewInput(child.id, planId, { category: 'EMO' }) }, c.conferenceChair);
    expect(r.errors).toBeUndefined();
    expect(r.data.recordChildProtectionConference).toMatchObject({
      kind: 'REVIEW', planId, decision: 'CONTINUE', category: 'EMO', dueBy: '2027-04-18', onTime: true, section47Id: null,
    });
    const plan = (await run(PLAN, { id: planId }, c.conferenceChair)).data.plan;
    expect(plan).toMatchObject({ status: 'ACTIVE', nextReviewDue: '2027-10-16', initialCategory: 'PHY', latestCategory: 'EMO' });
    const audit = await given.auditRows('conference.recorded', r.data.recordChildProtectionConference.id);
    expect(audit[0]).toMatchObject({ actor_id: c.conferenceChair.id, child_id: child.id });
    // The next review is due by the date set here, 6 months on.
    clock.set('2027-10-20T12:00:00Z');
    const late = await run(CONFERENCE, { input: reviewInput(child.id, planId, { heldOn: '2027-10-19' }) }, c.conferenceChair);
    expect(late.data.recordChildProtectionConference).toMatchObject({ dueBy: '2027-10-16', onTime: false, category: 'EMO' });
  });

  it('a review conference deciding END_PLAN ends the plan on the day; the plan can then not be reviewed', async () => {
    const { child, planId } = await childOnCpPlan();
    clock.set('2027-04-20T12:00:00Z');
    const r = await run(CONFERENCE, { input: reviewInput(child.id, planId, { decision: 'END_PLAN' }) }, c.conferenceChair);
    expect(r.errors).toBeUndefined();
    expect(await rowOf('plan', planId)).toMatchObject({ status: 'ENDED', end_date: '2027-04-16' });
    expect(await given.auditRows('plan.ended', planId)).toHaveLength(1);
    // The chair's cohort no longer holds the child; a service manager gets CONFERENCE_PLAN_NOT_ACTIVE.
    expect(codeOf(await run(CONFERENCE, { input: reviewInput(child.id, planId) }, c.conferenceChair))).toBe('NOT_FOUND');
    expect(codeOf(await run(CONFERENCE, { input: reviewInput(child.id, planId) }, c.serviceManager))).toBe('CONFERENCE_PLAN_NOT_ACTIVE');
    expect(await given.count('child_protection_conference')).toBe(2);
  });

  it('refuses a review of a CIN plan or without a plan, and a review held before the plan started', async () => {
    const { child, planId } = await childOnCpPlan();
    expect(fieldsOf(await run(CONFERENCE, { input: reviewInput(child.id, planId, { planId: null, heldOn: '2027-01-19' }) }, c.conferenceChair))).toEqual(['planId']);
    expect(fieldsOf(await run(CONFERENCE, { input: reviewInput(child.id, planId, { decision: 'PLAN', heldOn: '2027-01-19' }) }, c.conferenceChair)))
      .toEqual(['decision']);
    const early = await run(CONFERENCE, { input: reviewInput(child.id, planId, { heldOn: '2027-01-17' }) }, c.conferenceChair);
    expect(fieldsOf(early)).toEqual(['heldOn']);
    const cinId = (await api.db.query(
      `INSERT INTO plan (child_id, type, status, start_date, end_date, contingency, family_summary)
       VALUES ($1, 'CHILD_IN_NEED', 'ENDED', '2026-12-01', '2027-01-10', 'Contingency text here', 'Family summary here') RETURNING id`,
      [child.id],
    ))[0].id;
    expect(codeOf(await run(CONFERENCE, { input: reviewInput(child.id, cinId, { heldOn: '2027-01-19' }) }, c.conferenceChair)))
      .toBe('CONFERENCE_PLAN_NOT_ACTIVE');
    expect(await given.count('child_protection_conference')).toBe(1);
  });

  it('flags a repeat plan when a previous CP plan ended within 2 years', async () => {
    const child = await childWithEpisode();
    await api.db.query(
      `INSERT INTO plan (child_id, type, status, start_date, end_date, contingency, family_summary, initial_category, latest_category)
       VALUES ($1, 'CHILD_PROTECTION', 'ENDED', '2025-03-01', '2025-09-30', 'Contingency text here', 'Family summary here', 'NEG', 'NEG')`,
      [child.id],
    );
    const s47 = await openSection47(child.id);
    const r = await run(CONFERENCE, { input: initialInput(child.id, s47.id) }, c.conferenceChair);
    expect(r.errors).toBeUndefined();
    const plan = (await run(PLAN, { id: r.data.recordChildProtectionConference.planId }, c.conferenceChair)).data.plan;
    expect(plan).toMatchObject({ previousCpPlans: 1, repeatWithin2Years: true });
  });

  it("lists the child's discussions, enquiries and conferences (newest first) on the child record", async () => {
    const { child } = await childOnCpPlan();
    const r = await run(CHILD_CP, { id: child.id }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.child.strategyDiscussions.map((d: any) => d.decision)).toEqual(['START_SECTION_47']);
    expect(r.data.child.section47s.map((s: any) => [s.status, s.dueStatus])).toEqual([['CONCLUDED', null]]);
    expect(r.data.child.conferences.map((x: any) => [x.kind, x.decision, x.onTime, x.chair.id])).toEqual([
      ['INITIAL', 'PLAN', true, c.conferenceChair.id],
    ]);
    expect(r.data.child.plans.map((p: any) => p.type)).toEqual(['CHILD_PROTECTION']);
    expect(codeOf(await run(CHILD_CP, { id: child.id }, c.otherSocialWorker))).toBe('NOT_FOUND');
  });
});

import { randomUUID } from 'node:crypto';
import { codeOf, GqlResult, TestApi, useFixedClock } from '../../../../test/api';
import { Council, Suite, useCouncilSuite } from '../../../../test/factories';

const PLAN_FIELDS = `id childId type status startDate endDate endReason contingency familySummary nextReviewDue initialCategory
  latestCategory version durationDays over2Years previousCpPlans repeatWithin2Years reviewStatus
  outcomes { id position needToChange measure byWhen } actions { id outcomeId who what byWhen status }
  reviews { id heldOn decision summary dueBy onTime reviewerId reviewer { id } progress { outcomeId rating comment } }`;
const START = `mutation($input: StartPlanInput!) { startPlan(input: $input) { ${PLAN_FIELDS} } }`;
const UPDATE = `mutation($input: UpdatePlanInput!) { updatePlan(input: $input) { ${PLAN_FIELDS} } }`;
const REVIEW = `mutation($input: ReviewPlanInput!) { reviewPlan(input: $input) { ${PLAN_FIELDS} } }`;
const END = `mutation($input: EndPlanInput!) { endPlan(input: $input) { ${PLAN_FIELDS} } }`;
const PLAN = `query($id: ID!) { plan(id: $id) { ${PLAN_FIELDS} } }`;
const CHILD_PLANS = `query($id: ID!) { child(id: $id) { plans { id type status } } }`;

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

const content = () => ({
  outcomes: [
    { needToChange: 'The home is kept clean and safe', measure: 'Unannounced visits find the home safe', byWhen: '2027-04-01' },
    { needToChange: 'Amara attends school every day', measure: 'Attendance above 95% each half term', byWhen: '2027-06-01' },
  ],
  actions: [
    { outcomeIndex: 0, who: 'Mother', what: 'Attend the parenting course', byWhen: '2027-03-01' },
    { who: 'Social worker', what: 'Visit every two weeks', byWhen: '2027-06-01' },
  ],
  contingency: 'If the home is not safe by April a strategy discussion will be held.',
  familySummary: 'We will help you keep the home safe and get Amara to school every day.',
});
const startInput = (childId: string, extra: Record<string, unknown> = {}) => ({
  childId, type: 'CHILD_IN_NEED', startDate: '2027-01-04', content: content(), ...extra,
});

/** An open episode of need (the episode module is built alongside; set up by SQL). */
async function openEpisode(childId: string, startDate = '2026-12-01', closed = false): Promise<string> {
  const referral = await given.referral(childId, { receivedAt: `${startDate}T10:00:00Z`, decided: true });
  const [row] = await api.db.query(
    `INSERT INTO episode (child_id, referral_id, start_date, referral_source, primary_need_code, closure_date, closure_reason)
     VALUES ($1, $2, $3, '2A', 'N1', $4, $5) RETURNING id`,
    [childId, referral.id, startDate, closed ? startDate : null, closed ? 'RC8' : null],
  );
  return row.id;
}

/** A plan row set up by SQL (for CP plans, which start at a conference). */
async function planRow(
  childId: string,
  opts: { type?: string; start: string; end?: string | null; episodeId?: string | null; category?: string },
): Promise<string> {
  const [row] = await api.db.query(
    `INSERT INTO plan (child_id, episode_id, type, status, start_date, end_date, end_reason, contingency, family_summary, next_review_due,
                       initial_category, latest_category)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'Contingency for the test plan', 'Family summary for the test plan', $8, $9, $9) RETURNING id`,
    [
      childId, opts.episodeId ?? null, opts.type ?? 'CHILD_PROTECTION', opts.end ? 'ENDED' : 'ACTIVE', opts.start, opts.end ?? null,
      opts.end ? 'Ended' : null, opts.end ? null : '2027-02-01', opts.category ?? 'NEG',
    ],
  );
  return row.id;
}

async function childWithEpisode(teamId = c.teamA.id) {
  const child = await given.child({ teamId });
  await openEpisode(child.id);
  return child;
}

async function startedPlan(childId: string) {
  const r = await run(START, { input: startInput(childId) }, c.socialWorker);
  expect(r.errors).toBeUndefined();
  return r.data.startPlan as { id: string; version: number; outcomes: { id: string }[] };
}

async function planCounts() {
  return {
    plan: await given.count('plan'),
    outcomes: await given.count('plan_outcome'),
    actions: await given.count('plan_action'),
    reviews: await given.count('plan_review'),
    revisions: await given.count('plan_revision'),
  };
}

async function planRowOf(id: string) {
  const [row] = await api.db.query(`SELECT status, version, end_date, end_reason, next_review_due, contingency FROM plan WHERE id = $1`, [id]);
  return row;
}

const progressFor = (outcomes: { id: string }[]) =>
  outcomes.map((o) => ({ outcomeId: o.id, rating: 'SOME_PROGRESS', comment: 'Some change seen at visits' }));
const reviewInput = (plan: { id: string; version: number; outcomes: { id: string }[] }, extra: Record<string, unknown> = {}) => ({
  id: plan.id, expectedVersion: plan.version, heldOn: '2027-01-18', progress: progressFor(plan.outcomes), decision: 'CONTINUE',
  summary: 'Progress is slow but the family is engaging', ...extra,
});
const endInput = (plan: { id: string; version: number }, extra: Record<string, unknown> = {}) => ({
  id: plan.id, expectedVersion: plan.version, endDate: '2027-01-19', reason: 'Outcomes met; no further need', ...extra,
});

describe('startPlan', () => {
  it('refuses an anonymous caller and writes nothing', async () => {
    const child = await childWithEpisode();
    expect(codeOf(await run(START, { input: startInput(child.id) }))).toBe('UNAUTHENTICATED');
    expect(await given.count('plan')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses roles without plan:write (chair, early help, front door, analyst, admin, provider), writing nothing', async () => {
    const child = await childWithEpisode();
    for (const who of [c.conferenceChair, c.earlyHelp, c.frontDoor, c.analyst, c.admin, c.providerPractitioner]) {
      expect(codeOf(await run(START, { input: startInput(child.id) }, who))).toBe('FORBIDDEN');
    }
    expect(await given.count('plan')).toBe(0);
    expect(await given.auditRows('access.denied')).toHaveLength(6);
    expect(await given.auditRows('plan.started')).toHaveLength(0);
  });

  it("answers NOT_FOUND for another team's child, as for a missing one, auditing the refusal and writing nothing", async () => {
    const child = await childWithEpisode(c.teamB.id);
    const other = await run(START, { input: startInput(child.id) }, c.socialWorker);
    const missing = await run(START, { input: startInput(randomUUID()) }, c.socialWorker);
    expect(codeOf(other)).toBe('NOT_FOUND');
    expect(codeOf(missing)).toBe('NOT_FOUND');
    expect(other.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(await planCounts()).toEqual({ plan: 0, outcomes: 0, actions: 0, reviews: 0, revisions: 0 });
    expect((await given.auditRows('child.changeDenied', child.id)).map((a) => a.result)).toEqual(['DENIED']);
    expect(await given.auditRows('plan.started')).toHaveLength(0);
  });

  it.each([
    ['no outcome', (i: any) => ({ ...i, content: { ...i.content, outcomes: [], actions: [] } }), ['content.outcomes']],
    ['no contingency', (i: any) => ({ ...i, content: { ...i.content, contingency: undefined } }), ['content.contingency']],
    ['a contingency of a few words', (i: any) => ({ ...i, content: { ...i.content, contingency: 'We will see' } }), ['content.contingency']],
    ['no summary for the family', (i: any) => ({ ...i, content: { ...i.content, familySummary: null } }), ['content.familySummary']],
    ['an outcome without a measure', (i: any) => ({
      ...i, content: { ...i.content, outcomes: [{ needToChange: 'The home is safe', byWhen: '2027-04-01' }], actions: [] },
    }), ['content.outcomes.0.measure']],
    ['an outcome without a date', (i: any) => ({
      ...i, content: { ...i.content, outcomes: [{ needToChange: 'The home is safe', measure: 'Visits find it safe' }], actions: [] },
    }), ['content.outcomes.0.byWhen']],
    ['an outcome due before the start', (i: any) => ({
      ...i, content: { ...i.content, outcomes: [{ ...i.content.outcomes[0], byWhen: '2027-01-03' }], actions: [] },
    }), ['content.outcomes.0.byWhen']],
    ['an action for an outcome that does not exist', (i: any) => ({
      ...i, content: { ...i.content, actions: [{ ...i.content.actions[0], outcomeIndex: 5 }] },
    }), ['content.actions.0.outcomeIndex']],
    ['a start date in the future', (i: any) => ({ ...i, startDate: '2027-01-21' }), ['startDate']],
    ['a start before the episode of need', (i: any) => ({ ...i, startDate: '2026-11-30' }), ['startDate']],
    ['a child protection plan (those start at a conference)', (i: any) => ({ ...i, type: 'CHILD_PROTECTION' }), ['type']],
  ])('refuses %s with BAD_USER_INPUT on the fields, writing nothing', async (_label, change, fields) => {
    const child = await childWithEpisode();
    const auditBefore = await given.count('audit_entry');
    const r = await run(START, { input: change(startInput(child.id)) }, c.socialWorker);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(fields);
    expect(await planCounts()).toEqual({ plan: 0, outcomes: 0, actions: 0, reviews: 0, revisions: 0 });
    expect(await given.count('audit_entry')).toBe(auditBefore);
  });

  it('starts a CIN plan with its outcomes and actions, first review in 3 months (plan_type_setting), version 1 kept, audited', async () => {
    const child = await childWithEpisode();
    const r = await run(START, { input: startInput(child.id) }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    const plan = r.data.startPlan;
    expect(plan).toMatchObject({
      childId: child.id, type: 'CHILD_IN_NEED', status: 'ACTIVE', startDate: '2027-01-04', endDate: null, nextReviewDue: '2027-04-04',
      contingency: content().contingency, familySummary: content().familySummary, initialCategory: null, version: 1,
      durationDays: 16, over2Years: false, previousCpPlans: null, repeatWithin2Years: null, reviewStatus: 'UPCOMING', reviews: [],
    });
    expect(plan.outcomes.map((o: any) => [o.position, o.measure, o.byWhen])).toEqual([
      [0, 'Unannounced visits find the home safe', '2027-04-01'], [1, 'Attendance above 95% each half term', '2027-06-01'],
    ]);
    expect(plan.actions.map((a: any) => [a.who, a.outcomeId, a.status])).toEqual([
      ['Mother', plan.outcomes[0].id, 'NOT_STARTED'], ['Social worker', null, 'NOT_STARTED'],
    ]);
    expect(await planCounts()).toEqual({ plan: 1, outcomes: 2, actions: 2, reviews: 0, revisions: 1 });
    const audit = await given.auditRows('plan.started', plan.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.socialWorker.id, child_id: child.id, result: 'ALLOWED' });
    expect(audit[0].fields).toEqual(expect.arrayContaining(['type', 'startDate', 'outcomes', 'actions', 'contingency', 'familySummary']));
    expect(JSON.stringify(audit[0].fields)).not.toContain('Unannounced');
    const [episode] = await api.db.query(`SELECT episode_id FROM plan WHERE id = $1`, [plan.id]);
    expect(episode.episode_id).not.toBeNull();
  });

  it('refuses PLAN_NEEDS_OPEN_EPISODE when the child has no open episode of need', async () => {
    const none = await given.child({ teamId: c.teamA.id });
    expect(codeOf(await run(START, { input: startInput(none.id) }, c.socialWorker))).toBe('PLAN_NEEDS_OPEN_EPISODE');
    const closed = await given.child({ teamId: c.teamA.id });
    await openEpisode(closed.id, '2026-10-01', true);
    expect(codeOf(await run(START, { input: startInput(closed.id) }, c.socialWorker))).toBe('PLAN_NEEDS_OPEN_EPISODE');
    expect(await given.count('plan')).toBe(0);
    expect(await given.auditRows('plan.started')).toHaveLength(0);
  });

  it('refuses PLAN_OVERLAPS_CP while the child has an active CP plan, or a CP plan that ran past the start date', async () => {
    const child = await childWithEpisode();
    await planRow(child.id, { start: '2026-12-10' });
    expect(codeOf(await run(START, { input: startInput(child.id) }, c.socialWorker))).toBe('PLAN_OVERLAPS_CP');
    const ended = await childWithEpisode();
    await planRow(ended.id, { start: '2026-12-10', end: '2027-01-10' });
    expect(codeOf(await run(START, { input: startInput(ended.id) }, c.socialWorker))).toBe('PLAN_OVERLAPS_CP');
    expect(await given.count('plan')).toBe(2);
    expect(await given.auditRows('plan.started')).toHaveLength(0);
    // A CP plan that ended before the CIN plan starts is no overlap (a step down).
    const stepDown = await childWithEpisode();
    await planRow(stepDown.id, { start: '2026-12-02', end: '2027-01-04' });
    expect((await run(START, { input: startInput(stepDown.id) }, c.socialWorker)).errors).toBeUndefined();
  });

  it('refuses PLAN_ALREADY_ACTIVE for a second active CIN plan', async () => {
    const child = await childWithEpisode();
    await startedPlan(child.id);
    const r = await run(START, { input: startInput(child.id, { startDate: '2027-01-10' }) }, c.teamManager);
    expect(codeOf(r)).toBe('PLAN_ALREADY_ACTIVE');
    expect(await given.count('plan')).toBe(1);
    expect(await given.auditRows('plan.started')).toHaveLength(1);
  });

  it('lets a service manager start a plan on any child (service scope)', async () => {
    const child = await childWithEpisode(c.teamB.id);
    const r = await run(START, { input: startInput(child.id) }, c.serviceManager);
    expect(r.errors).toBeUndefined();
    expect((await given.auditRows('plan.started', r.data.startPlan.id))[0].actor_id).toBe(c.serviceManager.id);
  });
});

describe('updatePlan', () => {
  const newContent = () => ({
    ...content(),
    outcomes: [{ needToChange: 'Amara is safe at home', measure: 'No new injuries seen by school', byWhen: '2027-05-01' }],
    actions: [{ outcomeIndex: 0, who: 'Father', what: 'Attend the domestic abuse programme', byWhen: '2027-04-01' }],
    contingency: 'If injuries are seen again a strategy discussion is held the same day.',
  });

  it('refuses an anonymous caller and writes nothing', async () => {
    const plan = await startedPlan((await childWithEpisode()).id);
    const before = await planCounts();
    expect(codeOf(await run(UPDATE, { input: { id: plan.id, expectedVersion: 1, content: newContent() } }))).toBe('UNAUTHENTICATED');
    expect(await planCounts()).toEqual(before);
    expect((await planRowOf(plan.id)).version).toBe(1);
  });

  it('refuses a role without plan:write, and answers NOT_FOUND for a plan of another team, writing nothing', async () => {
    const plan = await startedPlan((await childWithEpisode()).id);
    const before = await planCounts();
    expect(codeOf(await run(UPDATE, { input: { id: plan.id, expectedVersion: 1, content: newContent() } }, c.earlyHelp))).toBe('FORBIDDEN');
    const other = await run(UPDATE, { input: { id: plan.id, expectedVersion: 1, content: newContent() } }, c.otherSocialWorker);
    const missing = await run(UPDATE, { input: { id: randomUUID(), expectedVersion: 1, content: newContent() } }, c.otherSocialWorker);
    expect(codeOf(other)).toBe('NOT_FOUND');
    expect(other.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(await planCounts()).toEqual(before);
    expect((await planRowOf(plan.id)).version).toBe(1);
    expect((await given.auditRows('plan.changeDenied', plan.id)).map((a) => a.result)).toEqual(['DENIED']);
    expect(await given.auditRows('plan.updated')).toHaveLength(0);
  });

  it('refuses content without outcomes or contingency, with the fields, writing nothing', async () => {
    const plan = await startedPlan((await childWithEpisode()).id);
    const before = await planCounts();
    const r = await run(
      UPDATE, { input: { id: plan.id, expectedVersion: 1, content: { ...newContent(), outcomes: [], actions: [], contingency: '' } } }, c.socialWorker,
    );
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(['content.contingency', 'content.outcomes']);
    const early = await run(UPDATE, {
      input: { id: plan.id, expectedVersion: 1, content: { ...newContent(), actions: [{ ...newContent().actions[0], byWhen: '2027-01-01' }] } },
    }, c.socialWorker);
    expect(fieldsOf(early)).toEqual(['content.actions.0.byWhen']);
    expect(await planCounts()).toEqual(before);
    expect((await planRowOf(plan.id)).version).toBe(1);
    expect(await given.auditRows('plan.updated')).toHaveLength(0);
  });

  it('replaces the outcomes and actions, keeps the old version in plan_revision and the old rows not current, audited', async () => {
    const child = await childWithEpisode();
    const plan = await startedPlan(child.id);
    const r = await run(UPDATE, { input: { id: plan.id, expectedVersion: 1, content: newContent() } }, c.teamManager);
    expect(r.errors).toBeUndefined();
    expect(r.data.updatePlan).toMatchObject({ version: 2, contingency: newContent().contingency });
    expect(r.data.updatePlan.outcomes.map((o: any) => o.needToChange)).toEqual(['Amara is safe at home']);
    expect(r.data.updatePlan.actions.map((a: any) => [a.who, a.outcomeId])).toEqual([['Father', r.data.updatePlan.outcomes[0].id]]);
    const revisions = await api.db.query(`SELECT version, content, changed_by_id FROM plan_revision WHERE plan_id = $1 ORDER BY version`, [plan.id]);
    expect(revisions.map((x: any) => [x.version, x.changed_by_id])).toEqual([[1, c.socialWorker.id], [2, c.teamManager.id]]);
    expect(revisions[0].content.contingency).toBe(content().contingency);
    expect(revisions[0].content.outcomes.map((o: any) => o.measure)).toEqual(content().outcomes.map((o) => o.measure));
    expect(revisions[1].content.outcomes.map((o: any) => o.measure)).toEqual(['No new injuries seen by school']);
    const outcomes = await api.db.query(`SELECT measure, current FROM plan_outcome WHERE plan_id = $1 ORDER BY created_at, position`, [plan.id]);
    expect(outcomes.map((o: any) => o.current)).toEqual([false, false, true]);
    const actions = await api.db.query(`SELECT current FROM plan_action WHERE plan_id = $1`, [plan.id]);
    expect(actions.filter((a: any) => a.current)).toHaveLength(1);
    expect(actions).toHaveLength(3);
    const audit = await given.auditRows('plan.updated', plan.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.teamManager.id, child_id: child.id });
    expect([...audit[0].fields].sort()).toEqual(['actions', 'contingency', 'familySummary', 'outcomes']);
  });

  it('answers STALE_VERSION to an update based on an old version, writing nothing', async () => {
    const plan = await startedPlan((await childWithEpisode()).id);
    expect((await run(UPDATE, { input: { id: plan.id, expectedVersion: 1, content: newContent() } }, c.socialWorker)).errors).toBeUndefined();
    const before = await planCounts();
    const stale = await run(UPDATE, { input: { id: plan.id, expectedVersion: 1, content: content() } }, c.teamManager);
    expect(codeOf(stale)).toBe('STALE_VERSION');
    expect(await planCounts()).toEqual(before);
    expect((await planRowOf(plan.id)).contingency).toBe(newContent().contingency);
    expect(await given.auditRows('plan.updated')).toHaveLength(1);
  });

  it('refuses PLAN_NOT_ACTIVE once the plan has ended', async () => {
    const plan = await startedPlan((await childWithEpisode()).id);
    expect((await run(END, { input: endInput(plan) }, c.socialWorker)).errors).toBeUndefined();
    const r = await run(UPDATE, { input: { id: plan.id, expectedVersion: 2, content: newContent() } }, c.socialWorker);
    expect(codeOf(r)).toBe('PLAN_NOT_ACTIVE');
    expect(await given.count('plan_revision')).toBe(1);
  });
});

describe('reviewPlan', () => {
  it('refuses an anonymous caller and writes nothing', async () => {
    const plan = await startedPlan((await childWithEpisode()).id);
    expect(codeOf(await run(REVIEW, { input: reviewInput(plan) }))).toBe('UNAUTHENTICATED');
    expect(await given.count('plan_review')).toBe(0);
    expect(await given.auditRows('plan.reviewed')).toHaveLength(0);
  });

  it('refuses a role without plan:write and answers NOT_FOUND for a plan of another team, writing nothing', async () => {
    const plan = await startedPlan((await childWithEpisode()).id);
    expect(codeOf(await run(REVIEW, { input: reviewInput(plan) }, c.conferenceChair))).toBe('FORBIDDEN');
    expect(codeOf(await run(REVIEW, { input: reviewInput(plan) }, c.otherSocialWorker))).toBe('NOT_FOUND');
    expect(await given.count('plan_review')).toBe(0);
    expect((await planRowOf(plan.id)).version).toBe(1);
    expect(await given.auditRows('plan.changeDenied', plan.id)).toHaveLength(1);
    expect(await given.auditRows('plan.reviewed')).toHaveLength(0);
  });

  it.each([
    ['held in the future', { heldOn: '2027-01-21' }, ['heldOn']],
    ['held before the plan started', { heldOn: '2027-01-03' }, ['heldOn']],
    ['a summary of two words', { summary: 'All good' }, ['summary']],
  ])('refuses a review %s with BAD_USER_INPUT, writing nothing', async (_label, extra, fields) => {
    const plan = await startedPlan((await childWithEpisode()).id);
    const auditBefore = await given.count('audit_entry');
    const r = await run(REVIEW, { input: reviewInput(plan, extra) }, c.socialWorker);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(fields);
    expect(await given.count('plan_review')).toBe(0);
    expect(await given.count('audit_entry')).toBe(auditBefore);
  });

  it('refuses progress on an outcome that is not one of the plan’s current outcomes, with the field', async () => {
    const plan = await startedPlan((await childWithEpisode()).id);
    const progress = [...progressFor(plan.outcomes.slice(0, 1)), { outcomeId: randomUUID(), rating: 'ACHIEVED', comment: 'Done and dusted' }];
    const r = await run(REVIEW, { input: reviewInput(plan, { progress }) }, c.socialWorker);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(['progress.1.outcomeId']);
    expect(await given.count('plan_review')).toBe(0);
  });

  it('refuses PLAN_REVIEW_PROGRESS_INCOMPLETE when an outcome is missing or rated twice, writing nothing', async () => {
    const plan = await startedPlan((await childWithEpisode()).id);
    const missing = await run(REVIEW, { input: reviewInput(plan, { progress: progressFor(plan.outcomes.slice(0, 1)) }) }, c.socialWorker);
    expect(codeOf(missing)).toBe('PLAN_REVIEW_PROGRESS_INCOMPLETE');
    const twice = progressFor([plan.outcomes[0], plan.outcomes[0]]);
    expect(codeOf(await run(REVIEW, { input: reviewInput(plan, { progress: twice }) }, c.socialWorker))).toBe('PLAN_REVIEW_PROGRESS_INCOMPLETE');
    expect(await given.count('plan_review')).toBe(0);
    expect((await planRowOf(plan.id)).version).toBe(1);
    expect(await given.auditRows('plan.reviewed')).toHaveLength(0);
  });

  it('records a review on time, due by the plan’s review date, and sets the next review 3 months on; audited', async () => {
    const child = await childWithEpisode();
    const plan = await startedPlan(child.id);
    const r = await run(REVIEW, { input: reviewInput(plan) }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.reviewPlan).toMatchObject({ status: 'ACTIVE', version: 2, nextReviewDue: '2027-04-18' });
    expect(r.data.reviewPlan.reviews).toHaveLength(1);
    expect(r.data.reviewPlan.reviews[0]).toMatchObject({
      heldOn: '2027-01-18', decision: 'CONTINUE', dueBy: '2027-04-04', onTime: true, reviewerId: c.socialWorker.id,
      reviewer: { id: c.socialWorker.id },
    });
    expect(r.data.reviewPlan.reviews[0].progress.map((p: any) => p.outcomeId)).toEqual(plan.outcomes.map((o) => o.id));
    const audit = await given.auditRows('plan.reviewed', plan.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.socialWorker.id, child_id: child.id });
    expect(audit[0].fields).toEqual(expect.arrayContaining(['heldOn', 'progress', 'decision', 'summary', 'nextReviewDue']));
    // A second review: newest first, and late when held after the date it was due.
    clock.set('2027-05-03T12:00:00Z');
    const again = await run(REVIEW, { input: reviewInput(r.data.reviewPlan, { heldOn: '2027-04-30' }) }, c.socialWorker);
    expect(again.errors).toBeUndefined();
    expect(again.data.reviewPlan.reviews.map((x: any) => [x.heldOn, x.dueBy, x.onTime])).toEqual([
      ['2027-04-30', '2027-04-18', false], ['2027-01-18', '2027-04-04', true],
    ]);
  });

  it('ends the plan when the review decides END', async () => {
    const plan = await startedPlan((await childWithEpisode()).id);
    const r = await run(REVIEW, { input: reviewInput(plan, { decision: 'END', summary: 'All outcomes achieved, close the plan' }) }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.reviewPlan).toMatchObject({ status: 'ENDED', endDate: '2027-01-18', reviewStatus: null, durationDays: 14 });
    expect((await planRowOf(plan.id)).status).toBe('ENDED');
  });

  it('answers STALE_VERSION to a review based on an old version, writing nothing', async () => {
    const plan = await startedPlan((await childWithEpisode()).id);
    expect((await run(REVIEW, { input: reviewInput(plan) }, c.socialWorker)).errors).toBeUndefined();
    const stale = await run(REVIEW, { input: reviewInput(plan, { heldOn: '2027-01-19' }) }, c.teamManager);
    expect(codeOf(stale)).toBe('STALE_VERSION');
    expect(await given.count('plan_review')).toBe(1);
    expect(await given.auditRows('plan.reviewed')).toHaveLength(1);
  });

  it('refuses PLAN_REVIEWED_AT_CONFERENCE for a CP plan', async () => {
    const child = await childWithEpisode();
    const id = await planRow(child.id, { start: '2027-01-05' });
    const r = await run(REVIEW, { input: { ...reviewInput({ id, version: 1, outcomes: [] }) } }, c.socialWorker);
    expect(codeOf(r)).toBe('PLAN_REVIEWED_AT_CONFERENCE');
    expect(await given.count('plan_review')).toBe(0);
  });
});

describe('endPlan', () => {
  it('refuses an anonymous caller and writes nothing', async () => {
    const plan = await startedPlan((await childWithEpisode()).id);
    expect(codeOf(await run(END, { input: endInput(plan) }))).toBe('UNAUTHENTICATED');
    expect((await planRowOf(plan.id)).status).toBe('ACTIVE');
    expect(await given.auditRows('plan.ended')).toHaveLength(0);
  });

  it('refuses a role without plan:write and answers NOT_FOUND for a plan of another team, writing nothing', async () => {
    const plan = await startedPlan((await childWithEpisode()).id);
    expect(codeOf(await run(END, { input: endInput(plan) }, c.analyst))).toBe('FORBIDDEN');
    expect(codeOf(await run(END, { input: endInput(plan) }, c.otherSocialWorker))).toBe('NOT_FOUND');
    expect(await planRowOf(plan.id)).toMatchObject({ status: 'ACTIVE', version: 1 });
    expect(await given.auditRows('plan.ended')).toHaveLength(0);
  });

  it.each([
    ['in the future', { endDate: '2027-01-21' }, ['endDate']],
    ['before the start', { endDate: '2027-01-03' }, ['endDate']],
    ['without a real reason', { reason: 'done' }, ['reason']],
  ])('refuses an end date %s with BAD_USER_INPUT, writing nothing', async (_label, extra, fields) => {
    const plan = await startedPlan((await childWithEpisode()).id);
    const auditBefore = await given.count('audit_entry');
    const r = await run(END, { input: endInput(plan, extra) }, c.socialWorker);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(fields);
    expect(await planRowOf(plan.id)).toMatchObject({ status: 'ACTIVE', version: 1 });
    expect(await given.count('audit_entry')).toBe(auditBefore);
  });

  it('ends a CIN plan with the date and reason, audited', async () => {
    const child = await childWithEpisode();
    const plan = await startedPlan(child.id);
    const r = await run(END, { input: endInput(plan) }, c.teamManager);
    expect(r.errors).toBeUndefined();
    expect(r.data.endPlan).toMatchObject({ status: 'ENDED', endDate: '2027-01-19', endReason: 'Outcomes met; no further need', version: 2 });
    const audit = await given.auditRows('plan.ended', plan.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.teamManager.id, child_id: child.id });
    expect([...audit[0].fields].sort()).toEqual(['endDate', 'endReason', 'status']);
    expect(codeOf(await run(END, { input: endInput(r.data.endPlan) }, c.teamManager))).toBe('PLAN_NOT_ACTIVE');
  });

  it('answers STALE_VERSION to an end based on an old version, writing nothing', async () => {
    const plan = await startedPlan((await childWithEpisode()).id);
    expect((await run(REVIEW, { input: reviewInput(plan) }, c.socialWorker)).errors).toBeUndefined();
    expect(codeOf(await run(END, { input: endInput(plan) }, c.socialWorker))).toBe('STALE_VERSION');
    expect(await planRowOf(plan.id)).toMatchObject({ status: 'ACTIVE', version: 2 });
    expect(await given.auditRows('plan.ended')).toHaveLength(0);
  });

  it('refuses PLAN_ENDS_AT_CONFERENCE for a CP plan', async () => {
    const child = await childWithEpisode();
    const id = await planRow(child.id, { start: '2027-01-05' });
    expect(codeOf(await run(END, { input: endInput({ id, version: 1 }) }, c.socialWorker))).toBe('PLAN_ENDS_AT_CONFERENCE');
    expect(await planRowOf(id)).toMatchObject({ status: 'ACTIVE', version: 1 });
  });
});

describe('reading plans', () => {
  it('opens a plan by id, auditing the view; another team gets NOT_FOUND (audited) and roles without child:read FORBIDDEN', async () => {
    const plan = await startedPlan((await childWithEpisode()).id);
    const r = await run(PLAN, { id: plan.id }, c.teamManager);
    expect(r.errors).toBeUndefined();
    expect(r.data.plan.id).toBe(plan.id);
    expect((await given.auditRows('plan.viewed', plan.id)).map((a) => [a.actor_id, a.result])).toEqual([[c.teamManager.id, 'ALLOWED']]);
    expect(codeOf(await run(PLAN, { id: plan.id }, c.otherSocialWorker))).toBe('NOT_FOUND');
    expect((await given.auditRows('plan.viewed', plan.id)).map((a) => a.result)).toEqual(['ALLOWED', 'DENIED']);
    for (const who of [c.analyst, c.admin, c.providerManager]) {
      expect(codeOf(await run(PLAN, { id: plan.id }, who))).toBe('FORBIDDEN');
    }
  });

  it("lists a child's plans newest first on Child.plans", async () => {
    const child = await childWithEpisode();
    const old = await planRow(child.id, { start: '2026-12-02', end: '2027-01-02' });
    const plan = await startedPlan(child.id);
    const r = await run(CHILD_PLANS, { id: child.id }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.child.plans.map((p: any) => [p.id, p.type, p.status])).toEqual([
      [plan.id, 'CHILD_IN_NEED', 'ACTIVE'], [old, 'CHILD_PROTECTION', 'ENDED'],
    ]);
  });

  it('flags a repeat CP plan (a previous CP plan ended within 2 years) and a plan running more than 2 years', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    await planRow(child.id, { start: '2022-01-10', end: '2024-06-01' });
    await planRow(child.id, { start: '2024-07-01', end: '2025-01-15' });
    const current = await planRow(child.id, { start: '2026-12-01' });
    const r = await run(PLAN, { id: current }, c.socialWorker);
    expect(r.data.plan).toMatchObject({ previousCpPlans: 2, repeatWithin2Years: true, over2Years: false, durationDays: 50 });
    const second = await run(PLAN, { id: (await api.db.query(`SELECT id FROM plan WHERE start_date = '2024-07-01'`))[0].id }, c.socialWorker);
    expect(second.data.plan).toMatchObject({ previousCpPlans: 1, repeatWithin2Years: true });
    const first = await run(PLAN, { id: (await api.db.query(`SELECT id FROM plan WHERE start_date = '2022-01-10'`))[0].id }, c.socialWorker);
    expect(first.data.plan).toMatchObject({ previousCpPlans: 0, repeatWithin2Years: false, over2Years: true, reviewStatus: null });
  });

  it('does not flag a repeat when the previous CP plan ended more than 2 years before', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    await planRow(child.id, { start: '2023-01-10', end: '2024-11-30' });
    const current = await planRow(child.id, { start: '2026-12-01' });
    const r = await run(PLAN, { id: current }, c.socialWorker);
    expect(r.data.plan).toMatchObject({ previousCpPlans: 1, repeatWithin2Years: false });
  });

  it('shows the review as OVERDUE, DUE_TODAY, DUE_SOON or UPCOMING by the service clock', async () => {
    const plan = await startedPlan((await childWithEpisode()).id);
    const status = async (at: string) => {
      clock.set(at);
      return (await run(PLAN, { id: plan.id }, c.socialWorker)).data.plan.reviewStatus;
    };
    expect(await status('2027-03-01T12:00:00Z')).toBe('UPCOMING');
    expect(await status('2027-03-29T12:00:00Z')).toBe('DUE_SOON');
    expect(await status('2027-04-04T12:00:00Z')).toBe('DUE_TODAY');
    expect(await status('2027-04-05T12:00:00Z')).toBe('OVERDUE');
  });
});

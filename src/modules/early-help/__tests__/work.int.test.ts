import { randomUUID } from 'node:crypto';
import { codeOf, GqlResult, useFixedClock } from '../../../../test/api';
import { useEarlyHelpSuite } from '../../../../test/early-help-factories';
import type { TestAccount } from '../../../../test/factories';

const ASSESSMENT_FIELDS = `id episodeId reason needs { need description } strengths livedExperience childVoice analysis startedOn completedOn
  completedByProviderId version createdAt`;
const SUBMIT = `mutation($input: SubmitEarlyHelpAssessmentInput!) { submitEarlyHelpAssessment(input: $input) {
  replayed assessment { ${ASSESSMENT_FIELDS} } } }`;
const MEETING = `mutation($input: RecordTeamAroundFamilyMeetingInput!) { recordTeamAroundFamilyMeeting(input: $input) {
  replayed meeting { id episodeId heldOn attendees { name agency role } familyPresent decisions nextMeetingOn createdAt } } }`;
const PLAN_FIELDS = `id childId type status startDate endDate nextReviewDue version outcomes { id } reviews { id heldOn decision }`;
const START_PLAN = `mutation($input: StartFamilyPlanInput!) { startFamilyPlan(input: $input) { replayed plan { ${PLAN_FIELDS} } } }`;
const REVIEW_PLAN = `mutation($input: ReviewFamilyPlanInput!) { reviewFamilyPlan(input: $input) { replayed plan { ${PLAN_FIELDS} } } }`;
const CLOSE = `mutation($input: CloseEarlyHelpEpisodeInput!) { closeEarlyHelpEpisode(input: $input) {
  replayed episode { id status closedOn outcome closureSummary closureProgress { need rating comment } version } } }`;
const EPISODE = `query($id: ID!) { earlyHelpEpisode(id: $id) { id status assessmentDueOn nextMeetingDueOn
  assessments { id reason startedOn completedOn } meetings { id heldOn }
  familyPlan { id type status outcomes { id needToChange } } } }`;

const suite = useEarlyHelpSuite();
/** The service clock, fixed: "today" is Wednesday 2027-01-20. Episodes are requested (and work starts) on Monday 2027-01-04. */
const clock = useFixedClock(suite, '2027-01-20T12:00:00Z');
const run = clock.run;
const REQUESTED_ON = '2027-01-04';

const fieldsOf = (r: GqlResult) => [...new Set((r.errors?.[0].extensions?.fields ?? []).map((f) => f.field))].sort();
const key = () => randomUUID();

type EpisodeStatus = 'REQUESTED' | 'OFFERED' | 'IN_WORK' | 'CLOSED';

/** An early help episode of a new child (needs EDUCATION, HEALTH, FINANCIAL_STABILITY), by default in work with Provider One. */
async function episode(opts: { status?: EpisodeStatus; provider?: 'one' | 'two' } = {}) {
  const s = suite;
  const child = await s.given.child();
  const two = opts.provider === 'two';
  const e = await s.eh.episode({
    childIds: [child.id],
    status: opts.status ?? 'IN_WORK',
    providerId: two ? s.p.providerTwo.id : s.c.provider.id,
    contractId: two ? s.p.contractTwo.id : s.p.contractOne.id,
    leadId: two ? s.p.twoPractitioner.id : s.c.providerPractitioner.id,
    requestedOn: REQUESTED_ON,
  });
  return { ...e, childId: child.id };
}

const assessmentInput = (episodeId: string, extra: Record<string, unknown> = {}) => ({
  episodeId,
  idempotencyKey: key(),
  reason: 'School attendance has fallen below 80% and mother reports low mood',
  needs: [
    { need: 'EDUCATION', description: 'Attendance 78% this term' },
    { need: 'HEALTH', description: 'Mother waiting for a mental health referral' },
  ],
  strengths: 'Warm relationship between mother and child; grandmother nearby',
  livedExperience: 'Mornings are chaotic; she often misses breakfast and arrives late',
  childVoice: '"I like school when I get there on time."',
  analysis: 'Low mood affects routines; support for mother should lift attendance',
  startedOn: '2027-01-06',
  completedOn: '2027-01-15',
  ...extra,
});

const meetingInput = (episodeId: string, extra: Record<string, unknown> = {}) => ({
  episodeId,
  idempotencyKey: key(),
  heldOn: '2027-01-12',
  attendees: [
    { name: 'Ms Head', agency: 'Oakfield Primary', role: 'DSL' },
    { name: 'Sam Worker', agency: 'Provider One' },
  ],
  familyPresent: true,
  decisions: 'School to offer breakfast club; mother to see GP',
  nextMeetingOn: '2027-02-09',
  ...extra,
});

const planContent = () => ({
  outcomes: [
    { needToChange: 'Attendance rises above 95%', measure: 'School attendance report each half term', byWhen: '2027-04-01' },
    { needToChange: 'Mother gets support for her mood', measure: 'GP appointment and referral made', byWhen: '2027-03-01' },
  ],
  actions: [{ outcomeIndex: 0, who: 'School', what: 'Offer a breakfast club place', byWhen: '2027-02-01' }],
  contingency: 'If attendance does not improve by April the TAF will consider an education welfare referral.',
  familySummary: 'We will help mornings go better so that school is easier, and help mum get support.',
});
const planInput = (episodeId: string, extra: Record<string, unknown> = {}) => ({
  episodeId, idempotencyKey: key(), startDate: '2027-01-12', content: planContent(), ...extra,
});

const progress = (needs = ['EDUCATION', 'HEALTH', 'FINANCIAL_STABILITY']) =>
  needs.map((need) => ({ need, rating: 'IMPROVED', comment: 'Better than at the start' }));
const closeInput = (e: { id: string; version: number }, extra: Record<string, unknown> = {}) => ({
  episodeId: e.id, expectedVersion: e.version, idempotencyKey: key(), closedOn: '2027-01-19', outcome: 'NEEDS_MET',
  summary: 'Attendance is back above 95% and mother has support in place', progress: progress(), ...extra,
});

async function startedPlan(episodeId: string, as: TestAccount) {
  const r = await run(START_PLAN, { input: planInput(episodeId) }, as);
  expect(r.errors).toBeUndefined();
  return r.data.startFamilyPlan.plan as { id: string; version: number; outcomes: { id: string }[] };
}
const reviewInput = (plan: { id: string; version: number; outcomes: { id: string }[] }, extra: Record<string, unknown> = {}) => ({
  planId: plan.id, expectedVersion: plan.version, idempotencyKey: key(), heldOn: '2027-01-19',
  progress: plan.outcomes.map((o) => ({ outcomeId: o.id, rating: 'SOME_PROGRESS', comment: 'Two late days this week' })),
  decision: 'CONTINUE', summary: 'Breakfast club is helping; keep going', ...extra,
});

async function counts() {
  const g = suite.given;
  return {
    assessments: await g.count('early_help_assessment'),
    meetings: await g.count('team_around_family_meeting'),
    plans: await g.count('plan'),
    reviews: await g.count('plan_review'),
    keys: await g.count('idempotency_key'),
  };
}
const NOTHING = { assessments: 0, meetings: 0, plans: 0, reviews: 0, keys: 0 };

async function episodeRow(id: string) {
  const [row] = await suite.api.db.query(`SELECT status, version, closed_on, outcome FROM early_help_episode WHERE id = $1`, [id]);
  return row;
}

describe('submitEarlyHelpAssessment', () => {
  it('refuses roles without earlyhelp:record (social worker, chair, admin, analyst) and anonymous callers, writing nothing', async () => {
    const { c, given } = suite;
    const e = await episode();
    expect(codeOf(await run(SUBMIT, { input: assessmentInput(e.id) }))).toBe('UNAUTHENTICATED');
    for (const who of [c.socialWorker, c.conferenceChair, c.admin, c.analyst]) {
      expect(codeOf(await run(SUBMIT, { input: assessmentInput(e.id) }, who))).toBe('FORBIDDEN');
    }
    expect(await counts()).toEqual(NOTHING);
    expect(await given.auditRows('access.denied')).toHaveLength(4);
  });

  it('answers NOT_FOUND to another provider, exactly as for a missing episode, auditing the refusal and writing nothing', async () => {
    const e = await episode();
    const other = await run(SUBMIT, { input: assessmentInput(e.id) }, suite.p.twoPractitioner);
    const missing = await run(SUBMIT, { input: assessmentInput(randomUUID()) }, suite.p.twoPractitioner);
    expect(codeOf(other)).toBe('NOT_FOUND');
    expect(other.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(await counts()).toEqual(NOTHING);
    expect((await suite.given.auditRows('earlyHelpEpisode.changed', e.id)).map((a) => a.result)).toEqual(['DENIED']);
  });

  it("refuses FORBIDDEN a provider whose agreement does not allow the submission", async () => {
    const e = await episode({ provider: 'two' });
    await suite.api.db.query(
      `UPDATE data_sharing_agreement SET submissions = array_remove(submissions, 'submitEarlyHelpAssessment') WHERE provider_id = $1`,
      [suite.p.providerTwo.id],
    );
    expect(codeOf(await run(SUBMIT, { input: assessmentInput(e.id) }, suite.p.twoPractitioner))).toBe('FORBIDDEN');
    // the other submissions of its agreement still work
    expect((await run(MEETING, { input: meetingInput(e.id) }, suite.p.twoPractitioner)).errors).toBeUndefined();
    expect(await suite.given.count('early_help_assessment')).toBe(0);
  });

  it.each([
    ['no reason', (i: any) => ({ ...i, reason: undefined }), ['reason']],
    ['a blank reason', (i: any) => ({ ...i, reason: '     ' }), ['reason']],
    ['an empty reason', (i: any) => ({ ...i, reason: '' }), ['reason']],
    ['no needs', (i: any) => ({ ...i, needs: [] }), ['needs']],
    ['a need named twice', (i: any) => ({ ...i, needs: [i.needs[0], { ...i.needs[0], description: 'Again' }] }), ['needs.1.need']],
    ['a blank strength', (i: any) => ({ ...i, strengths: '  ' }), ['strengths']],
    ['a start in the future', (i: any) => ({ ...i, startedOn: '2027-01-21', completedOn: null }), ['startedOn']],
    ['a completion before the start', (i: any) => ({ ...i, completedOn: '2027-01-05' }), ['completedOn']],
    ['a completion in the future', (i: any) => ({ ...i, completedOn: '2027-01-21' }), ['completedOn']],
    ['a start before the request for support', (i: any) => ({ ...i, startedOn: '2027-01-03' }), ['startedOn']],
    ['a malformed idempotency key', (i: any) => ({ ...i, idempotencyKey: 'x' }), ['idempotencyKey']],
    ['a change without expectedVersion', (i: any) => ({ ...i, assessmentId: randomUUID() }), ['expectedVersion']],
  ])('refuses %s with BAD_USER_INPUT on the fields, writing nothing', async (_label, change, fields) => {
    const e = await episode();
    const auditBefore = await suite.given.count('audit_entry');
    const r = await run(SUBMIT, { input: change(assessmentInput(e.id)) }, suite.c.providerPractitioner);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(fields);
    expect(await counts()).toEqual(NOTHING);
    expect(await suite.given.count('audit_entry')).toBe(auditBefore);
  });

  it('refuses EARLY_HELP_WRONG_STAGE before the work starts (a provider only offered the family; the council while requested)', async () => {
    const offered = await episode({ status: 'OFFERED' });
    const requested = await episode({ status: 'REQUESTED' });
    expect(codeOf(await run(SUBMIT, { input: assessmentInput(offered.id) }, suite.c.providerPractitioner))).toBe('EARLY_HELP_WRONG_STAGE');
    expect(codeOf(await run(SUBMIT, { input: assessmentInput(requested.id) }, suite.c.earlyHelp))).toBe('EARLY_HELP_WRONG_STAGE');
    expect(await counts()).toEqual(NOTHING);
  });

  it("records the provider's assessment (completed by the provider) with its audit row; the council's is completed by the council", async () => {
    const { c, given } = suite;
    const e = await episode();
    const r = await run(SUBMIT, { input: assessmentInput(e.id) }, c.providerPractitioner);
    expect(r.errors).toBeUndefined();
    const a = r.data.submitEarlyHelpAssessment;
    expect(a.replayed).toBe(false);
    expect(a.assessment).toMatchObject({
      episodeId: e.id, reason: assessmentInput(e.id).reason, startedOn: '2027-01-06', completedOn: '2027-01-15',
      completedByProviderId: c.provider.id, version: 1,
      needs: [{ need: 'EDUCATION', description: 'Attendance 78% this term' }, { need: 'HEALTH', description: 'Mother waiting for a mental health referral' }],
    });
    const audit = await given.auditRows('earlyHelpAssessment.submitted', a.assessment.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.providerPractitioner.id, child_id: e.childId, result: 'ALLOWED' });
    expect(audit[0].fields).toEqual(expect.arrayContaining(['reason', 'needs', 'childVoice', 'analysis']));
    expect(JSON.stringify(audit[0].fields)).not.toContain('Attendance');

    const council = await run(SUBMIT, { input: assessmentInput(e.id, { completedOn: null }) }, c.earlyHelp);
    expect(council.errors).toBeUndefined();
    expect(council.data.submitEarlyHelpAssessment.assessment.completedByProviderId).toBeNull();
    const shown = await run(EPISODE, { id: e.id }, c.earlyHelp);
    expect(shown.data.earlyHelpEpisode.assessments.map((x: any) => x.id)).toEqual([
      council.data.submitEarlyHelpAssessment.assessment.id, a.assessment.id,
    ]);
  });

  it("adds the needs the assessment identifies to the episode's, so closure reports progress against them", async () => {
    const e = await episode();
    const input = assessmentInput(e.id, { needs: [{ need: 'DOMESTIC_ABUSE', description: 'Police call-out in December' }] });
    const r = await run(SUBMIT, { input }, suite.c.providerPractitioner);
    expect(r.errors).toBeUndefined();
    const [row] = await suite.api.db.query(`SELECT needs, version FROM early_help_episode WHERE id = $1`, [e.id]);
    expect(row.needs).toEqual(['EDUCATION', 'HEALTH', 'FINANCIAL_STABILITY', 'DOMESTIC_ABUSE']);
    expect(await suite.given.auditRows('earlyHelp.needsUpdated', e.id)).toHaveLength(1);
    // Submitting again with needs already recorded changes nothing on the episode.
    await run(SUBMIT, { input: { ...input, idempotencyKey: key() } }, suite.c.providerPractitioner);
    const [again] = await suite.api.db.query(`SELECT version FROM early_help_episode WHERE id = $1`, [e.id]);
    expect(again.version).toBe(row.version);
  });

  it('changes an assessment at the expected version, and refuses a stale one with STALE_VERSION, changing nothing', async () => {
    const e = await episode();
    const first = (await run(SUBMIT, { input: assessmentInput(e.id, { completedOn: null }) }, suite.c.providerPractitioner)).data
      .submitEarlyHelpAssessment.assessment;
    const change = (version: number) =>
      assessmentInput(e.id, { assessmentId: first.id, expectedVersion: version, analysis: 'Updated analysis after the home visit' });
    const updated = await run(SUBMIT, { input: change(1) }, suite.c.providerPractitioner);
    expect(updated.errors).toBeUndefined();
    expect(updated.data.submitEarlyHelpAssessment.assessment).toMatchObject({
      id: first.id, version: 2, analysis: 'Updated analysis after the home visit', completedOn: '2027-01-15',
    });
    const stale = await run(SUBMIT, { input: change(1) }, suite.c.providerManager);
    expect(codeOf(stale)).toBe('STALE_VERSION');
    const [row] = await suite.api.db.query(`SELECT version, completed_by_provider_id FROM early_help_assessment WHERE id = $1`, [first.id]);
    expect(row).toEqual({ version: 2, completed_by_provider_id: suite.c.provider.id });
    expect(await suite.given.count('early_help_assessment')).toBe(1);
    expect(await suite.given.auditRows('earlyHelpAssessment.submitted', first.id)).toHaveLength(2);
    // an assessment of another episode is not found through this one
    const other = await episode();
    const wrong = await run(SUBMIT, { input: assessmentInput(other.id, { assessmentId: first.id, expectedVersion: 2 }) }, suite.c.earlyHelp);
    expect(codeOf(wrong)).toBe('NOT_FOUND');
  });

  it('lets only the organisation that wrote an assessment change it (NOT_FOUND otherwise, audited), never changing who completed it', async () => {
    const { c, given } = suite;
    const e = await episode();
    const council = (await run(SUBMIT, { input: assessmentInput(e.id, { completedOn: null }) }, c.earlyHelp)).data.submitEarlyHelpAssessment.assessment;
    const provider = (await run(SUBMIT, { input: assessmentInput(e.id) }, c.providerPractitioner)).data.submitEarlyHelpAssessment.assessment;
    const change = (id: string) => assessmentInput(e.id, { assessmentId: id, expectedVersion: 1, analysis: 'Rewritten by someone else' });

    const overwrite = await run(SUBMIT, { input: change(council.id) }, c.providerPractitioner);
    expect(codeOf(overwrite)).toBe('NOT_FOUND');
    expect(codeOf(await run(SUBMIT, { input: change(provider.id) }, c.earlyHelp))).toBe('NOT_FOUND');
    const stored = await suite.api.db.query(
      `SELECT id, analysis, completed_by_provider_id, version FROM early_help_assessment ORDER BY created_at`,
    );
    expect(stored).toEqual([
      { id: council.id, analysis: council.analysis, completed_by_provider_id: null, version: 1 },
      { id: provider.id, analysis: provider.analysis, completed_by_provider_id: c.provider.id, version: 1 },
    ]);
    expect((await given.auditRows('earlyHelpAssessment.changeDenied')).map((a) => [a.actor_id, a.result])).toEqual([
      [c.providerPractitioner.id, 'DENIED'], [c.earlyHelp.id, 'DENIED'],
    ]);
    expect(await given.auditRows('earlyHelpAssessment.submitted')).toHaveLength(2);

    // The council changes its own: still the council's.
    const own = await run(SUBMIT, { input: change(council.id) }, c.serviceManager);
    expect(own.errors).toBeUndefined();
    expect(own.data.submitEarlyHelpAssessment.assessment).toMatchObject({ id: council.id, version: 2, completedByProviderId: null });
    const audit = await given.auditRows('earlyHelpAssessment.submitted', council.id);
    expect(audit[1].fields).not.toContain('completedByProviderId');
  });

  it("hides a field the provider's agreement does not list (FORBIDDEN on that field only)", async () => {
    const e = await episode({ provider: 'two' });
    await run(SUBMIT, { input: assessmentInput(e.id) }, suite.p.twoPractitioner);
    await suite.api.db.query(
      `UPDATE data_sharing_agreement SET visible_fields = array_remove(visible_fields, 'EarlyHelpAssessment.analysis') WHERE provider_id = $1`,
      [suite.p.providerTwo.id],
    );
    const query = (f: string) => `query($id: ID!) { earlyHelpEpisode(id: $id) { id assessments { id reason ${f} } } }`;
    const r = await run(query('analysis'), { id: e.id }, suite.p.twoPractitioner);
    expect(r.errors).toHaveLength(1);
    expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(r.errors?.[0].path).toEqual(['earlyHelpEpisode', 'assessments', 0, 'analysis']);
    expect((await suite.given.auditRows('access.denied')).map((a) => a.actor_id)).toEqual([suite.p.twoPractitioner.id]);
    // every other field of the assessment is still shared
    const rest = await run(query('strengths childVoice livedExperience needs { need }'), { id: e.id }, suite.p.twoPractitioner);
    expect(rest.errors).toBeUndefined();
    expect(rest.data.earlyHelpEpisode.assessments[0].reason).toBe(assessmentInput(e.id).reason);
    // the council still sees it
    const council = await run(`query($id: ID!) { earlyHelpEpisode(id: $id) { assessments { analysis } } }`, { id: e.id }, suite.c.earlyHelp);
    expect(council.errors).toBeUndefined();
  });
});

describe('recordTeamAroundFamilyMeeting', () => {
  it('refuses a social worker (FORBIDDEN) and another provider (NOT_FOUND), writing nothing', async () => {
    const e = await episode();
    expect(codeOf(await run(MEETING, { input: meetingInput(e.id) }, suite.c.socialWorker))).toBe('FORBIDDEN');
    expect(codeOf(await run(MEETING, { input: meetingInput(e.id) }, suite.p.twoManager))).toBe('NOT_FOUND');
    expect(await counts()).toEqual(NOTHING);
  });

  it.each([
    ['no attendees', (i: any) => ({ ...i, attendees: [] }), ['attendees']],
    ['an attendee without an agency', (i: any) => ({ ...i, attendees: [{ name: 'Ms Head', agency: ' ' }] }), ['attendees.0.agency']],
    ['blank decisions', (i: any) => ({ ...i, decisions: '  ' }), ['decisions']],
    ['a meeting in the future', (i: any) => ({ ...i, heldOn: '2027-01-21', nextMeetingOn: null }), ['heldOn']],
    ['a next meeting before this one', (i: any) => ({ ...i, nextMeetingOn: '2027-01-11' }), ['nextMeetingOn']],
    ['a meeting before the work started', (i: any) => ({ ...i, heldOn: '2027-01-01' }), ['heldOn']],
  ])('refuses %s with BAD_USER_INPUT, writing nothing', async (_label, change, fields) => {
    const e = await episode();
    const r = await run(MEETING, { input: change(meetingInput(e.id)) }, suite.c.providerPractitioner);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(fields);
    expect(await counts()).toEqual(NOTHING);
  });

  it('records meetings (newest first on the episode) with their audit rows; the next one is due 6 weeks after the last', async () => {
    const e = await episode();
    const first = await run(MEETING, { input: meetingInput(e.id, { heldOn: '2027-01-05', nextMeetingOn: null }) }, suite.c.providerPractitioner);
    expect(first.errors).toBeUndefined();
    expect(first.data.recordTeamAroundFamilyMeeting.meeting).toMatchObject({
      episodeId: e.id, heldOn: '2027-01-05', familyPresent: true, nextMeetingOn: null,
      attendees: [{ name: 'Ms Head', agency: 'Oakfield Primary', role: 'DSL' }, { name: 'Sam Worker', agency: 'Provider One', role: null }],
    });
    const second = await run(MEETING, { input: meetingInput(e.id) }, suite.c.earlyHelp);
    expect(second.errors).toBeUndefined();
    const audit = await suite.given.auditRows('teamAroundFamilyMeeting.recorded');
    expect(audit.map((a) => [a.actor_id, a.child_id])).toEqual([
      [suite.c.providerPractitioner.id, e.childId], [suite.c.earlyHelp.id, e.childId],
    ]);
    const shown = await run(EPISODE, { id: e.id }, suite.c.providerPractitioner);
    expect(shown.errors).toBeUndefined();
    expect(shown.data.earlyHelpEpisode.meetings.map((m: any) => m.heldOn)).toEqual(['2027-01-12', '2027-01-05']);
    expect(shown.data.earlyHelpEpisode.nextMeetingDueOn).toBe('2027-02-23');
  });

  it('refuses EARLY_HELP_WRONG_STAGE once the episode is closed', async () => {
    const e = await episode({ status: 'CLOSED' });
    expect(codeOf(await run(MEETING, { input: meetingInput(e.id) }, suite.c.earlyHelp))).toBe('EARLY_HELP_WRONG_STAGE');
    expect(await counts()).toEqual(NOTHING);
  });
});

describe('startFamilyPlan', () => {
  it('refuses a social worker (FORBIDDEN) and another provider (NOT_FOUND), writing nothing', async () => {
    const e = await episode();
    expect(codeOf(await run(START_PLAN, { input: planInput(e.id) }, suite.c.socialWorker))).toBe('FORBIDDEN');
    expect(codeOf(await run(START_PLAN, { input: planInput(e.id) }, suite.p.twoPractitioner))).toBe('NOT_FOUND');
    expect(await counts()).toEqual(NOTHING);
  });

  it.each([
    ['no outcome', (i: any) => ({ ...i, content: { ...i.content, outcomes: [], actions: [] } }), ['content.outcomes']],
    ['no contingency', (i: any) => ({ ...i, content: { ...i.content, contingency: null } }), ['content.contingency']],
    ['a start in the future', (i: any) => ({ ...i, startDate: '2027-01-21' }), ['startDate']],
    ['a start before the work', (i: any) => ({ ...i, startDate: '2027-01-03', content: { ...i.content, actions: [] } }), ['startDate']],
  ])('refuses %s with BAD_USER_INPUT, writing nothing', async (_label, change, fields) => {
    const e = await episode();
    const r = await run(START_PLAN, { input: change(planInput(e.id)) }, suite.c.providerPractitioner);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(fields);
    expect(await counts()).toEqual(NOTHING);
  });

  it("starts the family plan on the primary child, linked to the episode, first review in 2 months; audited; one at a time", async () => {
    const e = await episode();
    const r = await run(START_PLAN, { input: planInput(e.id) }, suite.c.providerPractitioner);
    expect(r.errors).toBeUndefined();
    const plan = r.data.startFamilyPlan.plan;
    expect(plan).toMatchObject({
      childId: e.childId, type: 'EARLY_HELP', status: 'ACTIVE', startDate: '2027-01-12', nextReviewDue: '2027-03-12', version: 1,
    });
    const [row] = await suite.api.db.query(`SELECT episode_id, early_help_episode_id FROM plan WHERE id = $1`, [plan.id]);
    expect(row).toEqual({ episode_id: null, early_help_episode_id: e.id });
    expect(await suite.given.auditRows('plan.started', plan.id)).toMatchObject([{ actor_id: suite.c.providerPractitioner.id, child_id: e.childId }]);
    const shown = await run(EPISODE, { id: e.id }, suite.c.providerPractitioner);
    expect(shown.errors).toBeUndefined();
    expect(shown.data.earlyHelpEpisode.familyPlan).toMatchObject({ id: plan.id, type: 'EARLY_HELP', status: 'ACTIVE' });
    expect(shown.data.earlyHelpEpisode.familyPlan.outcomes).toHaveLength(2);
    expect(codeOf(await run(START_PLAN, { input: planInput(e.id) }, suite.c.earlyHelp))).toBe('PLAN_ALREADY_ACTIVE');
    expect(await suite.given.count('plan')).toBe(1);
  });
});

describe('reviewFamilyPlan', () => {
  it('refuses a social worker (FORBIDDEN), another provider and a plan that is not a family plan (NOT_FOUND), writing nothing', async () => {
    const e = await episode();
    const plan = await startedPlan(e.id, suite.c.providerPractitioner);
    expect(codeOf(await run(REVIEW_PLAN, { input: reviewInput(plan) }, suite.c.socialWorker))).toBe('FORBIDDEN');
    expect(codeOf(await run(REVIEW_PLAN, { input: reviewInput(plan) }, suite.p.twoPractitioner))).toBe('NOT_FOUND');
    const child = await suite.given.child({ teamId: suite.c.teamA.id });
    const [cin] = await suite.api.db.query(
      `INSERT INTO plan (child_id, type, start_date, contingency, family_summary) VALUES ($1, 'CHILD_IN_NEED', '2027-01-05', 'c', 'f') RETURNING id`,
      [child.id],
    );
    expect(codeOf(await run(REVIEW_PLAN, { input: reviewInput({ ...plan, id: cin.id }) }, suite.c.earlyHelp))).toBe('NOT_FOUND');
    expect(await suite.given.count('plan_review')).toBe(0);
    expect(await suite.given.auditRows('plan.reviewed')).toHaveLength(0);
  });

  it.each([
    ['a review before the plan started', (i: any) => ({ ...i, heldOn: '2027-01-11' }), ['heldOn']],
    ['a review in the future', (i: any) => ({ ...i, heldOn: '2027-01-21' }), ['heldOn']],
    ['a blank summary', (i: any) => ({ ...i, summary: '    ' }), ['summary']],
    ['progress on an outcome of another plan', (i: any) => ({ ...i, progress: [{ ...i.progress[0], outcomeId: randomUUID() }] }), ['progress.0.outcomeId']],
  ])('refuses %s with BAD_USER_INPUT, writing nothing', async (_label, change, fields) => {
    const e = await episode();
    const plan = await startedPlan(e.id, suite.c.providerPractitioner);
    const keys = await suite.given.count('idempotency_key');
    const r = await run(REVIEW_PLAN, { input: change(reviewInput(plan)) }, suite.c.providerPractitioner);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(fields);
    expect(await suite.given.count('plan_review')).toBe(0);
    expect(await suite.given.count('idempotency_key')).toBe(keys);
  });

  it('reviews the family plan: the review kept, the next due in 2 months, audited; a stale version gets STALE_VERSION', async () => {
    const e = await episode();
    const plan = await startedPlan(e.id, suite.c.providerPractitioner);
    const r = await run(REVIEW_PLAN, { input: reviewInput(plan) }, suite.c.providerPractitioner);
    expect(r.errors).toBeUndefined();
    expect(r.data.reviewFamilyPlan).toMatchObject({
      replayed: false, plan: { id: plan.id, version: 2, nextReviewDue: '2027-03-19', reviews: [{ heldOn: '2027-01-19', decision: 'CONTINUE' }] },
    });
    expect(await suite.given.auditRows('plan.reviewed', plan.id)).toMatchObject([{ actor_id: suite.c.providerPractitioner.id, child_id: e.childId }]);
    const stale = await run(REVIEW_PLAN, { input: reviewInput(plan) }, suite.c.earlyHelp);
    expect(codeOf(stale)).toBe('STALE_VERSION');
    expect(await suite.given.count('plan_review')).toBe(1);
    expect(await suite.given.auditRows('plan.reviewed', plan.id)).toHaveLength(1);
  });

  it('refuses PLAN_REVIEW_PROGRESS_INCOMPLETE when an outcome is not rated', async () => {
    const e = await episode();
    const plan = await startedPlan(e.id, suite.c.providerPractitioner);
    const input = reviewInput(plan);
    const r = await run(REVIEW_PLAN, { input: { ...input, progress: input.progress.slice(1) } }, suite.c.providerPractitioner);
    expect(codeOf(r)).toBe('PLAN_REVIEW_PROGRESS_INCOMPLETE');
    expect(await suite.given.count('plan_review')).toBe(0);
  });
});

describe('closeEarlyHelpEpisode', () => {
  it('refuses a social worker (FORBIDDEN) and another provider (NOT_FOUND), changing nothing', async () => {
    const e = await episode();
    expect(codeOf(await run(CLOSE, { input: closeInput(e) }, suite.c.socialWorker))).toBe('FORBIDDEN');
    expect(codeOf(await run(CLOSE, { input: closeInput(e) }, suite.p.twoManager))).toBe('NOT_FOUND');
    expect(await episodeRow(e.id)).toMatchObject({ status: 'IN_WORK', version: 1 });
    expect(await suite.given.count('idempotency_key')).toBe(0);
  });

  it.each([
    ['a step-up (that is stepUpToSocialCare)', (i: any) => ({ ...i, outcome: 'STEPPED_UP' }), ['outcome']],
    ['a closure in the future', (i: any) => ({ ...i, closedOn: '2027-01-21' }), ['closedOn']],
    ['a closure before the request', (i: any) => ({ ...i, closedOn: '2027-01-03' }), ['closedOn']],
    ['a blank summary', (i: any) => ({ ...i, summary: ' ' }), ['summary']],
    ['a rating that does not exist', (i: any) => ({ ...i, progress: [{ ...i.progress[0], rating: 'GREAT' }, ...i.progress.slice(1)] }), ['progress.0.rating']],
    ['progress on a need the episode does not have', (i: any) => ({ ...i, progress: [...i.progress, { ...i.progress[0], need: 'HOUSING' }] }), ['progress.3.need']],
  ])('refuses %s with BAD_USER_INPUT, changing nothing', async (_label, change, fields) => {
    const e = await episode();
    const r = await run(CLOSE, { input: change(closeInput(e)) }, suite.c.providerPractitioner);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(fields);
    expect(await episodeRow(e.id)).toMatchObject({ status: 'IN_WORK', version: 1 });
    expect(await suite.given.auditRows('earlyHelp.closed')).toHaveLength(0);
  });

  it('refuses a closure before the family plan started', async () => {
    const e = await episode();
    await startedPlan(e.id, suite.c.providerPractitioner);
    const r = await run(CLOSE, { input: closeInput(e, { closedOn: '2027-01-11' }) }, suite.c.providerPractitioner);
    expect(fieldsOf(r)).toEqual(['closedOn']);
  });

  it('refuses EARLY_HELP_PROGRESS_INCOMPLETE when a need is missing or rated twice', async () => {
    const e = await episode();
    const missing = await run(CLOSE, { input: closeInput(e, { progress: progress(['EDUCATION', 'HEALTH']) }) }, suite.c.providerPractitioner);
    expect(codeOf(missing)).toBe('EARLY_HELP_PROGRESS_INCOMPLETE');
    const twice = await run(CLOSE, {
      input: closeInput(e, { progress: progress(['EDUCATION', 'HEALTH', 'FINANCIAL_STABILITY', 'HEALTH']) }),
    }, suite.c.providerPractitioner);
    expect(codeOf(twice)).toBe('EARLY_HELP_PROGRESS_INCOMPLETE');
    const none = await run(CLOSE, { input: closeInput(e, { outcome: 'CONSENT_WITHDRAWN', progress: [] }) }, suite.c.providerPractitioner);
    expect(codeOf(none)).toBe('EARLY_HELP_PROGRESS_INCOMPLETE');
    expect(await episodeRow(e.id)).toMatchObject({ status: 'IN_WORK', version: 1 });
  });

  it('lets the council close a family that withdrew consent before work started without progress; a provider only its work in progress', async () => {
    const requested = await episode({ status: 'REQUESTED' });
    const r = await run(CLOSE, { input: closeInput(requested, { outcome: 'CONSENT_WITHDRAWN', progress: [] }) }, suite.c.earlyHelp);
    expect(r.errors).toBeUndefined();
    expect(r.data.closeEarlyHelpEpisode.episode).toMatchObject({ status: 'CLOSED', outcome: 'CONSENT_WITHDRAWN', closureProgress: [] });
    const offered = await episode({ status: 'OFFERED' });
    const byProvider = await run(CLOSE, { input: closeInput(offered, { outcome: 'MOVED_AWAY', progress: [] }) }, suite.c.providerManager);
    expect(codeOf(byProvider)).toBe('EARLY_HELP_WRONG_STAGE');
    const moved = await run(CLOSE, { input: closeInput(offered, { outcome: 'MOVED_AWAY', progress: [] }) }, suite.c.earlyHelp);
    expect(moved.errors).toBeUndefined();
    const [ref] = await suite.api.db.query(`SELECT status, closed_on FROM early_help_referral WHERE episode_id = $1`, [offered.id]);
    expect(ref).toEqual({ status: 'CLOSED', closed_on: '2027-01-19' });
    const again = await run(CLOSE, { input: closeInput({ id: offered.id, version: 2 }, { outcome: 'MOVED_AWAY', progress: [] }) }, suite.c.earlyHelp);
    expect(codeOf(again)).toBe('EARLY_HELP_WRONG_STAGE');
  });

  it('refuses to close a family never worked with (REQUESTED or OFFERED) as anything but consent withdrawn, moved away or no further action', async () => {
    for (const status of ['REQUESTED', 'OFFERED'] as const) {
      const e = await episode({ status });
      const r = await run(CLOSE, { input: closeInput(e) }, suite.c.earlyHelp); // NEEDS_MET, with progress on every need
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(r)).toEqual(['outcome']);
      expect(await episodeRow(e.id)).toMatchObject({ status, version: 1, outcome: null });
    }
    expect(await suite.given.auditRows('earlyHelp.closed')).toHaveLength(0);
    expect(await suite.given.count('idempotency_key')).toBe(0);
    const nfa = await episode({ status: 'REQUESTED' });
    const r = await run(CLOSE, { input: closeInput(nfa, { outcome: 'NO_FURTHER_ACTION', progress: [] }) }, suite.c.earlyHelp);
    expect(r.errors).toBeUndefined();
    expect(r.data.closeEarlyHelpEpisode.episode).toMatchObject({ status: 'CLOSED', outcome: 'NO_FURTHER_ACTION', closureProgress: [] });
  });

  it("closes the provider's work: episode, referral and family plan closed, each audited; then the provider's access has ended", async () => {
    const { c, given } = suite;
    const e = await episode();
    const plan = await startedPlan(e.id, c.providerPractitioner);
    const r = await run(CLOSE, { input: closeInput(e) }, c.providerPractitioner);
    expect(r.errors).toBeUndefined();
    expect(r.data.closeEarlyHelpEpisode).toMatchObject({
      replayed: false,
      episode: { id: e.id, status: 'CLOSED', closedOn: '2027-01-19', outcome: 'NEEDS_MET', version: 2, closureProgress: progress() },
    });
    const [ref] = await suite.api.db.query(`SELECT id, status, closed_on FROM early_help_referral WHERE episode_id = $1`, [e.id]);
    expect(ref).toMatchObject({ status: 'CLOSED', closed_on: '2027-01-19' });
    const [pl] = await suite.api.db.query(`SELECT status, end_date FROM plan WHERE id = $1`, [plan.id]);
    expect(pl).toEqual({ status: 'ENDED', end_date: '2027-01-19' });
    expect(await given.auditRows('earlyHelp.closed', e.id)).toMatchObject([{ actor_id: c.providerPractitioner.id, child_id: e.childId }]);
    expect(await given.auditRows('earlyHelpReferral.closed', ref.id)).toHaveLength(1);
    expect(await given.auditRows('plan.ended', plan.id)).toHaveLength(1);
    expect(codeOf(await run(EPISODE, { id: e.id }, c.providerPractitioner))).toBe('NOT_FOUND');
    const council = await run(EPISODE, { id: e.id }, c.earlyHelp);
    expect(council.data.earlyHelpEpisode).toMatchObject({ status: 'CLOSED', assessmentDueOn: null, nextMeetingDueOn: null });
  });

  it('refuses a stale version with STALE_VERSION, closing nothing', async () => {
    const e = await episode();
    await suite.api.db.query(`UPDATE early_help_episode SET version = version + 1 WHERE id = $1`, [e.id]);
    const r = await run(CLOSE, { input: closeInput(e) }, suite.c.providerPractitioner);
    expect(codeOf(r)).toBe('STALE_VERSION');
    expect(await episodeRow(e.id)).toMatchObject({ status: 'IN_WORK', version: 2, closed_on: null });
    const [ref] = await suite.api.db.query(`SELECT status FROM early_help_referral WHERE episode_id = $1`, [e.id]);
    expect(ref.status).toBe('ACCEPTED');
    expect(await suite.given.count('idempotency_key')).toBe(0);
  });
});

describe('the episode’s work relations', () => {
  it('gives the assessment due date (20 working days after work started) until an assessment is completed', async () => {
    const e = await episode();
    const before = await run(EPISODE, { id: e.id }, suite.c.earlyHelp);
    expect(before.data.earlyHelpEpisode).toMatchObject({ assessmentDueOn: '2027-02-01', nextMeetingDueOn: '2027-02-15', familyPlan: null });
    await run(SUBMIT, { input: assessmentInput(e.id, { completedOn: null }) }, suite.c.providerPractitioner);
    expect((await run(EPISODE, { id: e.id }, suite.c.earlyHelp)).data.earlyHelpEpisode.assessmentDueOn).toBe('2027-02-01');
    await run(SUBMIT, { input: assessmentInput(e.id) }, suite.c.providerPractitioner);
    expect((await run(EPISODE, { id: e.id }, suite.c.earlyHelp)).data.earlyHelpEpisode.assessmentDueOn).toBeNull();
    const waiting = await episode({ status: 'OFFERED' });
    expect((await run(EPISODE, { id: waiting.id }, suite.c.earlyHelp)).data.earlyHelpEpisode).toMatchObject({
      assessmentDueOn: null, nextMeetingDueOn: null,
    });
  });

  it('loads assessments, meetings and family plans of several episodes in one statement per relation (no N+1)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const e = await episode();
      ids.push(e.id);
      await run(SUBMIT, { input: assessmentInput(e.id) }, suite.c.providerPractitioner);
      await run(MEETING, { input: meetingInput(e.id) }, suite.c.providerPractitioner);
      await startedPlan(e.id, suite.c.providerPractitioner);
    }
    const query = (n: number) => `query { ${ids.slice(0, n).map((id, i) => `e${i}: earlyHelpEpisode(id: "${id}") {
      assessments { id } meetings { id } familyPlan { id } assessmentDueOn nextMeetingDueOn }`).join(' ')} }`;
    const statements: number[] = [];
    for (const n of [1, 4]) {
      suite.api.resetStatements();
      const r = await run(query(n), {}, suite.c.earlyHelp);
      expect(r.errors).toBeUndefined();
      statements.push(suite.api.statements());
    }
    expect(statements[1]).toBe(statements[0]);
  });
});

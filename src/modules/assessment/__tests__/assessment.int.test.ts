import { randomUUID } from 'node:crypto';
import { codeOf, GqlResult, TestApi, useFixedClock } from '../../../../test/api';
import { Council, Suite, useCouncilSuite } from '../../../../test/factories';

const FIELDS = `id childId episodeId status startDate dueDate completedDate authorisedDate factors risks strengths protectiveFactors
  childsViews analysis outcome lateReason version dueStatus completedLate workingDaysTaken authorisedBy { id displayName }`;
const START = `mutation($input: StartAssessmentInput!) { startAssessment(input: $input) { ${FIELDS} } }`;
const COMPLETE = `mutation($input: CompleteAssessmentInput!) { completeAssessment(input: $input) { ${FIELDS} } }`;
const AUTHORISE = `mutation($input: AuthoriseAssessmentInput!) { authoriseAssessment(input: $input) { ${FIELDS} } }`;
const ASSESSMENT = `query($id: ID!) { assessment(id: $id) { ${FIELDS} } }`;
const CHILD = `query($id: ID!) { child(id: $id) { id assessments { id startDate status dueStatus } episodes { id open closureReason } } }`;

const suite = useCouncilSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});

const fieldsOf = (r: GqlResult) => [...new Set((r.errors?.[0].extensions?.fields ?? []).map((f) => f.field))].sort();

/** The London calendar date, computed independently of the code under test. */
function londonToday(): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date());
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}
const plusDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** Two weeks ago: an episode this recent is nowhere near its 45 working days. */
const recent = () => plusDays(londonToday(), -14);
/** An episode long past its assessment due date (2026-03-09, by the SQL working-day clock). */
const LONG_AGO = '2026-01-05';
const LONG_AGO_DUE = '2026-03-09';

// ---- set-up by SQL (the behaviour under test always goes through GraphQL) ----

async function givenEpisode(childId: string, startDate: string, closed?: { on: string; reason: string }) {
  const referral = await given.referral(childId, { receivedAt: `${startDate}T10:00:00Z`, decided: true });
  const [row] = await api.db.query(
    `INSERT INTO episode (child_id, referral_id, start_date, referral_source, primary_need_code, closure_date, closure_reason)
     VALUES ($1, $2, $3, '2A', 'N1', $4, $5) RETURNING id`,
    [childId, referral.id, startDate, closed?.on ?? null, closed?.reason ?? null],
  );
  return { id: row.id as string, startDate };
}

/** An assessment in the episode, due 45 working days after its start by the SQL clock (haven_add_working_days). */
async function givenAssessment(
  childId: string,
  episode: { id: string; startDate: string },
  opts: { status?: string; outcome?: string; startDate?: string; completedDate?: string } = {},
) {
  const status = opts.status ?? 'IN_PROGRESS';
  const done = status !== 'IN_PROGRESS';
  const [row] = await api.db.query(
    `INSERT INTO assessment (child_id, episode_id, status, start_date, due_date, completed_date, factors, risks, strengths,
                             protective_factors, childs_views, analysis, outcome)
     VALUES ($1, $2, $3, $4, haven_add_working_days($5::date, 45), $6, $7, $8, $8, $8, $8, $8, $9)
     RETURNING id, version, due_date`,
    [
      childId, episode.id, status, opts.startDate ?? episode.startDate, episode.startDate,
      done ? (opts.completedDate ?? londonToday()) : null, done ? ['3B'] : [], done ? 'Set-up text of more than twenty chars' : null,
      done ? (opts.outcome ?? 'CIN_PLAN') : null,
    ],
  );
  return { id: row.id as string, version: row.version as number, dueDate: row.due_date as string };
}

async function givenSection47(childId: string, episodeId: string) {
  const [sd] = await api.db.query(
    `INSERT INTO strategy_discussion (child_id, episode_id, held_on, participants, decision, rationale)
     VALUES ($1, $2, '2026-02-02', '[]', 'START_SECTION_47', 'Disclosure of physical harm') RETURNING id`,
    [childId, episodeId],
  );
  await api.db.query(
    `INSERT INTO section47 (child_id, episode_id, strategy_discussion_id, start_date, icpc_target_date, status)
     VALUES ($1, $2, $3, '2026-02-02', '2026-02-23', 'CONCLUDED')`,
    [childId, episodeId, sd.id],
  );
}

async function assessmentRow(id: string) {
  const [row] = await api.db.query(
    `SELECT status, completed_date, authorised_date, authorised_by_id, factors, outcome, late_reason, version FROM assessment WHERE id = $1`,
    [id],
  );
  return row;
}

async function episodeRow(id: string) {
  const [row] = await api.db.query(`SELECT closure_date, closure_reason, version FROM episode WHERE id = $1`, [id]);
  return row;
}

const startInput = (childId: string, startDate = recent()) => ({ childId, startDate });
const completeInput = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  expectedVersion: 1,
  completedDate: londonToday(),
  factors: ['3B', '4B'],
  risks: 'Domestic abuse by father when drinking; mother minimises',
  strengths: 'Mother engages well and the children attend school daily',
  protectiveFactors: 'Maternal grandmother lives nearby and offers respite',
  childsViews: 'Amy says she feels scared when dad shouts at night',
  analysis: 'Needs are met day to day but the risk from domestic abuse is unmanaged',
  outcome: 'CIN_PLAN',
  ...over,
});

describe('startAssessment', () => {
  it('refuses an anonymous caller and writes nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    await givenEpisode(child.id, recent());
    expect(codeOf(await api.run(START, { input: startInput(child.id) }))).toBe('UNAUTHENTICATED');
    expect(await given.count('assessment')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses roles without assessment:write, auditing each denial', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    await givenEpisode(child.id, recent());
    for (const who of [c.frontDoor, c.earlyHelp, c.conferenceChair, c.providerManager, c.analyst, c.admin]) {
      expect(codeOf(await api.run(START, { input: startInput(child.id) }, who))).toBe('FORBIDDEN');
    }
    expect(await given.count('assessment')).toBe(0);
    expect(await given.auditRows('access.denied')).toHaveLength(6);
  });

  it("answers NOT_FOUND for another team's child, as for a missing one, and writes nothing but the denial", async () => {
    const child = await given.child({ teamId: c.teamA.id });
    await givenEpisode(child.id, recent());
    const forbidden = await api.run(START, { input: startInput(child.id) }, c.otherSocialWorker);
    const missing = await api.run(START, { input: startInput(randomUUID()) }, c.otherSocialWorker);
    expect(codeOf(forbidden)).toBe('NOT_FOUND');
    expect(forbidden.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(await given.count('assessment')).toBe(0);
    expect(await given.auditRows('assessment.started')).toHaveLength(0);
    expect((await given.auditRows('child.changeDenied', child.id)).map((a) => a.result)).toEqual(['DENIED']);
  });

  it.each([
    ['a malformed child id', { childId: 'not-a-uuid' }, ['childId']],
    ['a start before the referral date', { startDate: plusDays(recent(), -1) }, ['startDate']],
    ['a start in the future', { startDate: plusDays(londonToday(), 1) }, ['startDate']],
  ])('refuses %s with the field at fault, writing nothing', async (_label, over, fields) => {
    const child = await given.child({ teamId: c.teamA.id });
    await givenEpisode(child.id, recent());
    const r = await api.run(START, { input: { ...startInput(child.id), ...over } }, c.socialWorker);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(fields);
    expect(await given.count('assessment')).toBe(0);
    expect(await given.auditRows('assessment.started')).toHaveLength(0);
  });

  it('starts an assessment due 45 working days after the referral date, with its audit row', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const episode = await givenEpisode(child.id, LONG_AGO);
    const r = await api.run(START, { input: startInput(child.id, '2026-01-07') }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.startAssessment).toMatchObject({
      childId: child.id, episodeId: episode.id, status: 'IN_PROGRESS', startDate: '2026-01-07', dueDate: LONG_AGO_DUE,
      completedDate: null, factors: [], outcome: null, version: 1, dueStatus: 'OVERDUE', completedLate: null,
      workingDaysTaken: null, authorisedBy: null,
    });
    expect(await given.count('assessment')).toBe(1);
    const audit = await given.auditRows('assessment.started', r.data.startAssessment.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.socialWorker.id, child_id: child.id, result: 'ALLOWED' });
    expect([...audit[0].fields].sort()).toEqual(['dueDate', 'episodeId', 'startDate']);
  });

  it('shows a fresh assessment as UPCOMING', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    await givenEpisode(child.id, recent());
    const r = await api.run(START, { input: startInput(child.id) }, c.teamManager);
    expect(r.errors).toBeUndefined();
    expect(r.data.startAssessment.dueStatus).toBe('UPCOMING');
  });

  it('needs an open episode of need (ASSESSMENT_NEEDS_OPEN_EPISODE)', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    await givenEpisode(child.id, LONG_AGO, { on: '2026-02-27', reason: 'RC7' });
    const r = await api.run(START, { input: startInput(child.id) }, c.socialWorker);
    expect(codeOf(r)).toBe('ASSESSMENT_NEEDS_OPEN_EPISODE');
    expect(await given.count('assessment')).toBe(0);
    expect(await given.auditRows('assessment.started')).toHaveLength(0);
  });

  it.each(['IN_PROGRESS', 'COMPLETED'])(
    'refuses a second assessment while one is %s in the episode (ASSESSMENT_ALREADY_IN_PROGRESS)',
    async (status) => {
      const child = await given.child({ teamId: c.teamA.id });
      const episode = await givenEpisode(child.id, recent());
      await givenAssessment(child.id, episode, { status });
      const r = await api.run(START, { input: startInput(child.id) }, c.socialWorker);
      expect(codeOf(r)).toBe('ASSESSMENT_ALREADY_IN_PROGRESS');
      expect(await given.count('assessment')).toBe(1);
      expect(await given.auditRows('assessment.started')).toHaveLength(0);
    },
  );

  it('allows another assessment once the first is authorised', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const episode = await givenEpisode(child.id, recent());
    await givenAssessment(child.id, episode, { status: 'AUTHORISED' });
    const r = await api.run(START, { input: startInput(child.id, londonToday()) }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(await given.count('assessment')).toBe(2);
  });
});

describe('completeAssessment', () => {
  async function inProgress(teamId = c.teamA.id, episodeStart = recent()) {
    const child = await given.child({ teamId });
    const episode = await givenEpisode(child.id, episodeStart);
    const assessment = await givenAssessment(child.id, episode);
    return { child, episode, assessment };
  }
  const untouched = { status: 'IN_PROGRESS', completed_date: null, outcome: null, late_reason: null, version: 1 };

  it('refuses an anonymous caller and writes nothing', async () => {
    const { assessment } = await inProgress();
    expect(codeOf(await api.run(COMPLETE, { input: completeInput(assessment.id) }))).toBe('UNAUTHENTICATED');
    expect(await assessmentRow(assessment.id)).toMatchObject(untouched);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses roles without assessment:write', async () => {
    const { assessment } = await inProgress();
    for (const who of [c.earlyHelp, c.conferenceChair, c.frontDoor, c.providerPractitioner, c.analyst, c.admin]) {
      expect(codeOf(await api.run(COMPLETE, { input: completeInput(assessment.id) }, who))).toBe('FORBIDDEN');
    }
    expect(await assessmentRow(assessment.id)).toMatchObject(untouched);
    expect(await given.auditRows('assessment.completed')).toHaveLength(0);
  });

  it("answers NOT_FOUND for another team's child, as for a missing assessment, auditing the refusal", async () => {
    const { assessment } = await inProgress(c.teamB.id);
    const forbidden = await api.run(COMPLETE, { input: completeInput(assessment.id) }, c.socialWorker);
    const missing = await api.run(COMPLETE, { input: completeInput(randomUUID()) }, c.socialWorker);
    expect(codeOf(forbidden)).toBe('NOT_FOUND');
    expect(forbidden.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(await assessmentRow(assessment.id)).toMatchObject(untouched);
    expect(await given.auditRows('assessment.completed')).toHaveLength(0);
    expect((await given.auditRows('assessment.changeDenied', assessment.id)).map((a) => a.result)).toEqual(['DENIED']);
  });

  it.each([
    ['factor 21 with another factor', { factors: ['21', '3B'] }, ['factors']],
    ['no factors', { factors: [] }, ['factors']],
    ['a repeated factor', { factors: ['3B', '3B'] }, ['factors']],
    ['an unknown or deprecated factor', { factors: ['18A'] }, ['factors']],
    ['short analysis texts', { risks: 'Some risk', analysis: '                        ' }, ['analysis', 'risks']],
    ['a version below 1', { expectedVersion: 0 }, ['expectedVersion']],
    ['a completion before the start', { completedDate: plusDays(recent(), -1) }, ['completedDate']],
    ['a completion in the future', { completedDate: plusDays(londonToday(), 1) }, ['completedDate']],
    ['a late reason on time', { lateReason: 'Family were away for a fortnight' }, ['lateReason']],
    ['a too-short late reason', { lateReason: 'late' }, ['lateReason']],
  ])('refuses %s with the fields at fault, writing nothing', async (_label, over, fields) => {
    const { assessment } = await inProgress();
    const r = await api.run(COMPLETE, { input: completeInput(assessment.id, over) }, c.socialWorker);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(fields);
    expect(await assessmentRow(assessment.id)).toMatchObject(untouched);
    expect(await given.auditRows('assessment.completed')).toHaveLength(0);
  });

  it('explains that factor 21 must stand alone', async () => {
    const { assessment } = await inProgress();
    const r = await api.run(COMPLETE, { input: completeInput(assessment.id, { factors: ['1A', '21'] }) }, c.socialWorker);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toMatch(/21 \(no factors identified\) cannot be combined/);
    // 21 on its own is accepted.
    const alone = await api.run(COMPLETE, { input: completeInput(assessment.id, { factors: ['21'] }) }, c.socialWorker);
    expect(alone.errors).toBeUndefined();
    expect(alone.data.completeAssessment.factors).toEqual(['21']);
  });

  it('completes the assessment on time, with its audit row (names of fields, never values)', async () => {
    const { child, assessment } = await inProgress();
    const input = completeInput(assessment.id);
    const r = await api.run(COMPLETE, { input }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.completeAssessment).toMatchObject({
      id: assessment.id, status: 'COMPLETED', completedDate: londonToday(), factors: ['3B', '4B'], risks: input.risks,
      strengths: input.strengths, protectiveFactors: input.protectiveFactors, childsViews: input.childsViews, analysis: input.analysis,
      outcome: 'CIN_PLAN', lateReason: null, version: 2, dueStatus: null, completedLate: false, authorisedBy: null, authorisedDate: null,
    });
    expect(r.data.completeAssessment.workingDaysTaken).toBeGreaterThanOrEqual(8);
    expect(r.data.completeAssessment.workingDaysTaken).toBeLessThanOrEqual(10);
    expect(await assessmentRow(assessment.id)).toMatchObject({ status: 'COMPLETED', completed_date: londonToday(), version: 2 });
    const audit = await given.auditRows('assessment.completed', assessment.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.socialWorker.id, child_id: child.id, result: 'ALLOWED' });
    expect([...audit[0].fields].sort()).toEqual([
      'analysis', 'childsViews', 'completedDate', 'factors', 'outcome', 'protectiveFactors', 'risks', 'status', 'strengths',
    ]);
    expect(JSON.stringify(audit[0])).not.toContain('drinking');
  });

  it('counts completion on the due date as on time (45 working days taken)', async () => {
    const { assessment } = await inProgress(c.teamA.id, LONG_AGO);
    const r = await api.run(COMPLETE, { input: completeInput(assessment.id, { completedDate: LONG_AGO_DUE }) }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.completeAssessment).toMatchObject({ dueDate: LONG_AGO_DUE, completedLate: false, workingDaysTaken: 45, lateReason: null });
  });

  it('refuses a late completion without a reason, and accepts it with one (completedLate)', async () => {
    const { child, assessment } = await inProgress(c.teamA.id, LONG_AGO);
    const late = { completedDate: '2026-03-10' };
    const refused = await api.run(COMPLETE, { input: completeInput(assessment.id, late) }, c.socialWorker);
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(refused)).toEqual(['lateReason']);
    expect(await assessmentRow(assessment.id)).toMatchObject(untouched);
    expect(await given.auditRows('assessment.completed')).toHaveLength(0);

    const lateReason = 'Father would not engage until a second home visit';
    const r = await api.run(COMPLETE, { input: completeInput(assessment.id, { ...late, lateReason }) }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.completeAssessment).toMatchObject({ completedLate: true, lateReason, workingDaysTaken: 46, dueStatus: null });
    const audit = await given.auditRows('assessment.completed', assessment.id);
    expect(audit[0]).toMatchObject({ actor_id: c.socialWorker.id, child_id: child.id });
    expect(audit[0].fields).toContain('lateReason');
  });

  it('refuses a stale version and writes nothing', async () => {
    const { assessment } = await inProgress();
    const r = await api.run(COMPLETE, { input: completeInput(assessment.id, { expectedVersion: 2 }) }, c.socialWorker);
    expect(codeOf(r)).toBe('STALE_VERSION');
    expect(await assessmentRow(assessment.id)).toMatchObject(untouched);
    expect(await given.auditRows('assessment.completed')).toHaveLength(0);
  });

  it('refuses to complete an assessment twice (ASSESSMENT_NOT_IN_PROGRESS)', async () => {
    const { assessment } = await inProgress();
    expect((await api.run(COMPLETE, { input: completeInput(assessment.id) }, c.socialWorker)).errors).toBeUndefined();
    const again = await api.run(COMPLETE, { input: completeInput(assessment.id, { expectedVersion: 2, outcome: 'CLOSE' }) }, c.teamManager);
    expect(codeOf(again)).toBe('ASSESSMENT_NOT_IN_PROGRESS');
    expect(await assessmentRow(assessment.id)).toMatchObject({ outcome: 'CIN_PLAN', version: 2 });
    expect(await given.auditRows('assessment.completed')).toHaveLength(1);
  });
});

describe('authoriseAssessment', () => {
  async function completed(outcome = 'CIN_PLAN', teamId = c.teamA.id) {
    const child = await given.child({ teamId });
    const episode = await givenEpisode(child.id, recent());
    const assessment = await givenAssessment(child.id, episode, { status: 'COMPLETED', outcome });
    return { child, episode, assessment };
  }
  const unauthorised = { status: 'COMPLETED', authorised_date: null, authorised_by_id: null, version: 1 };
  const authoriseInput = (id: string, expectedVersion = 1) => ({ id, expectedVersion });

  it('refuses an anonymous caller and writes nothing', async () => {
    const { assessment } = await completed();
    expect(codeOf(await api.run(AUTHORISE, { input: authoriseInput(assessment.id) }))).toBe('UNAUTHENTICATED');
    expect(await assessmentRow(assessment.id)).toMatchObject(unauthorised);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses a social worker and others without assessment:authorise (FORBIDDEN), writing nothing', async () => {
    const { assessment } = await completed();
    for (const who of [c.socialWorker, c.earlyHelp, c.frontDoor, c.conferenceChair, c.providerManager, c.analyst, c.admin]) {
      expect(codeOf(await api.run(AUTHORISE, { input: authoriseInput(assessment.id) }, who))).toBe('FORBIDDEN');
    }
    expect(await assessmentRow(assessment.id)).toMatchObject(unauthorised);
    expect(await given.auditRows('assessment.authorised')).toHaveLength(0);
    expect(await given.auditRows('access.denied')).toHaveLength(7);
  });

  it("answers NOT_FOUND to a manager for another team's child, as for a missing assessment", async () => {
    const { assessment } = await completed('CLOSE', c.teamB.id);
    const forbidden = await api.run(AUTHORISE, { input: authoriseInput(assessment.id) }, c.teamManager);
    const missing = await api.run(AUTHORISE, { input: authoriseInput(randomUUID()) }, c.teamManager);
    expect(codeOf(forbidden)).toBe('NOT_FOUND');
    expect(forbidden.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(await assessmentRow(assessment.id)).toMatchObject(unauthorised);
    expect(await given.auditRows('assessment.authorised')).toHaveLength(0);
    expect(await given.auditRows('episode.closed')).toHaveLength(0);
    expect((await given.auditRows('assessment.changeDenied', assessment.id)).map((a) => a.result)).toEqual(['DENIED']);
  });

  it('refuses a malformed id and a version below 1 with the fields at fault, writing nothing', async () => {
    const { assessment } = await completed();
    const r = await api.run(AUTHORISE, { input: { id: 'x', expectedVersion: 0 } }, c.teamManager);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(['expectedVersion', 'id']);
    expect(await assessmentRow(assessment.id)).toMatchObject(unauthorised);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('does not take the authoriser from the input', async () => {
    const { assessment } = await completed();
    const r = await api.run(AUTHORISE, { input: { ...authoriseInput(assessment.id), authorisedById: c.serviceManager.id } }, c.teamManager);
    expect(r.errors).toBeDefined();
    expect(await assessmentRow(assessment.id)).toMatchObject(unauthorised);
    expect(await given.auditRows('assessment.authorised')).toHaveLength(0);
  });

  it('authorises with the authoriser from the session and today as the date, audited; CIN_PLAN leaves the episode open', async () => {
    const { child, episode, assessment } = await completed('CIN_PLAN');
    const r = await api.run(AUTHORISE, { input: authoriseInput(assessment.id) }, c.teamManager);
    expect(r.errors).toBeUndefined();
    expect(r.data.authoriseAssessment).toMatchObject({
      id: assessment.id, status: 'AUTHORISED', authorisedDate: londonToday(), version: 2,
      authorisedBy: { id: c.teamManager.id, displayName: expect.stringContaining('TEAM_MANAGER') },
    });
    expect(await assessmentRow(assessment.id)).toMatchObject({
      status: 'AUTHORISED', authorised_date: londonToday(), authorised_by_id: c.teamManager.id, version: 2,
    });
    const audit = await given.auditRows('assessment.authorised', assessment.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.teamManager.id, child_id: child.id, result: 'ALLOWED' });
    expect([...audit[0].fields].sort()).toEqual(['authorisedById', 'authorisedDate', 'status']);
    expect(await episodeRow(episode.id)).toEqual({ closure_date: null, closure_reason: null, version: 1 });
    expect(await given.auditRows('episode.closed')).toHaveLength(0);
  });

  it('records a service manager as the authoriser when they sign off', async () => {
    const { assessment } = await completed('STRATEGY_DISCUSSION', c.teamB.id);
    const r = await api.run(AUTHORISE, { input: authoriseInput(assessment.id) }, c.serviceManager);
    expect(r.errors).toBeUndefined();
    expect(r.data.authoriseAssessment.authorisedBy.id).toBe(c.serviceManager.id);
    expect(await assessmentRow(assessment.id)).toMatchObject({ authorised_by_id: c.serviceManager.id });
  });

  it.each([
    ['CLOSE', 'RC8'],
    ['EARLY_HELP', 'RC9'],
  ])('closes the episode on authorisation of a %s outcome with %s, dated today and audited', async (outcome, reason) => {
    const { child, episode, assessment } = await completed(outcome);
    const r = await api.run(AUTHORISE, { input: authoriseInput(assessment.id) }, c.teamManager);
    expect(r.errors).toBeUndefined();
    expect(await episodeRow(episode.id)).toEqual({ closure_date: londonToday(), closure_reason: reason, version: 2 });
    const audit = await given.auditRows('episode.closed', episode.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.teamManager.id, child_id: child.id });
    const view = await api.run(CHILD, { id: child.id }, c.teamManager);
    expect(view.data.child.episodes).toEqual([{ id: episode.id, open: false, closureReason: reason }]);
  });

  it('authorises a CLOSE outcome on an episode that had a section 47 but leaves the episode open (RC8 is not valid there)', async () => {
    // Refusing the authorisation left the case stuck: the episode could not close while the assessment was unauthorised.
    const { child, episode, assessment } = await completed('CLOSE');
    await givenSection47(child.id, episode.id);
    const r = await api.run(AUTHORISE, { input: authoriseInput(assessment.id) }, c.teamManager);
    expect(r.errors).toBeUndefined();
    expect(await assessmentRow(assessment.id)).toMatchObject({ status: 'AUTHORISED', authorised_by_id: c.teamManager.id });
    expect(await episodeRow(episode.id)).toEqual({ closure_date: null, closure_reason: null, version: 1 });
    expect(await given.auditRows('assessment.authorised')).toHaveLength(1);
    expect(await given.auditRows('episode.closed')).toHaveLength(0);
  });

  it('refuses an assessment that is not completed, or already authorised (ASSESSMENT_NOT_COMPLETED)', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const episode = await givenEpisode(child.id, recent());
    const open = await givenAssessment(child.id, episode);
    expect(codeOf(await api.run(AUTHORISE, { input: authoriseInput(open.id) }, c.teamManager))).toBe('ASSESSMENT_NOT_COMPLETED');
    expect(await assessmentRow(open.id)).toMatchObject({ status: 'IN_PROGRESS', version: 1 });
    const { assessment } = await completed();
    expect((await api.run(AUTHORISE, { input: authoriseInput(assessment.id) }, c.teamManager)).errors).toBeUndefined();
    const again = await api.run(AUTHORISE, { input: authoriseInput(assessment.id, 2) }, c.serviceManager);
    expect(codeOf(again)).toBe('ASSESSMENT_NOT_COMPLETED');
    expect(await assessmentRow(assessment.id)).toMatchObject({ authorised_by_id: c.teamManager.id, version: 2 });
    expect(await given.auditRows('assessment.authorised')).toHaveLength(1);
  });

  it('refuses a stale version and writes nothing', async () => {
    const { episode, assessment } = await completed('CLOSE');
    const r = await api.run(AUTHORISE, { input: authoriseInput(assessment.id, 3) }, c.teamManager);
    expect(codeOf(r)).toBe('STALE_VERSION');
    expect(await assessmentRow(assessment.id)).toMatchObject(unauthorised);
    expect(await episodeRow(episode.id)).toEqual({ closure_date: null, closure_reason: null, version: 1 });
    expect(await given.auditRows('assessment.authorised')).toHaveLength(0);
  });
});

describe('reading assessments', () => {
  it('opens one assessment with an audited view; another team gets NOT_FOUND as for a missing one, audited', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const episode = await givenEpisode(child.id, recent());
    const assessment = await givenAssessment(child.id, episode);
    const r = await api.run(ASSESSMENT, { id: assessment.id }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.assessment).toMatchObject({ id: assessment.id, childId: child.id, status: 'IN_PROGRESS', dueStatus: 'UPCOMING' });
    const viewed = await given.auditRows('assessment.viewed', assessment.id);
    expect(viewed).toHaveLength(1);
    expect(viewed[0]).toMatchObject({ actor_id: c.socialWorker.id, child_id: child.id, result: 'ALLOWED' });

    const forbidden = await api.run(ASSESSMENT, { id: assessment.id }, c.otherSocialWorker);
    const missing = await api.run(ASSESSMENT, { id: randomUUID() }, c.otherSocialWorker);
    expect(codeOf(forbidden)).toBe('NOT_FOUND');
    expect(forbidden.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(forbidden.data?.assessment ?? null).toBeNull();
    const denied = await given.auditRows('assessment.viewed', assessment.id);
    expect(denied.map((a) => a.result)).toEqual(['ALLOWED', 'DENIED']);
  });

  it('shows providers, analysts and administrators nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const episode = await givenEpisode(child.id, recent());
    const assessment = await givenAssessment(child.id, episode);
    for (const who of [c.providerPractitioner, c.providerManager, c.analyst, c.admin]) {
      const r = await api.run(ASSESSMENT, { id: assessment.id }, who);
      expect(codeOf(r)).toBe('FORBIDDEN');
      expect(r.data?.assessment ?? null).toBeNull();
    }
    expect(await given.auditRows('assessment.viewed')).toHaveLength(0);
  });

  it("lists a child's assessments newest first, after the child's view is audited", async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const old = await givenEpisode(child.id, LONG_AGO, { on: '2026-04-30', reason: 'RC7' });
    const current = await givenEpisode(child.id, recent());
    const first = await givenAssessment(child.id, old, { status: 'AUTHORISED', completedDate: '2026-03-02' });
    const second = await givenAssessment(child.id, current);
    const r = await api.run(CHILD, { id: child.id }, c.teamManager);
    expect(r.errors).toBeUndefined();
    expect(r.data.child.assessments).toEqual([
      { id: second.id, startDate: recent(), status: 'IN_PROGRESS', dueStatus: 'UPCOMING' },
      { id: first.id, startDate: LONG_AGO, status: 'AUTHORISED', dueStatus: null },
    ]);
    expect(await given.auditRows('child.viewed', child.id)).toHaveLength(1);
    expect(codeOf(await api.run(CHILD, { id: child.id }, c.otherSocialWorker))).toBe('NOT_FOUND');
  });
});

describe('with the clock fixed (due dates across Christmas 2026)', () => {
  const clock = useFixedClock(suite, '2027-03-01T12:00:00Z');
  const runAt = clock.run;

  it('is due 45 working days after a 2026-12-01 referral: 2027-02-05 (Christmas, Boxing Day substitute, New Year)', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    await givenEpisode(child.id, '2026-12-01');
    const r = await runAt(START, { input: startInput(child.id, '2026-12-03') }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.startAssessment).toMatchObject({ startDate: '2026-12-03', dueDate: '2027-02-05', dueStatus: 'OVERDUE' });
    const [row] = await api.db.query(`SELECT due_date, haven_add_working_days('2026-12-01', 45) AS sql_due FROM assessment`);
    expect(row).toEqual({ due_date: '2027-02-05', sql_due: '2027-02-05' });
  });

  it.each([
    ['2027-01-20T12:00:00Z', 'UPCOMING'],
    ['2027-02-01T12:00:00Z', 'DUE_SOON'],
    ['2027-02-05T12:00:00Z', 'DUE_TODAY'],
    ['2027-02-08T09:00:00Z', 'OVERDUE'],
  ])('on %s an assessment due 2027-02-05 is %s', async (at, status) => {
    const child = await given.child({ teamId: c.teamA.id });
    const episode = await givenEpisode(child.id, '2026-12-01');
    const assessment = await givenAssessment(child.id, episode, { startDate: '2026-12-03' });
    clock.set(at);
    const r = await runAt(ASSESSMENT, { id: assessment.id }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.assessment).toMatchObject({ dueDate: '2027-02-05', dueStatus: status });
  });

  it('judges lateness and "in the future" by the same clock', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const episode = await givenEpisode(child.id, '2026-12-01');
    const assessment = await givenAssessment(child.id, episode, { startDate: '2026-12-03' });
    clock.set('2027-02-08T10:00:00Z');
    const lateReason = 'Christmas closures delayed school checks';
    const future = await runAt(COMPLETE, { input: completeInput(assessment.id, { completedDate: '2027-02-09', lateReason }) }, c.socialWorker);
    expect(codeOf(future)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(future)).toEqual(['completedDate']);
    const noReason = await runAt(COMPLETE, { input: completeInput(assessment.id, { completedDate: '2027-02-08' }) }, c.socialWorker);
    expect(codeOf(noReason)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(noReason)).toEqual(['lateReason']);
    expect(await assessmentRow(assessment.id)).toMatchObject({ status: 'IN_PROGRESS', version: 1 });
    const r = await runAt(
      COMPLETE, { input: completeInput(assessment.id, { completedDate: '2027-02-08', lateReason }) },
      c.socialWorker,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.completeAssessment).toMatchObject({ completedLate: true, workingDaysTaken: 46 });
  });
});

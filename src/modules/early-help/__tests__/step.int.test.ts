import { randomUUID } from 'node:crypto';
import { codeOf, GqlResult, TestApi } from '../../../../test/api';
import type { Council, Suite } from '../../../../test/factories';
import { EarlyHelpSuite, useEarlyHelpSuite } from '../../../../test/early-help-factories';

const STEP_UP = `mutation($input: StepUpToSocialCareInput!) { stepUpToSocialCare(input: $input) {
  earlyHelpEpisode { id status outcome closedOn version }
  referrals { id childId sourceCode primaryNeedCode referralDate decision earlyHelpEpisode { id } } } }`;
const STEP_DOWN = `mutation($input: StepDownToEarlyHelpInput!) { stepDownToEarlyHelp(input: $input) {
  episode { id closureDate closureReason version }
  earlyHelpEpisode { id status familyId primaryChildId requesterName requesterRole requesterAgency needs steppedDownFromEpisodeId
    steppedDownAssessmentId steppedDownFromEpisode { id closureReason } steppedDownAssessment { id status }
    children { id } } } }`;
const EPISODE = `query($id: ID!) { earlyHelpEpisode(id: $id) { id status } }`;
const CHILD = `query($id: ID!) { child(id: $id) { id } }`;
const REFERRAL_WITH_EARLY_HELP = `query($id: ID!) { referral(id: $id) { id sourceCode earlyHelpEpisode { id status outcome
  assessments { id reason } familyPlan { id type } steppedUpReferrals { id } } } }`;
const DECIDE = `mutation($input: DecideReferralInput!) { decideReferral(input: $input) { id decision } }`;
const ALLOCATE = `mutation($input: AllocateCaseInput!) { allocateCase(input: $input) { id } }`;
const CHRONOLOGY = `query($id: ID!) { chronology(childId: $id, first: 100) { totalCount edges { node { id kind recordId summary } } } }`;

const suite: EarlyHelpSuite = useEarlyHelpSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});

const fieldsOf = (r: GqlResult) => [...new Set((r.errors?.[0].extensions?.fields ?? []).map((f) => f.field))].sort();
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
/** Today in England, computed independently of the code under test. */
const londonToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());

/** A family of two unallocated children in early help with Provider One (IN_WORK, the provider's practitioner leading). */
async function familyInWork() {
  const first = await given.child();
  const second = await given.child();
  const family = await given.family([first.id, second.id]);
  const episode = await suite.eh.episode({
    childIds: [first.id, second.id], familyId: family.id, status: 'IN_WORK', providerId: c.provider.id,
    contractId: suite.p.contractOne.id, leadId: c.providerPractitioner.id, requestedOn: daysAgo(30),
  });
  return { first, second, family, episode };
}

const stepUpInput = (episode: { id: string; version: number }, over: Record<string, unknown> = {}) => ({
  episodeId: episode.id, expectedVersion: episode.version, primaryNeedCode: 'N1',
  reason: 'Disclosure at school of physical harm at home', ...over,
});

async function episodeRow(id: string) {
  const [row] = await api.db.query(`SELECT status, outcome, closed_on, version FROM early_help_episode WHERE id = $1`, [id]);
  return row;
}

async function stepUpWrites() {
  return {
    referrals: await given.count('referral'),
    steppedUp: (await given.auditRows('earlyHelp.steppedUp')).length,
    closed: (await given.auditRows('earlyHelp.closed')).length,
  };
}
const nothingWritten = { referrals: 0, steppedUp: 0, closed: 0 };

describe('stepUpToSocialCare', () => {
  it('refuses an anonymous caller and roles without earlyhelp:stepUp, writing nothing', async () => {
    const { episode } = await familyInWork();
    expect(codeOf(await api.run(STEP_UP, { input: stepUpInput(episode) }))).toBe('UNAUTHENTICATED');
    for (const who of [c.socialWorker, c.frontDoor, c.providerPractitioner, c.providerManager, c.conferenceChair, c.analyst, c.admin]) {
      expect(codeOf(await api.run(STEP_UP, { input: stepUpInput(episode) }, who))).toBe('FORBIDDEN');
    }
    expect(await stepUpWrites()).toEqual(nothingWritten);
    expect(await episodeRow(episode.id)).toMatchObject({ status: 'IN_WORK', version: 1 });
    expect((await given.auditRows('access.denied')).length).toBeGreaterThanOrEqual(1);
  });

  it('answers NOT_FOUND for an episode out of scope (a restricted child), exactly as for a missing one, audited', async () => {
    const child = await given.child({ restrictedTo: [c.serviceManager.id] });
    const episode = await suite.eh.episode({
      childIds: [child.id], status: 'IN_WORK', providerId: c.provider.id, contractId: suite.p.contractOne.id, requestedOn: daysAgo(30),
    });
    const hidden = await api.run(STEP_UP, { input: stepUpInput(episode) }, c.earlyHelp);
    const missing = await api.run(STEP_UP, { input: stepUpInput({ id: randomUUID(), version: 1 }) }, c.earlyHelp);
    expect(codeOf(hidden)).toBe('NOT_FOUND');
    expect(hidden.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(await stepUpWrites()).toEqual(nothingWritten);
    expect((await given.auditRows('earlyHelpEpisode.changed', episode.id)).map((a) => a.result)).toEqual(['DENIED']);
  });

  it('refuses invalid input with the fields at fault, writing nothing', async () => {
    const { episode } = await familyInWork();
    const bad = await api.run(STEP_UP, {
      input: stepUpInput(episode, { expectedVersion: 0, primaryNeedCode: 'N10', reason: '   ', childIds: ['x'] }),
    }, c.earlyHelp);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(bad)).toEqual(['childIds', 'expectedVersion', 'primaryNeedCode', 'reason']);
    const other = await given.child();
    const notTheirs = await api.run(STEP_UP, { input: stepUpInput(episode, { childIds: [other.id] }) }, c.earlyHelp);
    expect(fieldsOf(notTheirs)).toEqual(['childIds']);
    const future = await api.run(STEP_UP, {
      input: stepUpInput(episode, { receivedAt: new Date(Date.now() + 86_400_000).toISOString() }),
    }, c.earlyHelp);
    expect(fieldsOf(future)).toEqual(['receivedAt']);
    const early = await api.run(STEP_UP, { input: stepUpInput(episode, { receivedAt: `${daysAgo(40)}T10:00:00Z` }) }, c.earlyHelp);
    expect(fieldsOf(early)).toEqual(['receivedAt']);
    expect(await stepUpWrites()).toEqual(nothingWritten);
    expect(await episodeRow(episode.id)).toMatchObject({ status: 'IN_WORK', version: 1 });
  });

  it("refers every child to the front door (5D, carrying the episode), closes the episode STEPPED_UP and ends the provider's access", async () => {
    const { first, second, episode } = await familyInWork();
    const [assessment] = await api.db.query(
      `INSERT INTO early_help_assessment (episode_id, reason, needs, strengths, lived_experience, child_voice, analysis, started_on, completed_on)
       VALUES ($1, 'Attendance has fallen', '[]', 's', 'l', 'v', 'a', $2, $2) RETURNING id`,
      [episode.id, daysAgo(20)],
    );
    const [plan] = await api.db.query(
      `INSERT INTO plan (child_id, type, start_date, contingency, family_summary, next_review_due, early_help_episode_id)
       VALUES ($1, 'EARLY_HELP', $2, 'Contingency for the plan', 'What we agreed together', $3, $4) RETURNING id`,
      [first.id, daysAgo(10), daysAgo(-30), episode.id],
    );
    // The provider sees its family before the step-up.
    expect((await api.run(EPISODE, { id: episode.id }, c.providerPractitioner)).data?.earlyHelpEpisode).toMatchObject({ id: episode.id });

    const r = await api.run(STEP_UP, { input: stepUpInput(episode) }, c.earlyHelp);
    expect(r.errors).toBeUndefined();
    const { earlyHelpEpisode, referrals } = r.data.stepUpToSocialCare;
    expect(earlyHelpEpisode).toEqual({ id: episode.id, status: 'CLOSED', outcome: 'STEPPED_UP', closedOn: londonToday(), version: 2 });
    expect(referrals.map((x: { childId: string }) => x.childId).sort()).toEqual([first.id, second.id].sort());
    for (const referral of referrals) {
      expect(referral).toMatchObject({
        sourceCode: '5D', primaryNeedCode: 'N1', referralDate: londonToday(), decision: null, earlyHelpEpisode: { id: episode.id },
      });
    }
    // The children wait in the front door's queue: not held by the early help practitioner's team.
    expect(await given.count('allocation')).toBe(0);
    const [provider] = await api.db.query(`SELECT status, closed_on FROM early_help_referral WHERE episode_id = $1`, [episode.id]);
    expect(provider).toEqual({ status: 'CLOSED', closed_on: londonToday() });
    const steppedUp = await given.auditRows('earlyHelp.steppedUp', episode.id);
    expect(steppedUp.map((a) => a.child_id).sort()).toEqual([first.id, second.id].sort());
    expect(steppedUp[0]).toMatchObject({ actor_id: c.earlyHelp.id, result: 'ALLOWED' });
    expect(await given.auditRows('referral.created')).toHaveLength(2);
    expect(await given.auditRows('earlyHelp.closed', episode.id)).toHaveLength(1);

    // The provider's access ended with its referral.
    expect(codeOf(await api.run(EPISODE, { id: episode.id }, c.providerPractitioner))).toBe('NOT_FOUND');
    expect(codeOf(await api.run(CHILD, { id: first.id }, c.providerPractitioner))).toBe('NOT_FOUND');

    // The front door reads the early help record the referral carries: the episode, its assessments and family plan.
    const fd = await api.run(REFERRAL_WITH_EARLY_HELP, { id: referrals[0].id }, c.frontDoor);
    expect(fd.errors).toBeUndefined();
    expect(fd.data.referral.earlyHelpEpisode).toMatchObject({
      id: episode.id, status: 'CLOSED', outcome: 'STEPPED_UP', assessments: [{ id: assessment.id, reason: 'Attendance has fallen' }],
      familyPlan: { id: plan.id, type: 'EARLY_HELP' },
    });
    // The family plan ended with the episode.
    expect((await api.db.query(`SELECT status, end_date FROM plan WHERE id = $1`, [plan.id]))[0]).toEqual({ status: 'ENDED', end_date: londonToday() });
    expect(fd.data.referral.earlyHelpEpisode.steppedUpReferrals.map((x: { id: string }) => x.id).sort())
      .toEqual(referrals.map((x: { id: string }) => x.id).sort());
  });

  it('steps up only the children named, from an episode still waiting for a provider', async () => {
    const child = await given.child();
    const sibling = await given.child();
    const episode = await suite.eh.episode({ childIds: [child.id, sibling.id], requestedOn: daysAgo(10) });
    const r = await api.run(STEP_UP, { input: stepUpInput(episode, { childIds: [sibling.id] }) }, c.earlyHelp);
    expect(r.errors).toBeUndefined();
    expect(r.data.stepUpToSocialCare.referrals.map((x: { childId: string }) => x.childId)).toEqual([sibling.id]);
    expect(r.data.stepUpToSocialCare.earlyHelpEpisode).toMatchObject({ status: 'REQUESTED', outcome: null, version: 2 });
    expect(await episodeRow(episode.id)).toMatchObject({ status: 'REQUESTED', outcome: null, closed_on: null, version: 2 });
  });

  it("keeps the episode open while some children stay in early help; it closes STEPPED_UP when the last one is stepped up", async () => {
    const { first, second, episode } = await familyInWork();
    const r = await api.run(STEP_UP, { input: stepUpInput(episode, { childIds: [second.id] }) }, c.earlyHelp);
    expect(r.errors).toBeUndefined();
    expect(r.data.stepUpToSocialCare.earlyHelpEpisode).toEqual({ id: episode.id, status: 'IN_WORK', outcome: null, closedOn: null, version: 2 });
    expect(r.data.stepUpToSocialCare.referrals).toMatchObject([{ childId: second.id, sourceCode: '5D', earlyHelpEpisode: { id: episode.id } }]);
    // Audited as stepped up for that child; nothing closed: the provider keeps working with the family.
    expect((await given.auditRows('earlyHelp.steppedUp', episode.id)).map((a) => a.child_id)).toEqual([second.id]);
    expect(await given.auditRows('earlyHelp.closed')).toHaveLength(0);
    const [provider] = await api.db.query(`SELECT status FROM early_help_referral WHERE episode_id = $1`, [episode.id]);
    expect(provider.status).toBe('ACCEPTED');
    expect((await api.run(EPISODE, { id: episode.id }, c.providerPractitioner)).data?.earlyHelpEpisode).toEqual({ id: episode.id, status: 'IN_WORK' });

    // A child already stepped up from this episode is not stepped up twice.
    const twice = await api.run(STEP_UP, { input: stepUpInput({ id: episode.id, version: 2 }, { childIds: [second.id] }) }, c.earlyHelp);
    expect(fieldsOf(twice)).toEqual(['childIds']);
    expect(await given.count('referral')).toBe(1);

    // By default the rest are stepped up, and then the episode closes STEPPED_UP.
    const rest = await api.run(STEP_UP, { input: stepUpInput({ id: episode.id, version: 2 }) }, c.earlyHelp);
    expect(rest.errors).toBeUndefined();
    expect(rest.data.stepUpToSocialCare.referrals.map((x: { childId: string }) => x.childId)).toEqual([first.id]);
    expect(rest.data.stepUpToSocialCare.earlyHelpEpisode).toMatchObject({ status: 'CLOSED', outcome: 'STEPPED_UP', version: 3 });
    expect(await given.auditRows('earlyHelp.closed', episode.id)).toHaveLength(1);
    expect(codeOf(await api.run(EPISODE, { id: episode.id }, c.providerPractitioner))).toBe('NOT_FOUND');
  });

  it('refuses a stale version and a closed episode, writing nothing', async () => {
    const { episode } = await familyInWork();
    expect(codeOf(await api.run(STEP_UP, { input: stepUpInput(episode, { expectedVersion: 2 }) }, c.earlyHelp))).toBe('STALE_VERSION');
    const child = await given.child();
    const closed = await suite.eh.episode({
      childIds: [child.id], status: 'CLOSED', providerId: c.provider.id, contractId: suite.p.contractOne.id, requestedOn: daysAgo(30),
    });
    expect(codeOf(await api.run(STEP_UP, { input: stepUpInput(closed) }, c.earlyHelp))).toBe('EARLY_HELP_WRONG_STAGE');
    expect(await stepUpWrites()).toEqual(nothingWritten);
    expect(await episodeRow(episode.id)).toMatchObject({ status: 'IN_WORK', version: 1 });
  });
});

/** An open social care episode for a child held by team A, in a household, with an authorised assessment (set up by SQL). */
async function socialCareEpisode(opts: { teamId?: string; assessment?: 'AUTHORISED' | 'COMPLETED' | null } = {}) {
  const child = await given.child({ teamId: opts.teamId ?? c.teamA.id, workerId: c.socialWorker.id });
  const family = await given.family([child.id]);
  const start = daysAgo(20);
  const referral = await given.referral(child.id, { receivedAt: `${start}T10:00:00Z`, decided: true });
  const [episode] = await api.db.query(
    `INSERT INTO episode (child_id, referral_id, start_date, referral_source, primary_need_code) VALUES ($1, $2, $3, '2A', 'N1')
     RETURNING id, version`,
    [child.id, referral.id, start],
  );
  let assessmentId: string | null = null;
  const status = opts.assessment === undefined ? 'AUTHORISED' : opts.assessment;
  if (status) {
    const [a] = await api.db.query(
      `INSERT INTO assessment (child_id, episode_id, status, start_date, due_date, completed_date, authorised_date, authorised_by_id, factors,
                               risks, strengths, protective_factors, childs_views, analysis, outcome)
       VALUES ($1, $2, $3, $4, haven_add_working_days($4::date, 45), $5, $6, $7, '{3B}', $8, $8, $8, $8, $8, 'EARLY_HELP') RETURNING id`,
      [child.id, episode.id, status, start, daysAgo(2), status === 'AUTHORISED' ? daysAgo(1) : null,
        status === 'AUTHORISED' ? c.teamManager.id : null, 'Set-up text of more than twenty chars'],
    );
    assessmentId = a.id;
  }
  return { child, family, episode: episode as { id: string; version: number }, assessmentId };
}

const stepDownInput = (episode: { id: string; version: number }, over: Record<string, unknown> = {}) => ({
  episodeId: episode.id, expectedVersion: episode.version, closureDate: londonToday(),
  reason: 'Assessment found needs that early help can meet', needs: ['EDUCATION', 'HEALTH', 'FAMILY_RELATIONSHIPS'], ...over,
});

async function stepDownWrites() {
  return {
    earlyHelp: await given.count('early_help_episode'),
    closedEpisodes: Number((await api.db.query(`SELECT count(*) AS n FROM episode WHERE closure_date IS NOT NULL`))[0].n),
    steppedDown: (await given.auditRows('earlyHelp.steppedDown')).length,
  };
}
const nothingSteppedDown = { earlyHelp: 0, closedEpisodes: 0, steppedDown: 0 };

describe('stepDownToEarlyHelp', () => {
  it('refuses an anonymous caller and roles without earlyhelp:stepDown, writing nothing', async () => {
    const { episode } = await socialCareEpisode();
    expect(codeOf(await api.run(STEP_DOWN, { input: stepDownInput(episode) }))).toBe('UNAUTHENTICATED');
    for (const who of [c.earlyHelp, c.frontDoor, c.conferenceChair, c.providerManager, c.analyst, c.admin]) {
      expect(codeOf(await api.run(STEP_DOWN, { input: stepDownInput(episode) }, who))).toBe('FORBIDDEN');
    }
    expect(await stepDownWrites()).toEqual(nothingSteppedDown);
  });

  it("answers NOT_FOUND for another team's episode, exactly as for a missing one, audited", async () => {
    const { episode } = await socialCareEpisode({ teamId: c.teamB.id });
    const hidden = await api.run(STEP_DOWN, { input: stepDownInput(episode) }, c.socialWorker);
    const missing = await api.run(STEP_DOWN, { input: stepDownInput({ id: randomUUID(), version: 1 }) }, c.socialWorker);
    expect(codeOf(hidden)).toBe('NOT_FOUND');
    expect(hidden.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(await stepDownWrites()).toEqual(nothingSteppedDown);
    expect((await given.auditRows('episode.changeDenied', episode.id)).map((a) => a.result)).toEqual(['DENIED']);
  });

  it('refuses invalid input with the fields at fault, writing nothing', async () => {
    const { episode } = await socialCareEpisode();
    const bad = await api.run(STEP_DOWN, {
      input: stepDownInput(episode, { expectedVersion: 0, reason: ' ', needs: [], episodeId: 'x' }),
    }, c.socialWorker);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(bad)).toEqual(['episodeId', 'expectedVersion', 'needs', 'reason']);
    const twice = await api.run(STEP_DOWN, { input: stepDownInput(episode, { needs: ['HEALTH', 'HEALTH'] }) }, c.socialWorker);
    expect(fieldsOf(twice)).toEqual(['needs']);
    const future = await api.run(STEP_DOWN, { input: stepDownInput(episode, { closureDate: '2099-01-01' }) }, c.socialWorker);
    expect(fieldsOf(future)).toEqual(['closureDate']);
    expect(await stepDownWrites()).toEqual(nothingSteppedDown);
  });

  it('refuses an episode without an authorised assessment (EARLY_HELP_STEP_DOWN_NEEDS_ASSESSMENT), writing nothing', async () => {
    for (const assessment of [null, 'COMPLETED'] as const) {
      const { episode } = await socialCareEpisode({ assessment });
      const r = await api.run(STEP_DOWN, { input: stepDownInput(episode) }, c.socialWorker);
      expect(codeOf(r)).toBe('EARLY_HELP_STEP_DOWN_NEEDS_ASSESSMENT');
    }
    expect(await stepDownWrites()).toEqual(nothingSteppedDown);
  });

  it('closes the episode with RC9 and requests early help for the household with the assessment attached, audited', async () => {
    const { child, family, episode, assessmentId } = await socialCareEpisode();
    const r = await api.run(STEP_DOWN, { input: stepDownInput(episode) }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    const out = r.data.stepDownToEarlyHelp;
    expect(out.episode).toEqual({ id: episode.id, closureDate: londonToday(), closureReason: 'RC9', version: 2 });
    expect(out.earlyHelpEpisode).toMatchObject({
      status: 'REQUESTED', familyId: family.id, primaryChildId: child.id, requesterRole: 'Social worker',
      requesterAgency: "Children's social care", needs: ['EDUCATION', 'HEALTH', 'FAMILY_RELATIONSHIPS'],
      steppedDownFromEpisodeId: episode.id, steppedDownAssessmentId: assessmentId,
      steppedDownFromEpisode: { id: episode.id, closureReason: 'RC9' }, steppedDownAssessment: { id: assessmentId, status: 'AUTHORISED' },
      children: [{ id: child.id }],
    });
    expect(out.earlyHelpEpisode.requesterName).toContain('SOCIAL_WORKER');
    expect(await given.auditRows('episode.closed', episode.id)).toHaveLength(1);
    const audit = await given.auditRows('earlyHelp.steppedDown', out.earlyHelpEpisode.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.socialWorker.id, child_id: child.id, result: 'ALLOWED' });
  });

  it('records the consents given with it, and refuses one dated in the future with the field at fault', async () => {
    const { episode } = await socialCareEpisode();
    const consent = (kind: string, givenOn: string) => ({
      kind, givenBy: 'Parent Testcase', relationship: 'MOTHER', givenOn, scope: 'Support from early help and sharing with the provider',
    });
    const future = await api.run(STEP_DOWN, {
      input: stepDownInput(episode, { consents: [consent('SUPPORT', londonToday()), consent('SHARING', '2099-01-01')] }),
    }, c.socialWorker);
    expect(fieldsOf(future)).toEqual(['consents.1.givenOn']);
    expect(await stepDownWrites()).toEqual(nothingSteppedDown);
    const r = await api.run(STEP_DOWN, {
      input: stepDownInput(episode, { consents: [consent('SUPPORT', londonToday()), consent('SHARING', londonToday())] }),
    }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    const rows = await api.db.query(`SELECT kind FROM early_help_consent WHERE episode_id = $1 ORDER BY kind`, [r.data.stepDownToEarlyHelp.earlyHelpEpisode.id]);
    expect(rows.map((x: { kind: string }) => x.kind)).toEqual(['SHARING', 'SUPPORT']);
  });

  it('refuses a child already in open early help (EARLY_HELP_ALREADY_OPEN) and leaves the episode open: one transaction', async () => {
    const { child, episode } = await socialCareEpisode();
    await suite.eh.episode({ childIds: [child.id] });
    const r = await api.run(STEP_DOWN, { input: stepDownInput(episode) }, c.socialWorker);
    expect(codeOf(r)).toBe('EARLY_HELP_ALREADY_OPEN');
    expect(await stepDownWrites()).toEqual({ ...nothingSteppedDown, earlyHelp: 1 });
    expect(await given.auditRows('episode.closed')).toHaveLength(0);
  });

  it('opens the request for an episode already closed RC9 by authorising its assessment (outcome EARLY_HELP), once only', async () => {
    const { child, episode } = await socialCareEpisode({ assessment: 'COMPLETED' });
    const [assessment] = await api.db.query(`SELECT id, version FROM assessment WHERE episode_id = $1`, [episode.id]);
    const authorised = await api.run(
      `mutation($input: AuthoriseAssessmentInput!) { authoriseAssessment(input: $input) { id status } }`,
      { input: { id: assessment.id, expectedVersion: assessment.version } }, c.teamManager,
    );
    expect(authorised.errors).toBeUndefined();
    const [closedRow] = await api.db.query(`SELECT closure_date, closure_reason, version FROM episode WHERE id = $1`, [episode.id]);
    expect(closedRow.closure_reason).toBe('RC9');
    const closed = { id: episode.id, version: closedRow.version };

    // A different closure date than the one recorded, or a stale version, is refused and writes nothing.
    const otherDate = await api.run(STEP_DOWN, { input: stepDownInput(closed, { closureDate: daysAgo(3) }) }, c.socialWorker);
    expect(fieldsOf(otherDate)).toEqual(['closureDate']);
    const stale = await api.run(STEP_DOWN, { input: stepDownInput(closed, { closureDate: null, expectedVersion: 1 }) }, c.socialWorker);
    expect(codeOf(stale)).toBe('STALE_VERSION');
    expect(await given.count('early_help_episode')).toBe(0);

    const r = await api.run(STEP_DOWN, { input: stepDownInput(closed, { closureDate: null }) }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.stepDownToEarlyHelp.episode).toMatchObject({ id: episode.id, closureReason: 'RC9', version: closed.version });
    expect(r.data.stepDownToEarlyHelp.earlyHelpEpisode).toMatchObject({
      status: 'REQUESTED', primaryChildId: child.id, steppedDownFromEpisodeId: episode.id, steppedDownAssessmentId: assessment.id,
    });
    expect(await given.auditRows('episode.closed', episode.id)).toHaveLength(1);

    const again = await api.run(STEP_DOWN, { input: stepDownInput(closed, { closureDate: null }) }, c.socialWorker);
    expect(codeOf(again)).toBe('EARLY_HELP_WRONG_STAGE');
    expect(await given.count('early_help_episode')).toBe(1);
  });

  it('requires a closure date to close an open episode', async () => {
    const { episode } = await socialCareEpisode();
    const r = await api.run(STEP_DOWN, { input: stepDownInput(episode, { closureDate: null }) }, c.socialWorker);
    expect(fieldsOf(r)).toEqual(['closureDate']);
    expect(await stepDownWrites()).toEqual(nothingSteppedDown);
  });

  it('refuses a stale version, writing nothing', async () => {
    const { episode } = await socialCareEpisode();
    const r = await api.run(STEP_DOWN, { input: stepDownInput(episode, { expectedVersion: 2 }) }, c.socialWorker);
    expect(codeOf(r)).toBe('STALE_VERSION');
    expect(await stepDownWrites()).toEqual(nothingSteppedDown);
  });
});

describe('one child record across step-up and step-down', () => {
  it('keeps one child and one chronology from early help, through the 5D referral and RC9 closure, to the new request', async () => {
    const child = await given.child();
    await given.family([child.id]);
    const episode = await suite.eh.episode({
      childIds: [child.id], status: 'IN_WORK', providerId: c.provider.id, contractId: suite.p.contractOne.id,
      leadId: c.providerPractitioner.id, requestedOn: daysAgo(30),
    });
    const up = await api.run(STEP_UP, { input: stepUpInput(episode) }, c.earlyHelp);
    expect(up.errors).toBeUndefined();
    const referralId = up.data.stepUpToSocialCare.referrals[0].id;

    // The front door decides and allocates; social care assesses (authorised, set up by SQL) and steps down.
    expect((await api.run(DECIDE, {
      input: { id: referralId, expectedVersion: 1, decision: 'ASSESSMENT', reason: 'Needs a child and family assessment' },
    }, c.frontDoor)).errors).toBeUndefined();
    expect((await api.run(ALLOCATE, {
      input: { childId: child.id, teamId: c.teamA.id, workerId: c.socialWorker.id, reason: 'For assessment', expectedVersion: 0 },
    }, c.frontDoor)).errors).toBeUndefined();
    const [socialCare] = await api.db.query(`SELECT id, version, referral_source FROM episode WHERE child_id = $1`, [child.id]);
    expect(socialCare.referral_source).toBe('5D');
    const [assessment] = await api.db.query(
      `INSERT INTO assessment (child_id, episode_id, status, start_date, due_date, completed_date, authorised_date, authorised_by_id,
                               factors, risks, strengths, protective_factors, childs_views, analysis, outcome)
       VALUES ($1, $2, 'AUTHORISED', $3, haven_add_working_days($3::date, 45), $3, $3, $4, '{3B}', $5, $5, $5, $5, $5, 'EARLY_HELP')
       RETURNING id`,
      [child.id, socialCare.id, londonToday(), c.teamManager.id, 'Set-up text of more than twenty chars'],
    );
    const down = await api.run(STEP_DOWN, { input: stepDownInput(socialCare) }, c.socialWorker);
    expect(down.errors).toBeUndefined();
    const next = down.data.stepDownToEarlyHelp.earlyHelpEpisode;

    const [{ n: records }] = await api.db.query(
      `SELECT count(DISTINCT child_id)::int AS n FROM (SELECT child_id FROM referral UNION ALL SELECT child_id FROM episode
        UNION ALL SELECT child_id FROM early_help_child) x`,
    );
    expect(records).toBe(1);
    expect(await given.count('child')).toBe(1);

    const chronology = await api.run(CHRONOLOGY, { id: child.id }, c.socialWorker);
    expect(chronology.errors).toBeUndefined();
    const events = chronology.data.chronology.edges.map((e: { node: { id: string; kind: string; summary: string } }) => e.node);
    const ids = events.map((e: { id: string }) => e.id);
    for (const id of [
      `EARLY_HELP_REQUESTED:${episode.id}`, `EARLY_HELP_CLOSED:${episode.id}`, `REFERRAL_RECEIVED:${referralId}`,
      `REFERRAL_DECIDED:${referralId}`, `EPISODE_OPENED:${socialCare.id}`, `ASSESSMENT_AUTHORISED:${assessment.id}`,
      `EPISODE_CLOSED:${socialCare.id}`, `EARLY_HELP_REQUESTED:${next.id}`,
    ]) {
      expect(ids).toContain(id);
    }
    const summary = (id: string) => events.find((e: { id: string }) => e.id === id).summary;
    expect(summary(`EARLY_HELP_CLOSED:${episode.id}`)).toBe('Early help closed: stepped up');
    expect(summary(`REFERRAL_RECEIVED:${referralId}`)).toContain('source 5D');
    expect(summary(`EPISODE_CLOSED:${socialCare.id}`)).toBe('Episode of need closed (RC9)');
    expect(summary(`EARLY_HELP_REQUESTED:${next.id}`)).toContain('stepped down from social care');
    expect(summary(`EARLY_HELP_REQUESTED:${episode.id}`)).not.toContain('stepped down');
  });
});

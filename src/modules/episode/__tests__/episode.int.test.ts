import { randomUUID } from 'node:crypto';
import { codeOf, GqlResult, TestApi } from '../../../../test/api';
import { Council, Suite, useCouncilSuite } from '../../../../test/factories';

const DECIDE = `mutation($input: DecideReferralInput!) { decideReferral(input: $input) { id decision version } }`;
const CLOSE = `mutation($input: CloseEpisodeInput!) { closeEpisode(input: $input) {
  id childId startDate referralSource primaryNeedCode closureDate closureReason open version } }`;
const EPISODES = `query($id: ID!) { child(id: $id) { id episodes {
  id childId startDate referralSource primaryNeedCode closureDate closureReason open version } } }`;

const suite = useCouncilSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});

const fieldsOf = (r: GqlResult) => (r.errors?.[0].extensions?.fields ?? []).map((f) => f.field).sort();

/** The London calendar date, computed independently of the code under test. */
function londonToday(): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date());
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}
const plusDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const decideInput = (id: string, decision = 'ASSESSMENT', expectedVersion = 1) => ({
  id, expectedVersion, decision, reason: 'Threshold for a child and family assessment is met',
});

// ---- set-up by SQL (the behaviour under test always goes through GraphQL) ----

async function givenEpisode(childId: string, startDate: string, closed?: { on: string; reason: string }) {
  const referral = await given.referral(childId, { receivedAt: `${startDate}T10:00:00Z`, decided: true });
  const [row] = await api.db.query(
    `INSERT INTO episode (child_id, referral_id, start_date, referral_source, primary_need_code, closure_date, closure_reason)
     VALUES ($1, $2, $3, '2A', 'N1', $4, $5) RETURNING id, version`,
    [childId, referral.id, startDate, closed?.on ?? null, closed?.reason ?? null],
  );
  return { id: row.id as string, version: row.version as number, referralId: referral.id, startDate };
}

async function givenPlan(childId: string, episodeId: string, type: string, status = 'ACTIVE') {
  await api.db.query(
    `INSERT INTO plan (child_id, episode_id, type, status, start_date, contingency, family_summary)
     VALUES ($1, $2, $3, $4, '2026-02-01', 'Legal planning meeting if no change', 'What we are all going to do')`,
    [childId, episodeId, type, status],
  );
}

async function givenSection47(childId: string, episodeId: string, status: 'OPEN' | 'CONCLUDED') {
  const [sd] = await api.db.query(
    `INSERT INTO strategy_discussion (child_id, episode_id, held_on, participants, decision, rationale)
     VALUES ($1, $2, '2026-02-02', '[]', 'START_SECTION_47', 'Disclosure of physical harm') RETURNING id`,
    [childId, episodeId],
  );
  await api.db.query(
    `INSERT INTO section47 (child_id, episode_id, strategy_discussion_id, start_date, icpc_target_date, status)
     VALUES ($1, $2, $3, '2026-02-02', '2026-02-23', $4)`,
    [childId, episodeId, sd.id, status],
  );
}

async function givenAssessment(childId: string, episodeId: string, status: string) {
  await api.db.query(
    `INSERT INTO assessment (child_id, episode_id, status, start_date, due_date) VALUES ($1, $2, $3, '2026-02-02', '2026-03-30')`,
    [childId, episodeId, status],
  );
}

async function episodeRow(id: string) {
  const [row] = await api.db.query(`SELECT closure_date, closure_reason, version FROM episode WHERE id = $1`, [id]);
  return row;
}
const OPEN_V1 = { closure_date: null, closure_reason: null, version: 1 };

async function episodesOf(childId: string) {
  return api.db.query(
    `SELECT child_id, referral_id, start_date, referral_source, primary_need_code, closure_date FROM episode WHERE child_id = $1`,
    [childId],
  );
}

const closeInput = (id: string, over: Record<string, unknown> = {}) => ({
  id, expectedVersion: 1, closureDate: londonToday(), reason: 'RC7', ...over,
});

describe('opening an episode of need when a referral is decided', () => {
  it('opens one episode for an ASSESSMENT decision, from the referral, with its audit row', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const referral = await given.referral(child.id, { receivedAt: '2026-10-05T09:00:00Z' });
    const r = await api.run(DECIDE, { input: decideInput(referral.id) }, c.teamManager);
    expect(r.errors).toBeUndefined();
    expect(await episodesOf(child.id)).toEqual([{
      child_id: child.id, referral_id: referral.id, start_date: '2026-10-05', referral_source: '2A', primary_need_code: 'N1',
      closure_date: null,
    }]);
    const [episode] = await api.db.query(`SELECT id FROM episode WHERE child_id = $1`, [child.id]);
    const audit = await given.auditRows('episode.opened', episode.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.teamManager.id, child_id: child.id, result: 'ALLOWED' });
    expect([...audit[0].fields].sort()).toEqual(['primaryNeedCode', 'referralId', 'referralSource', 'startDate']);
  });

  it('does not open a second episode while one is open', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const first = await given.referral(child.id, { receivedAt: '2026-10-05T09:00:00Z' });
    const second = await given.referral(child.id, { receivedAt: '2026-10-20T09:00:00Z' });
    expect((await api.run(DECIDE, { input: decideInput(first.id) }, c.teamManager)).errors).toBeUndefined();
    const again = await api.run(DECIDE, { input: decideInput(second.id) }, c.teamManager);
    expect(again.errors).toBeUndefined();
    expect(again.data.decideReferral).toMatchObject({ decision: 'ASSESSMENT', version: 2 });
    const episodes = await episodesOf(child.id);
    expect(episodes).toHaveLength(1);
    expect(episodes[0]).toMatchObject({ referral_id: first.id, start_date: '2026-10-05' });
    expect(await given.auditRows('episode.opened')).toHaveLength(1);
  });

  it('opens one for a STRATEGY_DISCUSSION decision, and none for NO_FURTHER_ACTION or EARLY_HELP', async () => {
    const strategy = await given.child({ teamId: c.teamA.id });
    const nfa = await given.child({ teamId: c.teamA.id });
    const earlyHelp = await given.child({ teamId: c.teamA.id });
    const decide = async (childId: string, decision: string) => {
      const referral = await given.referral(childId, { receivedAt: '2026-10-05T09:00:00Z' });
      expect((await api.run(DECIDE, { input: decideInput(referral.id, decision) }, c.teamManager)).errors).toBeUndefined();
    };
    await decide(strategy.id, 'STRATEGY_DISCUSSION');
    await decide(nfa.id, 'NO_FURTHER_ACTION');
    await decide(earlyHelp.id, 'EARLY_HELP');
    expect(await episodesOf(strategy.id)).toHaveLength(1);
    expect(await episodesOf(nfa.id)).toHaveLength(0);
    expect(await episodesOf(earlyHelp.id)).toHaveLength(0);
    expect(await given.auditRows('episode.opened')).toHaveLength(1);
  });

  it('refuses a referral dated inside an earlier closed episode (EPISODE_OVERLAPS), and the decision with it', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    await givenEpisode(child.id, '2026-03-02', { on: '2026-06-30', reason: 'RC7' });
    const inside = await given.referral(child.id, { receivedAt: '2026-05-11T09:00:00Z' });
    const r = await api.run(DECIDE, { input: decideInput(inside.id) }, c.teamManager);
    expect(codeOf(r)).toBe('EPISODE_OVERLAPS');
    const [referral] = await api.db.query(`SELECT decision, version FROM referral WHERE id = $1`, [inside.id]);
    expect(referral).toEqual({ decision: null, version: 1 });
    expect(await episodesOf(child.id)).toHaveLength(1);
    expect(await given.auditRows('referral.decided')).toHaveLength(0);
    expect(await given.auditRows('episode.opened')).toHaveLength(0);
  });

  it('opens a new episode after the last one closed; Child.episodes lists them newest first', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const old = await givenEpisode(child.id, '2026-03-02', { on: '2026-06-30', reason: 'RC7' });
    const later = await given.referral(child.id, { receivedAt: '2026-09-14T09:00:00Z' });
    expect((await api.run(DECIDE, { input: decideInput(later.id) }, c.teamManager)).errors).toBeUndefined();
    const r = await api.run(EPISODES, { id: child.id }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.child.episodes.map((e: { startDate: string; open: boolean }) => [e.startDate, e.open])).toEqual([
      ['2026-09-14', true], ['2026-03-02', false],
    ]);
    expect(r.data.child.episodes[1]).toMatchObject({ id: old.id, closureDate: '2026-06-30', closureReason: 'RC7', version: 1 });
  });
});

describe('Child.episodes', () => {
  it("is read after the child's view is audited, and only by people who may read the record", async () => {
    const child = await given.child({ teamId: c.teamA.id });
    await givenEpisode(child.id, '2026-03-02');
    const r = await api.run(EPISODES, { id: child.id }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.child.episodes).toHaveLength(1);
    expect(r.data.child.episodes[0]).toMatchObject({ referralSource: '2A', primaryNeedCode: 'N1', open: true, closureDate: null });
    expect(await given.auditRows('child.viewed', child.id)).toHaveLength(1);
    expect(codeOf(await api.run(EPISODES, { id: child.id }, c.otherSocialWorker))).toBe('NOT_FOUND');
    for (const who of [c.analyst, c.admin]) {
      expect(codeOf(await api.run(EPISODES, { id: child.id }, who))).toBe('FORBIDDEN');
    }
    // Provider staff reach only children referred to their organisation (and never Child.episodes: see provider isolation).
    expect(codeOf(await api.run(EPISODES, { id: child.id }, c.providerPractitioner))).toBe('NOT_FOUND');
  });
});

describe('closeEpisode', () => {
  it('refuses an anonymous caller and writes nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const episode = await givenEpisode(child.id, '2026-03-02');
    expect(codeOf(await api.run(CLOSE, { input: closeInput(episode.id) }))).toBe('UNAUTHENTICATED');
    expect(await episodeRow(episode.id)).toEqual(OPEN_V1);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses roles without episode:close, auditing each denial', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const episode = await givenEpisode(child.id, '2026-03-02');
    for (const who of [c.frontDoor, c.earlyHelp, c.conferenceChair, c.providerPractitioner, c.analyst, c.admin]) {
      expect(codeOf(await api.run(CLOSE, { input: closeInput(episode.id) }, who))).toBe('FORBIDDEN');
    }
    expect(await episodeRow(episode.id)).toEqual(OPEN_V1);
    expect(await given.auditRows('access.denied')).toHaveLength(6);
    expect(await given.auditRows('episode.closed')).toHaveLength(0);
  });

  it("answers NOT_FOUND for another team's child, as for a missing episode, auditing the refusal and writing nothing", async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const episode = await givenEpisode(child.id, '2026-03-02');
    const forbidden = await api.run(CLOSE, { input: closeInput(episode.id) }, c.otherSocialWorker);
    const missing = await api.run(CLOSE, { input: closeInput(randomUUID()) }, c.otherSocialWorker);
    expect(codeOf(forbidden)).toBe('NOT_FOUND');
    expect(codeOf(missing)).toBe('NOT_FOUND');
    expect(forbidden.errors?.[0].message).toBe(missing.errors?.[0].message);
    const restricted = await given.child({ teamId: c.teamA.id, restrictedTo: [c.teamManager.id] });
    const hidden = await givenEpisode(restricted.id, '2026-03-02');
    expect(codeOf(await api.run(CLOSE, { input: closeInput(hidden.id) }, c.socialWorker))).toBe('NOT_FOUND');
    expect(await episodeRow(episode.id)).toEqual(OPEN_V1);
    expect(await episodeRow(hidden.id)).toEqual(OPEN_V1);
    expect(await given.auditRows('episode.closed')).toHaveLength(0);
    expect((await given.auditRows('episode.changeDenied', episode.id)).map((a) => a.result)).toEqual(['DENIED']);
    expect((await given.auditRows('child.changeDenied', child.id)).map((a) => a.result)).toEqual(['DENIED']);
    expect(await given.auditRows('episode.changeDenied')).toHaveLength(3);
  });

  it('refuses a bad reason and a version below 1 with the fields at fault, writing nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const episode = await givenEpisode(child.id, '2026-03-02');
    const r = await api.run(CLOSE, { input: closeInput(episode.id, { reason: 'RC10', expectedVersion: 0 }) }, c.socialWorker);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(['expectedVersion', 'reason']);
    expect(await episodeRow(episode.id)).toEqual(OPEN_V1);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it.each([
    ['before the start', '2026-03-01'],
    ['in the future', plusDays(londonToday(), 1)],
  ])('refuses a closure date %s, writing nothing', async (_label, closureDate) => {
    const child = await given.child({ teamId: c.teamA.id });
    const episode = await givenEpisode(child.id, '2026-03-02');
    const r = await api.run(CLOSE, { input: closeInput(episode.id, { closureDate }) }, c.socialWorker);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(['closureDate']);
    expect(await episodeRow(episode.id)).toEqual(OPEN_V1);
    expect(await given.auditRows('episode.closed')).toHaveLength(0);
  });

  it('closes the episode with its date and reason, audited', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const episode = await givenEpisode(child.id, '2026-03-02');
    await givenAssessment(child.id, episode.id, 'AUTHORISED');
    await givenPlan(child.id, episode.id, 'CHILD_IN_NEED', 'ENDED');
    const r = await api.run(CLOSE, { input: closeInput(episode.id, { closureDate: '2026-03-02' }) }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.closeEpisode).toEqual({
      id: episode.id, childId: child.id, startDate: '2026-03-02', referralSource: '2A', primaryNeedCode: 'N1',
      closureDate: '2026-03-02', closureReason: 'RC7', open: false, version: 2,
    });
    expect(await episodeRow(episode.id)).toEqual({ closure_date: '2026-03-02', closure_reason: 'RC7', version: 2 });
    const audit = await given.auditRows('episode.closed', episode.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.socialWorker.id, child_id: child.id, result: 'ALLOWED' });
    expect([...audit[0].fields].sort()).toEqual(['closureDate', 'closureReason']);
  });

  it('lets a service manager close any unrestricted episode', async () => {
    const child = await given.child({ teamId: c.teamB.id });
    const episode = await givenEpisode(child.id, '2026-03-02');
    const r = await api.run(CLOSE, { input: closeInput(episode.id, { reason: 'RC5' }) }, c.serviceManager);
    expect(r.errors).toBeUndefined();
    expect(await episodeRow(episode.id)).toEqual({ closure_date: londonToday(), closure_reason: 'RC5', version: 2 });
  });

  it('refuses a stale version and writes nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const episode = await givenEpisode(child.id, '2026-03-02');
    const r = await api.run(CLOSE, { input: closeInput(episode.id, { expectedVersion: 2 }) }, c.teamManager);
    expect(codeOf(r)).toBe('STALE_VERSION');
    expect(await episodeRow(episode.id)).toEqual(OPEN_V1);
    expect(await given.auditRows('episode.closed')).toHaveLength(0);
  });

  it('refuses to close an episode twice', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const episode = await givenEpisode(child.id, '2026-03-02', { on: '2026-04-01', reason: 'RC7' });
    const r = await api.run(CLOSE, { input: closeInput(episode.id) }, c.teamManager);
    expect(codeOf(r)).toBe('EPISODE_ALREADY_CLOSED');
    expect(await episodeRow(episode.id)).toEqual({ closure_date: '2026-04-01', closure_reason: 'RC7', version: 1 });
  });

  it.each([
    ['an active plan', 'EPISODE_HAS_OPEN_PLAN', (childId: string, episodeId: string) => givenPlan(childId, episodeId, 'CHILD_IN_NEED')],
    ['an open section 47 enquiry', 'EPISODE_HAS_OPEN_SECTION47', (childId: string, episodeId: string) => givenSection47(childId, episodeId, 'OPEN')],
    ['an assessment in progress', 'EPISODE_HAS_OPEN_ASSESSMENT', (childId: string, episodeId: string) => givenAssessment(childId, episodeId, 'IN_PROGRESS')],
    ['a completed assessment not yet authorised', 'EPISODE_HAS_OPEN_ASSESSMENT',
      (childId: string, episodeId: string) => givenAssessment(childId, episodeId, 'COMPLETED')],
  ])('refuses to close an episode with %s (%s), writing nothing', async (_label, code, setUp) => {
    const child = await given.child({ teamId: c.teamA.id });
    const episode = await givenEpisode(child.id, '2026-03-02');
    await setUp(child.id, episode.id);
    const r = await api.run(CLOSE, { input: closeInput(episode.id) }, c.socialWorker);
    expect(codeOf(r)).toBe(code);
    expect(await episodeRow(episode.id)).toEqual(OPEN_V1);
    expect(await given.auditRows('episode.closed')).toHaveLength(0);
  });

  it("does not count another episode's open work, or an early help plan", async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const old = await givenEpisode(child.id, '2026-01-05', { on: '2026-01-30', reason: 'RC7' });
    const episode = await givenEpisode(child.id, '2026-03-02');
    await givenAssessment(child.id, old.id, 'IN_PROGRESS');
    await api.db.query(
      `INSERT INTO plan (child_id, episode_id, type, status, start_date, contingency, family_summary)
       VALUES ($1, NULL, 'EARLY_HELP', 'ACTIVE', '2026-02-01', 'Step up if no change', 'Family plan')`,
      [child.id],
    );
    const r = await api.run(CLOSE, { input: closeInput(episode.id) }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.closeEpisode.open).toBe(false);
  });

  it.each([
    ['RC8', 'a section 47 enquiry', (childId: string, episodeId: string) => givenSection47(childId, episodeId, 'CONCLUDED')],
    ['RC9', 'a section 47 enquiry', (childId: string, episodeId: string) => givenSection47(childId, episodeId, 'CONCLUDED')],
    ['RC8', 'a CIN plan', (childId: string, episodeId: string) => givenPlan(childId, episodeId, 'CHILD_IN_NEED', 'ENDED')],
    ['RC9', 'a CP plan', (childId: string, episodeId: string) => givenPlan(childId, episodeId, 'CHILD_PROTECTION', 'ENDED')],
  ])('refuses %s (closed after assessment) for an episode that had %s', async (reason, _label, setUp) => {
    const child = await given.child({ teamId: c.teamA.id });
    const episode = await givenEpisode(child.id, '2026-03-02');
    await setUp(child.id, episode.id);
    const r = await api.run(CLOSE, { input: closeInput(episode.id, { reason }) }, c.socialWorker);
    expect(codeOf(r)).toBe('EPISODE_CLOSURE_REASON_INVALID');
    expect(await episodeRow(episode.id)).toEqual(OPEN_V1);
    expect(await given.auditRows('episode.closed')).toHaveLength(0);
    // The same episode may be closed for another reason.
    expect((await api.run(CLOSE, { input: closeInput(episode.id, { reason: 'RC7' }) }, c.socialWorker)).errors).toBeUndefined();
  });

  it.each(['RC8', 'RC9'])('accepts %s for an episode closed after assessment alone', async (reason) => {
    const child = await given.child({ teamId: c.teamA.id });
    const episode = await givenEpisode(child.id, '2026-03-02');
    await givenAssessment(child.id, episode.id, 'AUTHORISED');
    const r = await api.run(CLOSE, { input: closeInput(episode.id, { reason }) }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.closeEpisode).toMatchObject({ closureReason: reason, open: false });
  });
});

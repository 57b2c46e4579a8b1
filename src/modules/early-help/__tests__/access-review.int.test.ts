import { randomUUID } from 'node:crypto';
import { codeOf, useFixedClock } from '../../../../test/api';
import { useEarlyHelpSuite } from '../../../../test/early-help-factories';
import { RoleCode } from '../../identity/roles';
import { SUBMISSIONS } from '../agreement';

/**
 * Access defects found in review of early help, each closed: early help staff opening social care records by filing a
 * request, providers seeing other households, social care activity on the provider's waiting list, a provider reading
 * another provider's notes, every team manager seeing all early help, and the agreement read on the database's date.
 */
const s = useEarlyHelpSuite();
/** The service clock, fixed in the past: "today" is Wednesday 2025-06-04 (the database's current_date is later). */
const clock = useFixedClock(s, '2025-06-04T12:00:00Z');
const run = clock.run;

const CHILD = `query($id: ID!) { child(id: $id) { id firstName } }`;
const CHILD_FAMILIES = `query($id: ID!) { child(id: $id) { id families { id } } }`;
const FAMILY = `query($id: ID!) { family(id: $id) { id name } }`;
const PLAN = `query($id: ID!) { plan(id: $id) { id type } }`;
const EPISODE = `query($id: ID!) { earlyHelpEpisode(id: $id) { id status } }`;
const REQUEST = `mutation($input: RequestEarlyHelpInput!) { requestEarlyHelp(input: $input) { id status } }`;
const COMMISSION = `mutation($input: CommissionEarlyHelpInput!) { commissionEarlyHelp(input: $input) { id status } }`;
const CONCERN = `mutation($input: RaiseEarlyHelpConcernInput!) { raiseEarlyHelpConcern(input: $input) { replayed concern { id } } }`;
const WORK = `query($id: ID!) { earlyHelpEpisode(id: $id) { id
  concerns { description } meetings { decisions } assessments { reason } } }`;
const WAITING = `query($providerId: ID) { earlyHelpWaitingList(providerId: $providerId, first: 50) {
  totalCount edges { node { needsRetriage retriageReasons episode { id } } } } }`;

const requestInput = (childIds: string[]) => ({
  childIds,
  requester: { name: 'Ms Head', role: 'Designated safeguarding lead', agency: 'Oakfield Primary' },
  reason: 'Attendance has fallen and mother is struggling to cope',
  needs: ['EDUCATION', 'HEALTH'],
});

/** An open social care episode of need for the child (from a decided referral), with a child protection plan. */
async function inSocialCare(childId: string) {
  const referral = await s.given.referral(childId, { receivedAt: '2025-04-01T10:00:00Z', decided: true });
  const [episode] = await s.api.db.query(
    `INSERT INTO episode (child_id, referral_id, start_date, referral_source, primary_need_code) VALUES ($1, $2, '2025-04-01', '2A', 'N1')
     RETURNING id`,
    [childId, referral.id],
  );
  const [plan] = await s.api.db.query(
    `INSERT INTO plan (child_id, episode_id, type, start_date, contingency, family_summary, next_review_due, initial_category, latest_category)
     VALUES ($1, $2, 'CHILD_PROTECTION', '2025-05-01', 'Contingency for the plan', 'What we agreed', '2025-08-01', 'NEG', 'NEG') RETURNING id`,
    [childId, episode.id],
  );
  return { episodeId: episode.id as string, planId: plan.id as string };
}

const one = () => ({ providerId: s.c.provider.id, contractId: s.p.contractOne.id, leadId: s.c.providerPractitioner.id });
const two = () => ({ providerId: s.p.providerTwo.id, contractId: s.p.contractTwo.id, leadId: s.p.twoPractitioner.id });
const episodeIds = (r: { data?: any }) =>
  r.data.earlyHelpWaitingList.edges.map((e: { node: { episode: { id: string } } }) => e.node.episode.id) as string[];

describe('council early help and social care records', () => {
  it('refuses a request for support for a child with an open social care episode (EARLY_HELP_CHILD_IN_SOCIAL_CARE), writing nothing', async () => {
    const [child, sibling] = [await s.given.child(), await s.given.child()];
    const care = await inSocialCare(child.id);
    const r = await run(REQUEST, { input: requestInput([sibling.id, child.id]) }, s.c.earlyHelp);
    expect(codeOf(r)).toBe('EARLY_HELP_CHILD_IN_SOCIAL_CARE');
    expect(await s.given.count('early_help_episode')).toBe(0);
    expect(await s.given.auditRows('earlyHelp.requested')).toHaveLength(0);
    // The child's record stays closed to early help.
    expect(codeOf(await run(CHILD, { id: child.id }, s.c.earlyHelp))).toBe('NOT_FOUND');
    expect(codeOf(await run(PLAN, { id: care.planId }, s.c.earlyHelp))).toBe('NOT_FOUND');
    // Once the episode of need is closed, the request is taken.
    await s.api.db.query(`UPDATE episode SET closure_date = '2025-06-02', closure_reason = 'RC8' WHERE id = $1`, [care.episodeId]);
    expect((await run(REQUEST, { input: requestInput([sibling.id, child.id]) }, s.c.earlyHelp)).errors).toBeUndefined();
  });

  it('drops a child in early help from the early help practitioner’s full scope when social care opens an episode', async () => {
    const child = await s.given.child();
    const eh = await s.eh.episode({ childIds: [child.id], requestedOn: '2025-05-01' });
    expect((await run(CHILD, { id: child.id }, s.c.earlyHelp)).errors).toBeUndefined();
    const care = await inSocialCare(child.id);
    expect(codeOf(await run(CHILD, { id: child.id }, s.c.earlyHelp))).toBe('NOT_FOUND');
    expect(codeOf(await run(PLAN, { id: care.planId }, s.c.earlyHelp))).toBe('NOT_FOUND');
    expect((await s.given.auditRows('child.viewed', child.id)).map((a) => a.result)).toEqual(['ALLOWED', 'DENIED']);
    // The early help episode itself stays in the council's early help view.
    expect((await run(EPISODE, { id: eh.id }, s.c.earlyHelp)).data?.earlyHelpEpisode).toEqual({ id: eh.id, status: 'REQUESTED' });
  });
});

describe('provider households', () => {
  it('shows provider staff only the household referred to them, not another household of the same child', async () => {
    const child = await s.given.child();
    const referred = await s.given.family([child.id]);
    const other = await s.given.family([child.id]);
    await s.eh.episode({ childIds: [child.id], familyId: referred.id, status: 'IN_WORK', ...one(), requestedOn: '2025-05-01' });
    const who = s.c.providerPractitioner;
    expect((await run(FAMILY, { id: referred.id }, who)).data?.family).toMatchObject({ id: referred.id });
    const hidden = await run(FAMILY, { id: other.id }, who);
    expect(codeOf(hidden)).toBe('NOT_FOUND');
    expect(hidden.data?.family ?? null).toBeNull();
    const r = await run(CHILD_FAMILIES, { id: child.id }, who);
    expect(r.errors).toBeUndefined();
    expect(r.data.child.families).toEqual([{ id: referred.id }]);
    // The council still sees both.
    const council = await run(CHILD_FAMILIES, { id: child.id }, s.c.earlyHelp);
    expect(council.data.child.families.map((f: { id: string }) => f.id).sort()).toEqual([referred.id, other.id].sort());
  });
});

describe('the waiting list', () => {
  /** A waiting family of a new child, with a contact and a referral since the request, and concerns. */
  async function waiting(
    requestedOn: string,
    opts: { offered?: boolean; contact?: boolean; referral?: boolean; concerns?: { safeguarding: boolean; needsAdded: string[] }[] } = {},
  ) {
    const child = await s.given.child();
    const e = await s.eh.episode({ childIds: [child.id], status: opts.offered ? 'OFFERED' : 'REQUESTED', ...one(), requestedOn });
    if (opts.contact) {
      await s.api.db.query(
        `INSERT INTO contact (child_id, received_at, source_code, summary, outcome)
         VALUES ($1, '2025-06-02T09:00:00Z', '2A', 'Police attended an incident', 'INFORMATION_AND_ADVICE')`,
        [child.id],
      );
    }
    if (opts.referral) await s.given.referral(child.id, { receivedAt: '2025-06-03T09:00:00Z' });
    for (const k of opts.concerns ?? []) {
      await s.api.db.query(
        `INSERT INTO early_help_concern (episode_id, raised_at, safeguarding, description, needs_added, created_by_id)
         VALUES ($1, '2025-06-01T10:00:00Z', $2, 'Neighbour reports shouting late at night', $3, $4)`,
        [e.id, k.safeguarding, k.needsAdded, s.c.earlyHelp.id],
      );
    }
    return e;
  }

  it('flags needs escalated by a concern (safeguarding or not) that added needs while waiting', async () => {
    const a = await waiting('2025-05-26', { concerns: [{ safeguarding: false, needsAdded: ['HOUSING'] }, { safeguarding: false, needsAdded: [] }] });
    const b = await waiting('2025-05-27', { concerns: [{ safeguarding: true, needsAdded: ['DOMESTIC_ABUSE'] }] });
    const c = await waiting('2025-05-28', { concerns: [{ safeguarding: false, needsAdded: [] }] });
    const r = await run(WAITING, {}, s.c.earlyHelp);
    expect(r.errors).toBeUndefined();
    expect(r.data.earlyHelpWaitingList.edges.map((e: { node: object }) => e.node)).toEqual([
      { episode: { id: a.id }, needsRetriage: true, retriageReasons: ['NEEDS_ESCALATED'] },
      { episode: { id: b.id }, needsRetriage: true, retriageReasons: ['SAFEGUARDING_CONCERN', 'NEEDS_ESCALATED'] },
      { episode: { id: c.id }, needsRetriage: false, retriageReasons: [] },
    ]);
  });

  it('gives provider staff only the wait among the re-triage reasons, and needsRetriage from the wait alone', async () => {
    const escalated = { contact: true, referral: true, concerns: [{ safeguarding: true, needsAdded: ['DOMESTIC_ABUSE'] }] };
    const long = await waiting('2025-03-03', { offered: true, ...escalated });
    const recent = await waiting('2025-05-28', { offered: true, ...escalated });
    const council = await run(WAITING, {}, s.c.earlyHelp);
    const all = ['NEW_CONTACT', 'NEW_REFERRAL', 'SAFEGUARDING_CONCERN', 'NEEDS_ESCALATED'];
    expect(council.data.earlyHelpWaitingList.edges.map((e: { node: { retriageReasons: string[] } }) => e.node.retriageReasons)).toEqual([
      ['WAITED_TOO_LONG', ...all], all,
    ]);
    for (const who of [s.c.providerPractitioner, s.c.providerManager]) {
      const r = await run(WAITING, {}, who);
      expect(r.errors).toBeUndefined();
      expect(r.data.earlyHelpWaitingList.edges.map((e: { node: object }) => e.node)).toEqual([
        { episode: { id: long.id }, needsRetriage: true, retriageReasons: ['WAITED_TOO_LONG'] },
        { episode: { id: recent.id }, needsRetriage: false, retriageReasons: [] },
      ]);
    }
  });
});

describe("another provider's work on the same family", () => {
  it("hides Provider One's concerns and meetings from Provider Two, keeping the council's, the assessment and Provider Two's own", async () => {
    const child = await s.given.child();
    const e = await s.eh.episode({ childIds: [child.id], status: 'IN_WORK', ...two(), requestedOn: '2025-04-01' });
    // Provider One was offered the family first, raised a concern while it held the offer, and declined.
    await s.api.db.query(
      `INSERT INTO early_help_referral (episode_id, provider_id, contract_id, status, offered_at, decided_at, decline_reason)
       VALUES ($1, $2, $3, 'DECLINED', '2025-04-02T10:00:00Z', '2025-04-09T10:00:00Z', 'No capacity in the area')`,
      [e.id, s.c.provider.id, s.p.contractOne.id],
    );
    const concern = (by: string, text: string, at: string) =>
      s.api.db.query(
        `INSERT INTO early_help_concern (episode_id, raised_at, safeguarding, description, created_by_id) VALUES ($1, $2, false, $3, $4)`,
        [e.id, at, text, by],
      );
    await concern(s.c.providerPractitioner.id, 'Provider One: mother disclosed debts', '2025-04-05T10:00:00Z');
    await concern(s.c.earlyHelp.id, 'Council: school reports low attendance', '2025-04-06T10:00:00Z');
    await concern(s.p.twoPractitioner.id, 'Provider Two: housing disrepair', '2025-05-06T10:00:00Z');
    const meeting = (by: string, decisions: string, on: string) =>
      s.api.db.query(
        `INSERT INTO team_around_family_meeting (episode_id, held_on, attendees, family_present, decisions, created_by_id)
         VALUES ($1, $2, '[]', true, $3, $4)`,
        [e.id, on, decisions, by],
      );
    await meeting(s.c.providerManager.id, 'Provider One: meeting notes', '2025-04-07');
    await meeting(s.c.earlyHelp.id, 'Council: meeting notes', '2025-04-20');
    await meeting(s.p.twoManager.id, 'Provider Two: meeting notes', '2025-05-10');
    await s.api.db.query(
      `INSERT INTO early_help_assessment (episode_id, reason, needs, strengths, lived_experience, child_voice, analysis, started_on, created_by_id)
       VALUES ($1, 'Provider One: reason for assessment', '[]', 'S', 'L', 'V', 'A', '2025-04-05', $2)`,
      [e.id, s.c.providerPractitioner.id],
    );

    const theirs = await run(WORK, { id: e.id }, s.p.twoPractitioner);
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data.earlyHelpEpisode).toEqual({
      id: e.id,
      concerns: [{ description: 'Council: school reports low attendance' }, { description: 'Provider Two: housing disrepair' }],
      meetings: [{ decisions: 'Provider Two: meeting notes' }, { decisions: 'Council: meeting notes' }],
      assessments: [{ reason: 'Provider One: reason for assessment' }],
    });
    const council = await run(WORK, { id: e.id }, s.c.earlyHelp);
    expect(council.data.earlyHelpEpisode.concerns).toHaveLength(3);
    expect(council.data.earlyHelpEpisode.meetings).toHaveLength(3);
  });
});

describe('team managers and all early help', () => {
  it('gives all early help and commissioning to managers of an early help team only', async () => {
    const earlyHelpTeam = await s.given.team('EARLY_HELP', 'Early Help Hub');
    const ehManager = await s.given.account(RoleCode.TEAM_MANAGER, { teamId: earlyHelpTeam.id });
    const child = await s.given.child({ teamId: s.c.teamB.id });
    const e = await s.eh.episode({ childIds: [child.id], requestedOn: '2025-05-01' });
    const cinManager = s.c.teamManager;

    expect(codeOf(await run(WAITING, {}, cinManager))).toBe('FORBIDDEN');
    expect(codeOf(await run(EPISODE, { id: e.id }, cinManager))).toBe('NOT_FOUND');
    const commission = { episodeId: e.id, expectedVersion: e.version, providerId: s.c.provider.id };
    expect(codeOf(await run(COMMISSION, { input: commission }, cinManager))).toBe('FORBIDDEN');

    expect(episodeIds(await run(WAITING, {}, ehManager))).toEqual([e.id]);
    expect((await run(EPISODE, { id: e.id }, ehManager)).data?.earlyHelpEpisode).toEqual({ id: e.id, status: 'REQUESTED' });
    const r = await run(COMMISSION, { input: commission }, ehManager);
    expect(r.errors).toBeUndefined();
    expect(r.data.commissionEarlyHelp.status).toBe('OFFERED');
  });
});

describe("the provider's agreement", () => {
  it("is the one in force on the service calendar's today, not the database's", async () => {
    const child = await s.given.child();
    const e = await s.eh.episode({ childIds: [child.id], status: 'OFFERED', ...one(), requestedOn: '2025-05-01' });
    // In force only in 2025 (the service's today), without concerns among the submissions.
    await s.api.db.query(
      `INSERT INTO data_sharing_agreement (provider_id, reference, starts_on, ends_on, visible_fields, submissions)
       SELECT provider_id, 'DSA-2025', '2025-01-01', '2025-12-31', visible_fields, $2 FROM data_sharing_agreement WHERE provider_id = $1`,
      [s.c.provider.id, SUBMISSIONS.filter((x) => x !== 'raiseEarlyHelpConcern')],
    );
    const input = {
      episodeId: e.id, idempotencyKey: randomUUID(), safeguarding: false, description: 'Neighbour reports shouting late at night', needsAdded: [],
    };
    expect(codeOf(await run(CONCERN, { input }, s.c.providerPractitioner))).toBe('FORBIDDEN');
    expect(await s.given.count('early_help_concern')).toBe(0);
  });
});

import { codeOf, useFixedClock } from '../../../../test/api';
import { useEarlyHelpSuite } from '../../../../test/early-help-factories';

const LIST = `query($providerId: ID, $first: Int, $after: String) {
  earlyHelpWaitingList(providerId: $providerId, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { daysWaiting needsRetriage retriageReasons
      episode { id status requestedOn primaryChildId }
      provider { id name } providerCapacity { capacity inWork offered available } } } } }`;
const NESTED = `query($first: Int) { earlyHelpWaitingList(first: $first) { totalCount edges { node { daysWaiting retriageReasons
  episode { id children { id firstName } consents { kind } providerReferrals { status } concerns { safeguarding } provider { name } }
  provider { name capacity { available } } providerCapacity { available } } } } }`;

const s = useEarlyHelpSuite();
/** The service clock, fixed: "today" is Wednesday 2027-03-10. */
const clock = useFixedClock(s, '2027-03-10T12:00:00Z');
const run = clock.run;

type Node = {
  daysWaiting: number; needsRetriage: boolean; retriageReasons: string[]; episode: { id: string; status: string; requestedOn: string };
  provider: { id: string; name: string } | null; providerCapacity: { capacity: number; inWork: number; offered: number; available: number } | null;
};
const nodes = (r: { data?: any }) => r.data.earlyHelpWaitingList.edges.map((e: { node: Node }) => e.node) as Node[];

afterEach(async () => {
  await s.api.db.query(`UPDATE early_help_setting SET retriage_after_days = 28 WHERE id = 1`);
});

async function waiting(requestedOn: string, opts: { status?: 'REQUESTED' | 'OFFERED' | 'IN_WORK' | 'CLOSED'; provider?: 'one' | 'two' } = {}) {
  const child = await s.given.child();
  const two = opts.provider === 'two';
  const e = await s.eh.episode({
    childIds: [child.id], status: opts.status ?? 'REQUESTED', requestedOn,
    providerId: two ? s.p.providerTwo.id : s.c.provider.id, contractId: two ? s.p.contractTwo.id : s.p.contractOne.id,
    leadId: two ? s.p.twoPractitioner.id : s.c.providerPractitioner.id,
  });
  return { ...e, childId: child.id };
}

/**
 * Families at every stage: A waited 65 days; B offered to Provider One; C has a contact since its request; D a referral
 * since its request; E only its own step-up referral and a contact from before its request; F offered to Provider Two
 * with a safeguarding concern; G in work and H closed (not waiting).
 */
async function families() {
  const a = await waiting('2027-01-04');
  const b = await waiting('2027-02-20', { status: 'OFFERED' });
  const c = await waiting('2027-03-01');
  const d = await waiting('2027-03-02');
  const e = await waiting('2027-03-03');
  const f = await waiting('2027-03-04', { status: 'OFFERED', provider: 'two' });
  await waiting('2027-01-02', { status: 'IN_WORK' });
  await waiting('2027-01-03', { status: 'CLOSED' });
  const contact = (childId: string, at: string) =>
    s.api.db.query(
      `INSERT INTO contact (child_id, received_at, source_code, summary, outcome) VALUES ($1, $2, '2A', 'Police attended an incident', 'INFORMATION_AND_ADVICE')`,
      [childId, at],
    );
  await contact(c.childId, '2027-03-05T09:00:00Z');
  await contact(e.childId, '2027-02-10T09:00:00Z');
  await s.given.referral(d.childId, { receivedAt: '2027-03-08T09:00:00Z' });
  const stepUp = await s.given.referral(e.childId, { receivedAt: '2027-03-09T09:00:00Z' });
  await s.api.db.query(`UPDATE referral SET early_help_episode_id = $2 WHERE id = $1`, [stepUp.id, e.id]);
  await s.api.db.query(
    `INSERT INTO early_help_concern (episode_id, raised_at, safeguarding, description) VALUES ($1, '2027-03-06T10:00:00Z', true, 'Bruise seen at school')`,
    [f.id],
  );
  return { a, b, c, d, e, f };
}

describe('earlyHelpWaitingList', () => {
  it('refuses an anonymous caller and roles without earlyhelp:all or earlyhelp:shared', async () => {
    expect(codeOf(await run(LIST, {}))).toBe('UNAUTHENTICATED');
    // A team manager outside early help too (earlyhelp:all is for managers of an early help team).
    for (const who of [s.c.socialWorker, s.c.teamManager, s.c.frontDoor, s.c.conferenceChair, s.c.analyst, s.c.admin]) {
      expect(codeOf(await run(LIST, {}, who))).toBe('FORBIDDEN');
    }
    expect(await s.given.auditRows('earlyHelpEpisode.listed')).toHaveLength(0);
  });

  it('lists every waiting family, longest wait first, with days waiting and each re-triage reason, each row audited', async () => {
    const { a, b, c, d, e, f } = await families();
    const r = await run(LIST, {}, s.c.earlyHelp);
    expect(r.errors).toBeUndefined();
    expect(r.data.earlyHelpWaitingList.totalCount).toBe(6);
    expect(nodes(r).map((n) => [n.episode.id, n.episode.status, n.daysWaiting, n.retriageReasons])).toEqual([
      [a.id, 'REQUESTED', 65, ['WAITED_TOO_LONG']],
      [b.id, 'OFFERED', 18, []],
      [c.id, 'REQUESTED', 9, ['NEW_CONTACT']],
      [d.id, 'REQUESTED', 8, ['NEW_REFERRAL']],
      [e.id, 'REQUESTED', 7, []],
      [f.id, 'OFFERED', 6, ['SAFEGUARDING_CONCERN']],
    ]);
    expect(nodes(r).map((n) => n.needsRetriage)).toEqual([true, false, true, true, false, true]);
    expect(nodes(r)[0]).toMatchObject({ provider: null, providerCapacity: null });
    expect(nodes(r)[1]).toMatchObject({
      provider: { id: s.c.provider.id, name: 'Provider One' }, providerCapacity: { capacity: 10, inWork: 1, offered: 1, available: 8 },
    });
    const audit = await s.given.auditRows('earlyHelpEpisode.listed');
    expect(audit.map((x) => x.child_id).sort()).toEqual([a, b, c, d, e, f].map((x) => x.childId).sort());
    expect(audit.every((x) => x.actor_id === s.c.earlyHelp.id && x.result === 'ALLOWED')).toBe(true);
  });

  it('flags a wait by the configured number of days', async () => {
    const a = await waiting('2027-02-08');
    await s.api.db.query(`UPDATE early_help_setting SET retriage_after_days = 30 WHERE id = 1`);
    expect(nodes(await run(LIST, {}, s.c.earlyHelp))[0]).toMatchObject({ daysWaiting: 30, retriageReasons: [] });
    await s.api.db.query(`UPDATE early_help_setting SET retriage_after_days = 29 WHERE id = 1`);
    const [n] = nodes(await run(LIST, {}, s.c.earlyHelp));
    expect(n).toMatchObject({ episode: { id: a.id }, retriageReasons: ['WAITED_TOO_LONG'], needsRetriage: true });
  });

  it('pages by the wait with a keyset cursor, auditing only the rows returned', async () => {
    const { a, b, c, d, e, f } = await families();
    const first = await run(LIST, { first: 4 }, s.c.earlyHelp);
    expect(nodes(first).map((n) => n.episode.id)).toEqual([a.id, b.id, c.id, d.id]);
    expect(first.data.earlyHelpWaitingList.pageInfo.hasNextPage).toBe(true);
    expect(await s.given.auditRows('earlyHelpEpisode.listed')).toHaveLength(4);
    const next = await run(LIST, { first: 4, after: first.data.earlyHelpWaitingList.pageInfo.endCursor }, s.c.earlyHelp);
    expect(nodes(next).map((n) => n.episode.id)).toEqual([e.id, f.id]);
    expect(next.data.earlyHelpWaitingList).toMatchObject({ totalCount: 6, pageInfo: { hasNextPage: false } });
    expect(codeOf(await run(LIST, { after: 'bm90IGEgY3Vyc29y' }, s.c.earlyHelp))).toBe('BAD_USER_INPUT');
    expect(codeOf(await run(LIST, { first: 101 }, s.c.earlyHelp))).toBe('BAD_USER_INPUT');
  });

  it("filters the council's list by provider", async () => {
    const { b, f } = await families();
    expect(nodes(await run(LIST, { providerId: s.c.provider.id }, s.c.serviceManager)).map((n) => n.episode.id)).toEqual([b.id]);
    expect(nodes(await run(LIST, { providerId: s.p.providerTwo.id }, s.c.earlyHelp)).map((n) => n.episode.id)).toEqual([f.id]);
  });

  it('shows provider staff only the families offered to their organisation', async () => {
    const { b, f } = await families();
    const one = await run(LIST, {}, s.c.providerPractitioner);
    expect(one.errors).toBeUndefined();
    expect(one.data.earlyHelpWaitingList.totalCount).toBe(1);
    expect(nodes(one)).toEqual([expect.objectContaining({
      episode: expect.objectContaining({ id: b.id }), provider: { id: s.c.provider.id, name: 'Provider One' },
      providerCapacity: { capacity: 10, inWork: 1, offered: 1, available: 8 },
    })]);
    expect(nodes(await run(LIST, {}, s.p.twoManager)).map((n) => n.episode.id)).toEqual([f.id]);
    const other = await run(LIST, { providerId: s.p.providerTwo.id }, s.c.providerManager);
    expect(other.data.earlyHelpWaitingList).toMatchObject({ totalCount: 0, edges: [] });
    expect((await s.given.auditRows('earlyHelpEpisode.listed')).map((x) => x.child_id).sort()).toEqual([b.childId, f.childId].sort());
  });

  it('takes the same number of SQL statements for a page of 3 and of 12 families, nested relations included', async () => {
    for (let i = 0; i < 12; i++) {
      await waiting(`2027-02-${String(10 + i).padStart(2, '0')}`, { status: i % 3 === 0 ? 'REQUESTED' : 'OFFERED', provider: i % 2 ? 'two' : 'one' });
    }
    const counts: Record<number, number> = {};
    for (const first of [3, 12]) {
      s.api.resetStatements();
      const r = await run(NESTED, { first }, s.c.earlyHelp);
      expect(r.errors).toBeUndefined();
      expect(r.data.earlyHelpWaitingList.edges).toHaveLength(first);
      counts[first] = s.api.statements();
    }
    expect(counts[12]).toBe(counts[3]);
    console.log(`SQL statements for a nested waiting list page: 3 families -> ${counts[3]}, 12 families -> ${counts[12]}`);
  });
});

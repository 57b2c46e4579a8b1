import type { GqlResult, TestApi } from '../../../../test/api';
import type { Council, Suite } from '../../../../test/factories';
import { EarlyHelpSuite, useEarlyHelpSuite } from '../../../../test/early-help-factories';

const CASELOAD = `query($first: Int!, $after: String) { myCaseload(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { childId nextDueOn allocation { id } earlyHelpEpisode { id status } due { kind recordId dueOn } } } } }`;
const PROVIDER_CASELOAD = `{ myCaseload(first: 20) { totalCount edges { node { childId nextDueOn allocation { id }
  earlyHelpEpisode { id status } child { id firstName } due { kind dueOn } } } } }`;

const suite: EarlyHelpSuite = useEarlyHelpSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});

/** Work started on Monday 5 January 2026: assessment due 20 working days later, first TAF meeting 6 weeks later. */
const STARTED = '2026-01-05';
const ASSESSMENT_DUE = '2026-02-02';
const MEETING_DUE = '2026-02-16';

type Node = { childId: string; nextDueOn: string | null; allocation: { id: string } | null; earlyHelpEpisode: { id: string } | null;
  due: { kind: string; recordId: string; dueOn: string }[] };
const nodes = (r: { data?: { myCaseload: { edges: { node: Node }[] } } | null }) => r.data!.myCaseload.edges.map((e) => e.node);

async function inWork(childIds: string[], leadId: string, providerId = c.provider.id, contractId = suite.p.contractOne.id) {
  return suite.eh.episode({ childIds, status: 'IN_WORK', providerId, contractId, leadId, requestedOn: STARTED });
}

describe('myCaseload with early help', () => {
  it('lists the children of the episodes I lead, with early help work due, in one keyset order', async () => {
    const [first, second] = [await given.child(), await given.child()];
    const episode = await inWork([first.id, second.id], c.providerPractitioner.id);
    // Started a week later, so due a week later.
    const later = await given.child();
    const laterEpisode = await suite.eh.episode({
      childIds: [later.id], status: 'IN_WORK', providerId: c.provider.id, contractId: suite.p.contractOne.id, leadId: c.providerPractitioner.id,
      requestedOn: '2026-01-12',
    });
    // Not mine: led by someone else, waiting for a decision, or closed.
    await inWork([(await given.child()).id], c.providerManager.id);
    await suite.eh.episode({ childIds: [(await given.child()).id], status: 'OFFERED', providerId: c.provider.id, contractId: suite.p.contractOne.id });
    await suite.eh.episode({
      childIds: [(await given.child()).id], status: 'CLOSED', providerId: c.provider.id, contractId: suite.p.contractOne.id,
      leadId: c.providerPractitioner.id,
    });

    const r = await api.run(CASELOAD, { first: 10 }, c.providerPractitioner);
    expect(r.errors).toBeUndefined();
    expect(r.data.myCaseload.totalCount).toBe(3);
    const list = nodes(r);
    for (const node of list.slice(0, 2)) {
      expect(node).toMatchObject({
        nextDueOn: ASSESSMENT_DUE, allocation: null, earlyHelpEpisode: { id: episode.id, status: 'IN_WORK' },
        due: [
          { kind: 'EARLY_HELP_ASSESSMENT', recordId: episode.id, dueOn: ASSESSMENT_DUE },
          { kind: 'TEAM_AROUND_FAMILY', recordId: episode.id, dueOn: MEETING_DUE },
        ],
      });
    }
    expect(list.slice(0, 2).map((n) => n.childId).sort()).toEqual([first.id, second.id].sort());
    expect(list[2]).toMatchObject({ childId: later.id, nextDueOn: '2026-02-09', earlyHelpEpisode: { id: laterEpisode.id } });

    // Pages of one walk the same order without overlap.
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const page: GqlResult = await api.run(CASELOAD, { first: 1, after }, c.providerPractitioner);
      seen.push(...nodes(page).map((n) => n.childId));
      after = page.data.myCaseload.pageInfo.endCursor;
      if (!page.data.myCaseload.pageInfo.hasNextPage) break;
    }
    expect(seen).toEqual(list.map((n) => n.childId));
  });

  it("keeps a council early help practitioner's caseload to their allocations: the provider's staff lead the early help work", async () => {
    const allocated = await given.child({ teamId: c.teamA.id, workerId: c.earlyHelp.id });
    await given.referral(allocated.id, { receivedAt: '2026-01-01T10:00:00Z', dueOn: '2026-01-02' });
    await inWork([(await given.child()).id], c.providerPractitioner.id);
    const r = await api.run(CASELOAD, { first: 10 }, c.earlyHelp);
    expect(r.errors).toBeUndefined();
    expect(r.data.myCaseload.totalCount).toBe(1);
    expect(nodes(r)[0]).toMatchObject({ childId: allocated.id, nextDueOn: '2026-01-02', earlyHelpEpisode: null, due: [{ kind: 'REFERRAL_DECISION' }] });
    expect(nodes(r)[0].allocation).not.toBeNull();
  });

  it('moves the due dates on with meetings, a completed assessment and the family plan (FAMILY_PLAN_REVIEW)', async () => {
    const child = await given.child();
    const episode = await inWork([child.id], c.providerPractitioner.id);
    await api.db.query(
      `INSERT INTO team_around_family_meeting (episode_id, held_on, attendees, family_present, decisions)
       VALUES ($1, '2026-02-10', '[]', true, 'Agreed the plan'), ($1, '2026-01-20', '[]', false, 'First meeting')`,
      [episode.id],
    );
    await api.db.query(
      `INSERT INTO early_help_assessment (episode_id, reason, needs, strengths, lived_experience, child_voice, analysis, started_on, completed_on)
       VALUES ($1, 'Attendance', '[]', 's', 'l', 'v', 'a', '2026-01-12', '2026-01-30')`,
      [episode.id],
    );
    const [plan] = await api.db.query(
      `INSERT INTO plan (child_id, type, start_date, contingency, family_summary, next_review_due, early_help_episode_id)
       VALUES ($1, 'EARLY_HELP', '2026-02-10', 'Contingency for the plan', 'What we agreed together', '2026-04-10', $2) RETURNING id`,
      [child.id, episode.id],
    );
    const r = await api.run(CASELOAD, { first: 10 }, c.providerPractitioner);
    expect(r.errors).toBeUndefined();
    const due = nodes(r)[0].due.filter((d) => d.kind !== 'VISIT');
    expect(due).toEqual([
      { kind: 'TEAM_AROUND_FAMILY', recordId: episode.id, dueOn: '2026-03-24' },
      { kind: 'FAMILY_PLAN_REVIEW', recordId: plan.id, dueOn: '2026-04-10' },
    ]);
  });

  it('shows provider staff their families with early help work only, never statutory items, and nothing of other providers', async () => {
    const child = await given.child({ firstName: 'Amara' });
    const episode = await inWork([child.id], c.providerPractitioner.id);
    // Statutory work on the same child: a referral awaiting decision, due before the early help items.
    await given.referral(child.id, { receivedAt: '2026-01-01T10:00:00Z', dueOn: '2026-01-02' });
    const elsewhere = await given.child();
    await inWork([elsewhere.id], suite.p.twoPractitioner.id, suite.p.providerTwo.id, suite.p.contractTwo.id);

    const r = await api.run(PROVIDER_CASELOAD, {}, c.providerPractitioner);
    expect(r.errors).toBeUndefined();
    expect(r.data.myCaseload.totalCount).toBe(1);
    expect(r.data.myCaseload.edges[0].node).toEqual({
      childId: child.id, nextDueOn: ASSESSMENT_DUE, allocation: null, earlyHelpEpisode: { id: episode.id, status: 'IN_WORK' },
      child: { id: child.id, firstName: 'Amara' },
      due: [{ kind: 'EARLY_HELP_ASSESSMENT', dueOn: ASSESSMENT_DUE }, { kind: 'TEAM_AROUND_FAMILY', dueOn: MEETING_DUE }],
    });
    // The other provider sees only its own family.
    const two = await api.run(PROVIDER_CASELOAD, {}, suite.p.twoPractitioner);
    expect(two.data.myCaseload.edges.map((e: { node: { childId: string } }) => e.node.childId)).toEqual([elsewhere.id]);
    // A provider's item for a child a council team holds carries no allocation.
    const allocated = await given.child({ teamId: c.teamA.id });
    await inWork([allocated.id], c.providerManager.id);
    const manager = await api.run(`{ myCaseload { edges { node { childId allocation { teamId } } } } }`, {}, c.providerManager);
    expect(manager.data.myCaseload.edges[0].node).toEqual({ childId: allocated.id, allocation: null });
  });

  it('issues the same number of SQL statements for 5 and for 20 early help children', async () => {
    for (let i = 0; i < 10; i++) {
      const [a, b] = [await given.child(), await given.child()];
      await given.family([a.id, b.id]);
      await inWork([a.id, b.id], c.providerPractitioner.id);
    }
    const counts: number[] = [];
    for (const first of [5, 20]) {
      api.resetStatements();
      const r = await api.run(PROVIDER_CASELOAD.replace('first: 20', `first: ${first}`), {}, c.providerPractitioner);
      expect(r.errors).toBeUndefined();
      expect(r.data.myCaseload.edges).toHaveLength(first);
      counts.push(api.statements());
    }
    expect(counts[1]).toBe(counts[0]);
    console.log(`SQL statements for a provider's early help caseload: 5 children -> ${counts[0]}, 20 children -> ${counts[1]}`);
  });
});

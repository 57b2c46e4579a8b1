import { codeOf, GqlResult, TestApi } from '../../../../test/api';
import type { Council, Suite } from '../../../../test/factories';
import { EarlyHelpSuite, useEarlyHelpSuite } from '../../../../test/early-help-factories';

/**
 * A provider's staff see only the families with an open early help referral to their organisation, only agreed fields,
 * and nothing of child protection, other providers or closed referrals: by id, by search, by list, or by relation.
 */
const suite: EarlyHelpSuite = useEarlyHelpSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});

const CHILD = `query($id: ID!) { child(id: $id) { id firstName } }`;
const FAMILY = `query($id: ID!) { family(id: $id) { id name } }`;
const EPISODE = `query($id: ID!) { earlyHelpEpisode(id: $id) { id status } }`;
const PLAN = `query($id: ID!) { plan(id: $id) { id type } }`;
const ASSESSMENT = `query($id: ID!) { assessment(id: $id) { id } }`;
const SEARCH = `query($name: String!) { children(search: { name: $name }) { edges { node { id } } } }`;
const CASELOAD = `{ myCaseload(first: 50) { edges { node { childId earlyHelpEpisode { id } due { kind } } } } }`;
const WAITING = `query($providerId: ID) { earlyHelpWaitingList(providerId: $providerId, first: 50) { edges { node { episode { id } } } } }`;
const OWN = `query($id: ID!) { earlyHelpEpisode(id: $id) { id status reason needs
  children { id firstName earlyHelpEpisodes { id } }
  family { id name members { relationship child { id } } } } }`;

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

async function deniedRows(action: string, entityId?: string) {
  return (await given.auditRows(action, entityId)).filter((r) => r.result === 'DENIED');
}

/** Refused with `code`, no data, and one more denial in the audit log. */
async function expectDenied(read: () => Promise<GqlResult>, code: string, field: string, audit: () => Promise<unknown[]>) {
  const before = (await audit()).length;
  const r = await read();
  expect(codeOf(r)).toBe(code);
  expect(r.data?.[field] ?? null).toBeNull();
  expect((await audit()).length).toBe(before + 1);
}

/**
 * Provider One's family in work (two children, one of whom also has a child protection plan and a social care
 * assessment, and a household shared with a child referred to Provider Two), Provider Two's family, a family whose
 * referral to Provider One is closed, and one Provider One declined.
 */
async function world() {
  const [mine, mySibling, theirsInMyHouse, theirs, closedChild, declinedChild] = [
    await given.child({ firstName: 'Mine' }), await given.child({ firstName: 'Sibling' }), await given.child({ firstName: 'Lodger' }),
    await given.child({ firstName: 'Theirs' }), await given.child({ firstName: 'Closed' }), await given.child({ firstName: 'Declined' }),
  ];
  const myFamily = await given.family([mine.id, mySibling.id, theirsInMyHouse.id]);
  const theirFamily = await given.family([theirs.id]);
  const closedFamily = await given.family([closedChild.id]);
  const one = { providerId: c.provider.id, contractId: suite.p.contractOne.id };
  const two = { providerId: suite.p.providerTwo.id, contractId: suite.p.contractTwo.id };
  const myEpisode = await suite.eh.episode({
    childIds: [mine.id, mySibling.id], familyId: myFamily.id, status: 'IN_WORK', ...one, leadId: c.providerPractitioner.id,
    requestedOn: daysAgo(20),
  });
  const theirEpisode = await suite.eh.episode({
    childIds: [theirs.id, theirsInMyHouse.id], familyId: theirFamily.id, status: 'IN_WORK', ...two, leadId: suite.p.twoPractitioner.id,
  });
  const closedEpisode = await suite.eh.episode({ childIds: [closedChild.id], familyId: closedFamily.id, status: 'CLOSED', ...one });
  const declinedEpisode = await suite.eh.episode({ childIds: [declinedChild.id], requestedOn: daysAgo(40) });
  await api.db.query(
    `INSERT INTO early_help_referral (episode_id, provider_id, contract_id, status, offered_at, decided_at, decline_reason)
     VALUES ($1, $2, $3, 'DECLINED', now(), now(), 'No capacity in the area')`,
    [declinedEpisode.id, c.provider.id, suite.p.contractOne.id],
  );
  // Child protection on Provider One's own child: a plan and the social care assessment behind it.
  const referral = await given.referral(mine.id, { receivedAt: `${daysAgo(60)}T10:00:00Z`, decided: true });
  const [episode] = await api.db.query(
    `INSERT INTO episode (child_id, referral_id, start_date, referral_source, primary_need_code) VALUES ($1, $2, $3, '2A', 'N1') RETURNING id`,
    [mine.id, referral.id, daysAgo(60)],
  );
  const [assessment] = await api.db.query(
    `INSERT INTO assessment (child_id, episode_id, start_date, due_date) VALUES ($1, $2, $3, haven_add_working_days($3::date, 45)) RETURNING id`,
    [mine.id, episode.id, daysAgo(60)],
  );
  const [cpPlan] = await api.db.query(
    `INSERT INTO plan (child_id, episode_id, type, start_date, contingency, family_summary, next_review_due, initial_category, latest_category)
     VALUES ($1, $2, 'CHILD_PROTECTION', $3, 'Contingency for the plan', 'What we agreed', $4, 'NEG', 'NEG') RETURNING id`,
    [mine.id, episode.id, daysAgo(30), daysAgo(-60)],
  );
  return {
    mine, mySibling, theirsInMyHouse, theirs, closedChild, declinedChild, myFamily, theirFamily, closedFamily, myEpisode, theirEpisode,
    closedEpisode, declinedEpisode, assessmentId: assessment.id as string, cpPlanId: cpPlan.id as string,
  };
}

describe('provider isolation', () => {
  it("sees its own open family's agreed fields, and none of another provider's children in the same household", async () => {
    const w = await world();
    const r = await api.run(OWN, { id: w.myEpisode.id }, c.providerPractitioner);
    expect(r.errors).toBeUndefined();
    const episode = r.data.earlyHelpEpisode;
    expect(episode).toMatchObject({ id: w.myEpisode.id, status: 'IN_WORK', family: { id: w.myFamily.id } });
    expect(episode.children.map((x: { firstName: string }) => x.firstName).sort()).toEqual(['Mine', 'Sibling']);
    for (const child of episode.children) expect(child.earlyHelpEpisodes).toEqual([{ id: w.myEpisode.id }]);
    // The household names the provider's own children, and lists a child member for the child referred to Provider Two,
    // but never which child.
    const members: { relationship: string; child: { id: string } | null }[] = episode.family.members;
    const children = members.filter((m) => m.relationship === 'CHILD').map((m) => m.child?.id ?? null);
    expect(children.sort()).toEqual([w.mine.id, w.mySibling.id, null].sort());
    expect(JSON.stringify(r.data)).not.toContain(w.theirsInMyHouse.id);
  });

  it("cannot open another provider's family, a closed or declined referral's family, by id (NOT_FOUND, audited)", async () => {
    const w = await world();
    const who = c.providerPractitioner;
    for (const id of [w.theirs.id, w.theirsInMyHouse.id, w.closedChild.id, w.declinedChild.id]) {
      await expectDenied(() => api.run(CHILD, { id }, who), 'NOT_FOUND', 'child', () => deniedRows('child.viewed', id));
    }
    for (const id of [w.theirFamily.id, w.closedFamily.id]) {
      await expectDenied(() => api.run(FAMILY, { id }, who), 'NOT_FOUND', 'family', () => deniedRows('family.viewed', id));
    }
    for (const id of [w.theirEpisode.id, w.closedEpisode.id, w.declinedEpisode.id]) {
      await expectDenied(() => api.run(EPISODE, { id }, who), 'NOT_FOUND', 'earlyHelpEpisode', () => deniedRows('earlyHelpEpisode.viewed', id));
    }
    // Provider Two is refused Provider One's family likewise.
    await expectDenied(() => api.run(EPISODE, { id: w.myEpisode.id }, suite.p.twoManager), 'NOT_FOUND', 'earlyHelpEpisode',
      () => deniedRows('earlyHelpEpisode.viewed', w.myEpisode.id));
    await expectDenied(() => api.run(CHILD, { id: w.mine.id }, suite.p.twoPractitioner), 'NOT_FOUND', 'child',
      () => deniedRows('child.viewed', w.mine.id));
  });

  it('never reads child protection or social care records, even of its own family (FORBIDDEN, audited)', async () => {
    const w = await world();
    for (const who of [c.providerPractitioner, c.providerManager]) {
      await expectDenied(() => api.run(PLAN, { id: w.cpPlanId }, who), 'FORBIDDEN', 'plan', () => deniedRows('access.denied'));
      await expectDenied(() => api.run(ASSESSMENT, { id: w.assessmentId }, who), 'FORBIDDEN', 'assessment', () => deniedRows('access.denied'));
    }
    for (const field of ['plans { id }', 'referrals { id }', 'episodes { id }', 'assessments { id }', 'currentAllocation { id }']) {
      const r = await api.run(`query($id: ID!) { earlyHelpEpisode(id: $id) { id children { id ${field} } } }`, { id: w.myEpisode.id },
        c.providerPractitioner);
      expect(codeOf(r)).toBe('FORBIDDEN');
      expect(JSON.stringify(r.data ?? null)).not.toContain(w.cpPlanId);
      expect(JSON.stringify(r.data ?? null)).not.toContain(w.assessmentId);
    }
    for (const field of ['steppedDownAssessment { id }', 'steppedDownFromEpisode { id }', 'steppedUpReferrals { id }']) {
      const r = await api.run(`query($id: ID!) { earlyHelpEpisode(id: $id) { id ${field} } }`, { id: w.myEpisode.id }, c.providerPractitioner);
      expect(codeOf(r)).toBe('FORBIDDEN');
    }
    expect(await given.auditRows('plan.viewed')).toHaveLength(0);
    expect(await given.auditRows('assessment.viewed')).toHaveLength(0);
    // Its caseload shows early help work on the child, never the conference or visits the CP plan makes due.
    const caseload = await api.run(CASELOAD, {}, c.providerPractitioner);
    const kinds = caseload.data.myCaseload.edges.flatMap((e: { node: { due: { kind: string }[] } }) => e.node.due.map((d) => d.kind));
    expect(kinds.length).toBeGreaterThan(0);
    expect(kinds.every((k: string) => ['EARLY_HELP_ASSESSMENT', 'TEAM_AROUND_FAMILY', 'FAMILY_PLAN_REVIEW'].includes(k))).toBe(true);
  });

  it('cannot search for children (FORBIDDEN, audited)', async () => {
    await world();
    for (const who of [c.providerPractitioner, c.providerManager]) {
      await expectDenied(() => api.run(SEARCH, { name: 'Theirs' }, who), 'FORBIDDEN', 'children', () => deniedRows('access.denied'));
    }
    expect(await given.auditRows('child.searched')).toHaveLength(0);
  });

  it('lists only its own families: caseload, waiting list, and a child’s early help episodes', async () => {
    const w = await world();
    const offeredChild = await given.child();
    const offered = await suite.eh.episode({
      childIds: [offeredChild.id], status: 'OFFERED', providerId: c.provider.id, contractId: suite.p.contractOne.id,
    });
    const offeredElsewhere = await suite.eh.episode({
      childIds: [(await given.child()).id], status: 'OFFERED', providerId: suite.p.providerTwo.id, contractId: suite.p.contractTwo.id,
    });

    const caseload = await api.run(CASELOAD, {}, c.providerPractitioner);
    expect(caseload.errors).toBeUndefined();
    expect(caseload.data.myCaseload.edges.map((e: { node: { childId: string } }) => e.node.childId).sort())
      .toEqual([w.mine.id, w.mySibling.id].sort());

    const waiting = await api.run(WAITING, {}, c.providerManager);
    expect(waiting.errors).toBeUndefined();
    expect(waiting.data.earlyHelpWaitingList.edges.map((e: { node: { episode: { id: string } } }) => e.node.episode.id)).toEqual([offered.id]);
    // Asking for another provider's offers answers (no error) with an empty list.
    const elsewhere = await api.run(WAITING, { providerId: suite.p.providerTwo.id }, c.providerManager);
    expect(elsewhere.errors).toBeUndefined();
    expect(elsewhere.data.earlyHelpWaitingList.edges).toEqual([]);
    const ids = JSON.stringify(elsewhere.data);
    expect(ids).not.toContain(offeredElsewhere.id);
    expect(ids).not.toContain(offered.id);

    // A child of its own family with an earlier, closed episode with Provider One: only the open one is listed.
    await api.db.query(`INSERT INTO early_help_child (episode_id, child_id) VALUES ($1, $2)`, [w.closedEpisode.id, w.mine.id]);
    const r = await api.run(`query($id: ID!) { child(id: $id) { id earlyHelpEpisodes { id } } }`, { id: w.mine.id }, c.providerPractitioner);
    expect(r.errors).toBeUndefined();
    expect(r.data.child.earlyHelpEpisodes).toEqual([{ id: w.myEpisode.id }]);
  });

  it('loses the family when its referral closes', async () => {
    const w = await world();
    expect((await api.run(EPISODE, { id: w.myEpisode.id }, c.providerPractitioner)).errors).toBeUndefined();
    await api.db.query(`UPDATE early_help_referral SET status = 'CLOSED', closed_on = current_date WHERE episode_id = $1`, [w.myEpisode.id]);
    await api.db.query(`UPDATE early_help_episode SET status = 'CLOSED', closed_on = current_date, outcome = 'NEEDS_MET' WHERE id = $1`, [
      w.myEpisode.id,
    ]);
    await expectDenied(() => api.run(EPISODE, { id: w.myEpisode.id }, c.providerPractitioner), 'NOT_FOUND', 'earlyHelpEpisode',
      () => deniedRows('earlyHelpEpisode.viewed', w.myEpisode.id));
    await expectDenied(() => api.run(CHILD, { id: w.mine.id }, c.providerPractitioner), 'NOT_FOUND', 'child',
      () => deniedRows('child.viewed', w.mine.id));
    await expectDenied(() => api.run(FAMILY, { id: w.myFamily.id }, c.providerPractitioner), 'NOT_FOUND', 'family',
      () => deniedRows('family.viewed', w.myFamily.id));
    const caseload = await api.run(CASELOAD, {}, c.providerPractitioner);
    expect(caseload.data.myCaseload.edges).toEqual([]);
  });
});

import { createTestApi, TestApi } from './api';
import { factories, givenCouncil } from './factories';

const NESTED = `query($first: Int!) { myCaseload(first: $first) { totalCount edges { node {
  due { kind status }
  allocation { team { name } worker { displayName } }
  child { id firstName
    families { id name members { relationship parentalResponsibility child { id laChildId } } }
    referrals { id referralDate decision decidedBy { displayName } }
    currentAllocation { team { name } worker { displayName } }
    allocationHistory { startedAt }
  } } } } }`;

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

describe('batching', () => {
  it('issues the same number of SQL statements for 10 and for 50 children (no N+1)', async () => {
    const given = factories(api.db);
    await given.reset();
    const c = await givenCouncil(given);
    for (let i = 0; i < 50; i++) {
      const child = await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id });
      const sibling = await given.child({ teamId: c.teamA.id });
      await given.family([child.id, sibling.id]);
      await given.referral(child.id, { decided: i % 2 === 0 });
      await given.referral(child.id, { receivedAt: '2026-01-05T10:00:00Z', dueOn: '2026-01-06' });
    }
    const counts: Record<number, number> = {};
    for (const first of [10, 50]) {
      api.resetStatements();
      const r = await api.run(NESTED, { first }, c.socialWorker);
      expect(r.errors).toBeUndefined();
      expect(r.data.myCaseload.edges).toHaveLength(first);
      expect(r.data.myCaseload.edges[0].node.child.families[0].members).toHaveLength(3);
      counts[first] = api.statements();
    }
    // actor lookup, caseload page, the view audit, then one statement per relation and level, whatever the page size
    expect(counts[50]).toBe(counts[10]);
    expect(counts[10]).toBeLessThanOrEqual(14);
    console.log(`SQL statements for the nested caseload query: 10 children -> ${counts[10]}, 50 children -> ${counts[50]}`);
  });
});

describe('view audit', () => {
  it("writes one child.viewed row per child per request, whichever parts of the record are read, before returning them", async () => {
    const given = factories(api.db);
    await given.reset();
    const c = await givenCouncil(given);
    const children = [];
    for (let i = 0; i < 3; i++) {
      const child = await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id });
      await given.referral(child.id);
      children.push(child.id);
    }
    // Only due items (referral data) without the child itself: still a view of each child's record.
    const dueOnly = await api.run(`{ myCaseload { edges { node { due { kind recordId } } } } }`, {}, c.socialWorker);
    expect(dueOnly.errors).toBeUndefined();
    const afterFirst = await api.db.query(`SELECT child_id FROM audit_entry WHERE action = 'child.viewed' ORDER BY child_id`);
    expect(afterFirst.map((r: { child_id: string }) => r.child_id)).toEqual([...children].sort());
    // Child, referrals, families and due items in one request: still one row per child for that request.
    await api.run(NESTED, { first: 10 }, c.socialWorker);
    const [{ n }] = await api.db.query(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'child.viewed'`);
    expect(n).toBe(6);
  });
});

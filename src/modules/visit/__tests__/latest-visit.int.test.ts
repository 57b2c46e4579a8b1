import { RoleCode } from '../../identity/roles';
import { codeOf, TestApi } from '../../../../test/api';
import { Council, Suite, useCouncilSuite } from '../../../../test/factories';

const LATEST = `query($id: ID!) { child(id: $id) { id latestVisit { id visitedOn seen } visits { id } } }`;
const CASELOAD = `{ myCaseload(first: 50) { edges { node { child { id latestVisit { id visitedOn } } } } } }`;

const suite = useCouncilSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});

/** Set-up only: a visit inserted directly. */
async function visit(childId: string, visitedOn: string, seen = true): Promise<string> {
  const [row] = await api.db.query(
    `INSERT INTO visit (child_id, visited_on, type, seen, seen_alone, note) VALUES ($1, $2, 'HOME', $3, false, 'Set-up visit note') RETURNING id`,
    [childId, visitedOn, seen],
  );
  return row.id;
}

describe('Child.latestVisit', () => {
  it('is the most recent visit, seen or not (the first of visits), and null before any visit', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const none = await api.run(LATEST, { id: child.id }, c.socialWorker);
    expect(none.errors).toBeUndefined();
    expect(none.data.child.latestVisit).toBeNull();
    await visit(child.id, '2026-11-02');
    const latest = await visit(child.id, '2026-11-23', false);
    await visit(child.id, '2026-11-10');
    const r = await api.run(LATEST, { id: child.id }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.child.latestVisit).toEqual({ id: latest, visitedOn: '2026-11-23', seen: false });
    expect(r.data.child.visits[0].id).toBe(latest);
  });

  it("is read within the record's scope: another team gets NOT_FOUND, a role without child:read FORBIDDEN", async () => {
    const child = await given.child({ teamId: c.teamA.id });
    await visit(child.id, '2026-11-02');
    expect(codeOf(await api.run(LATEST, { id: child.id }, c.otherSocialWorker))).toBe('NOT_FOUND');
    expect(codeOf(await api.run(LATEST, { id: child.id }, c.analyst))).toBe('FORBIDDEN');
  });

  it('issues the same number of SQL statements for 2 and for 6 children (one DISTINCT ON statement per batch)', async () => {
    const counts: Record<number, number> = {};
    for (const n of [2, 6]) {
      const worker = await given.account(RoleCode.SOCIAL_WORKER, { teamId: c.teamA.id });
      const expected = new Map<string, string>();
      for (let i = 0; i < n; i++) {
        const child = await given.child({ teamId: c.teamA.id, workerId: worker.id });
        await visit(child.id, '2026-10-05');
        expected.set(child.id, await visit(child.id, `2026-11-${String(10 + i).padStart(2, '0')}`));
      }
      api.resetStatements();
      const r = await api.run(CASELOAD, {}, worker);
      expect(r.errors).toBeUndefined();
      const children = r.data.myCaseload.edges.map((e: { node: { child: { id: string; latestVisit: { id: string } } } }) => e.node.child);
      expect(children).toHaveLength(n);
      for (const ch of children) expect(ch.latestVisit.id).toBe(expected.get(ch.id));
      counts[n] = api.statements();
    }
    expect(counts[6]).toBe(counts[2]);
  });
});

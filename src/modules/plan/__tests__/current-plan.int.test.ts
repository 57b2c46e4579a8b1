import { RoleCode } from '../../identity/roles';
import { codeOf, TestApi } from '../../../../test/api';
import { Council, Suite, useCouncilSuite } from '../../../../test/factories';

const CURRENT = `query($id: ID!) { child(id: $id) { id currentPlan { id type status startDate } } }`;
const CASELOAD = `{ myCaseload(first: 50) { edges { node { child { id currentPlan { id type } } } } } }`;

const suite = useCouncilSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});

/** Set-up only: a plan of a type, active or ended, inserted directly. */
async function plan(childId: string, type: string, startDate: string, status = 'ACTIVE'): Promise<string> {
  const [row] = await api.db.query(
    `INSERT INTO plan (child_id, type, status, start_date, end_date, contingency, family_summary)
     VALUES ($1, $2, $3, $4, $5, 'Legal planning meeting if no progress', 'What we will do together') RETURNING id`,
    [childId, type, status, startDate, status === 'ENDED' ? '2026-10-01' : null],
  );
  return row.id;
}

async function current(childId: string, as = c.socialWorker) {
  const r = await api.run(CURRENT, { id: childId }, as);
  expect(r.errors).toBeUndefined();
  return r.data.child.currentPlan;
}

describe('Child.currentPlan', () => {
  it('is the active child protection plan before a child in need or early help plan, never an ended one', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    await plan(child.id, 'CHILD_PROTECTION', '2026-01-05', 'ENDED');
    const earlyHelp = await plan(child.id, 'EARLY_HELP', '2026-11-02');
    expect(await current(child.id)).toEqual({ id: earlyHelp, type: 'EARLY_HELP', status: 'ACTIVE', startDate: '2026-11-02' });
    const inNeed = await plan(child.id, 'CHILD_IN_NEED', '2026-10-05');
    expect((await current(child.id)).id).toBe(inNeed);
    const protection = await plan(child.id, 'CHILD_PROTECTION', '2026-09-01');
    expect((await current(child.id)).id).toBe(protection);
  });

  it('is null without an active plan', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    expect(await current(child.id)).toBeNull();
    await plan(child.id, 'CHILD_IN_NEED', '2026-01-05', 'ENDED');
    expect(await current(child.id)).toBeNull();
  });

  it("is read within the record's scope: another team gets NOT_FOUND, a role without child:read FORBIDDEN", async () => {
    const child = await given.child({ teamId: c.teamA.id });
    await plan(child.id, 'CHILD_IN_NEED', '2026-10-05');
    expect((await current(child.id, c.teamManager)).type).toBe('CHILD_IN_NEED');
    expect(codeOf(await api.run(CURRENT, { id: child.id }, c.otherSocialWorker))).toBe('NOT_FOUND');
    expect(codeOf(await api.run(CURRENT, { id: child.id }, c.analyst))).toBe('FORBIDDEN');
  });

  it('issues the same number of SQL statements for 2 and for 6 children (one DISTINCT ON statement per batch)', async () => {
    const counts: Record<number, number> = {};
    for (const n of [2, 6]) {
      const worker = await given.account(RoleCode.SOCIAL_WORKER, { teamId: c.teamA.id });
      const expected = new Map<string, string>();
      for (let i = 0; i < n; i++) {
        const child = await given.child({ teamId: c.teamA.id, workerId: worker.id });
        await plan(child.id, 'EARLY_HELP', '2026-09-01');
        expected.set(child.id, await plan(child.id, i % 2 ? 'CHILD_IN_NEED' : 'CHILD_PROTECTION', '2026-10-05'));
      }
      api.resetStatements();
      const r = await api.run(CASELOAD, {}, worker);
      expect(r.errors).toBeUndefined();
      const children = r.data.myCaseload.edges.map((e: { node: { child: { id: string; currentPlan: { id: string } } } }) => e.node.child);
      expect(children).toHaveLength(n);
      for (const ch of children) expect(ch.currentPlan.id).toBe(expected.get(ch.id));
      counts[n] = api.statements();
    }
    expect(counts[6]).toBe(counts[2]);
  });
});

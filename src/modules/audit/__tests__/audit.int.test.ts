import { codeOf, TestApi } from '../../../../test/api';
import { Council, Suite, useCouncilSuite } from '../../../../test/factories';

const LOG = `query($childId: ID!, $first: Int!, $after: String) { childAccessLog(childId: $childId, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id at actorId actorRoles action entity entityId fields result breakGlass reason } } } }`;
const CHILD = `query($id: ID!) { child(id: $id) { id firstName } }`;
const UPDATE = `mutation($input: UpdateChildInput!) { updateChild(input: $input) { id firstName version } }`;
const SEARCH = `query($s: ChildSearchInput!) { children(search: $s) { totalCount } }`;

interface Entry {
  id: string;
  at: string;
  actorId: string | null;
  actorRoles: string[];
  action: string;
  entity: string;
  entityId: string | null;
  fields: string[];
  result: string;
  breakGlass: boolean;
  reason: string | null;
}

const suite = useCouncilSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});

const log = (childId: string, who: { id: string; email: string } | null, first = 20, after?: string) =>
  api.run(LOG, { childId, first, after }, who);
const nodesOf = (r: { data?: { childAccessLog: { edges: { node: Entry }[] } } | null }) =>
  (r.data?.childAccessLog.edges ?? []).map((e) => e.node);
const dbIdsNewestFirst = async (childId: string): Promise<string[]> =>
  (await api.db.query(`SELECT id::text FROM audit_entry WHERE child_id = $1 ORDER BY id DESC`, [childId])).map((r: { id: string }) => r.id);

describe('childAccessLog', () => {
  it('shows information governance the views, changes and denials on any child, newest first, with who and what', async () => {
    const child = await given.child({ teamId: c.teamB.id });
    const other = await given.child({ teamId: c.teamB.id });
    expect(codeOf(await api.run(CHILD, { id: child.id }, c.socialWorker))).toBe('NOT_FOUND');
    expect((await api.run(CHILD, { id: child.id }, c.otherSocialWorker)).data.child.id).toBe(child.id);
    const upd = await api.run(UPDATE, { input: { id: child.id, expectedVersion: 1, firstName: 'Rosalind' } }, c.otherSocialWorker);
    expect(upd.errors).toBeUndefined();
    await api.run(CHILD, { id: other.id }, c.otherSocialWorker); // another child's view is not in this log

    const r = await log(child.id, c.governance);
    expect(r.errors).toBeUndefined();
    const nodes = nodesOf(r);
    expect(nodes.map((n) => [n.action, n.actorId, n.result])).toEqual([
      ['child.accessLogViewed', c.governance.id, 'ALLOWED'],
      ['child.updated', c.otherSocialWorker.id, 'ALLOWED'],
      ['child.viewed', c.otherSocialWorker.id, 'ALLOWED'],
      ['child.viewed', c.socialWorker.id, 'DENIED'],
    ]);
    expect(r.data.childAccessLog.totalCount).toBe(4);
    expect(r.data.childAccessLog.pageInfo.hasNextPage).toBe(false);
    expect(nodes[1]).toMatchObject({ entity: 'child', entityId: child.id, fields: ['firstName'], actorRoles: ['SOCIAL_WORKER'], breakGlass: false });
    expect(nodes[3].actorRoles).toEqual(['SOCIAL_WORKER']);
    expect(nodes[0].actorRoles).toEqual(['INFORMATION_GOVERNANCE']);
    const times = nodes.map((n) => Date.parse(n.at));
    expect(times.every((t, i) => i === 0 || t <= times[i - 1])).toBe(true);
    expect(nodes.map((n) => n.id)).toEqual((await dbIdsNewestFirst(child.id)));
  });

  it('shows information governance the log of a restricted child it is not named on', async () => {
    const child = await given.child({ teamId: c.teamA.id, restrictedTo: [c.teamManager.id] });
    await api.run(CHILD, { id: child.id }, c.teamManager);
    const r = await log(child.id, c.governance);
    expect(r.errors).toBeUndefined();
    expect(nodesOf(r).map((n) => [n.action, n.actorId])).toEqual([
      ['child.accessLogViewed', c.governance.id],
      ['child.viewed', c.teamManager.id],
    ]);
  });

  it('pages newest first with first/after, without overlap or gaps', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    for (let i = 0; i < 6; i++) await api.run(CHILD, { id: child.id }, i % 2 ? c.socialWorker : c.teamManager);
    const p1 = await log(child.id, c.governance, 3);
    expect(p1.errors).toBeUndefined();
    // The snapshot the first page was read against: six views and the log read itself.
    const expected = await dbIdsNewestFirst(child.id);
    expect(expected).toHaveLength(7);
    expect(p1.data.childAccessLog.totalCount).toBe(7);
    expect(p1.data.childAccessLog.pageInfo.hasNextPage).toBe(true);

    const seen = nodesOf(p1).map((n) => n.id);
    let after = p1.data.childAccessLog.pageInfo.endCursor;
    let pages = 1;
    for (;;) {
      const page = await log(child.id, c.governance, 3, after);
      expect(page.errors).toBeUndefined();
      // The whole log's size on every page (it grows by one with each read of it).
      expect(page.data.childAccessLog.totalCount).toBe(7 + pages);
      seen.push(...nodesOf(page).map((n) => n.id));
      pages += 1;
      if (!page.data.childAccessLog.pageInfo.hasNextPage) break;
      after = page.data.childAccessLog.pageInfo.endCursor;
      expect(pages).toBeLessThan(5);
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expected);
    // Each further page read was itself logged, but is newer than the cursor and so not on a later page.
    expect(await given.auditRows('child.accessLogViewed', child.id)).toHaveLength(3);
  });

  it('refuses a cursor it did not issue', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    expect(codeOf(await log(child.id, c.governance, 5, 'not-a-cursor'))).toBe('BAD_USER_INPUT');
    // Well-formed cursors whose key is not a row id (another list's cursor, or a forged one).
    for (const key of [['x'], [null], [1e30], ['1; DROP TABLE child']]) {
      const forged = Buffer.from(JSON.stringify(key)).toString('base64url');
      expect(codeOf(await log(child.id, c.governance, 5, forged))).toBe('BAD_USER_INPUT');
    }
    expect(await given.auditRows('child.accessLogViewed', child.id)).toHaveLength(0);
    expect(codeOf(await log(child.id, c.governance, 0))).toBe('BAD_USER_INPUT');
    expect(codeOf(await log(child.id, c.governance, 101))).toBe('BAD_USER_INPUT');
  });

  it("lets a team manager read the log of a child in their team, and answers NOT_FOUND for another team's", async () => {
    const mine = await given.child({ teamId: c.teamA.id });
    const theirs = await given.child({ teamId: c.teamB.id });
    await api.run(CHILD, { id: mine.id }, c.socialWorker);
    await api.run(CHILD, { id: theirs.id }, c.otherSocialWorker);

    const r = await log(mine.id, c.teamManager);
    expect(r.errors).toBeUndefined();
    expect(nodesOf(r).map((n) => [n.action, n.actorId])).toEqual([
      ['child.accessLogViewed', c.teamManager.id],
      ['child.viewed', c.socialWorker.id],
    ]);

    const denied = await log(theirs.id, c.teamManager);
    expect(codeOf(denied)).toBe('NOT_FOUND');
    expect(denied.data?.childAccessLog ?? null).toBeNull();
    const missing = await log('00000000-0000-4000-8000-000000000000', c.teamManager);
    expect(codeOf(missing)).toBe('NOT_FOUND');
    expect(denied.errors?.[0].message).toBe(missing.errors?.[0].message);
    // The refusal is itself audited (every denial is), and nothing was read.
    expect((await given.auditRows('child.accessLogViewed', theirs.id)).map((a) => a.result)).toEqual(['DENIED']);
  });

  it('refuses anonymous callers, social workers, analysts and administrators', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    await api.run(CHILD, { id: child.id }, c.socialWorker);
    expect(codeOf(await log(child.id, null))).toBe('UNAUTHENTICATED');
    for (const who of [c.socialWorker, c.analyst, c.admin, c.frontDoor]) {
      const r = await log(child.id, who);
      expect(codeOf(r)).toBe('FORBIDDEN');
      expect(r.data?.childAccessLog ?? null).toBeNull();
    }
    expect(await given.auditRows('child.accessLogViewed', child.id)).toHaveLength(0);
    expect(await given.auditRows('access.denied')).toHaveLength(4);
  });

  it('audits reading the log itself', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    expect((await log(child.id, c.teamManager)).errors).toBeUndefined();
    expect((await log(child.id, c.governance)).errors).toBeUndefined();
    const rows = await given.auditRows('child.accessLogViewed', child.id);
    expect(rows.map((a) => [a.actor_id, a.child_id, a.result])).toEqual([
      [c.teamManager.id, child.id, 'ALLOWED'],
      [c.governance.id, child.id, 'ALLOWED'],
    ]);
  });
});

describe('childAccessLog and households', () => {
  it("includes views of the child's households", async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const family = await given.family([child.id]);
    const r = await api.run(`query($id: ID!) { family(id: $id) { id } }`, { id: family.id }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    const entries = nodesOf(await log(child.id, c.governance));
    expect(entries.map((e) => `${e.entity}:${e.action}`)).toContain('family:family.viewed');
  });
});

describe('the audit table', () => {
  it('carries field names, never values', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const r = await api.run(UPDATE, { input: { id: child.id, expectedVersion: 1, firstName: 'Zebedee' } }, c.socialWorker);
    expect(r.data.updateChild.firstName).toBe('Zebedee');
    expect((await api.run(CHILD, { id: child.id }, c.socialWorker)).data.child.firstName).toBe('Zebedee');
    expect((await api.run(SEARCH, { s: { name: 'Zebedee' } }, c.socialWorker)).data.children.totalCount).toBe(1);
    expect((await log(child.id, c.governance)).errors).toBeUndefined();

    const [updated] = await given.auditRows('child.updated', child.id);
    expect(updated.fields).toEqual(['firstName']);
    expect(await given.count('audit_entry')).toBeGreaterThanOrEqual(4);
    const leaks = await api.db.query(`SELECT id FROM audit_entry a WHERE to_jsonb(a)::text ILIKE '%zebedee%'`);
    expect(leaks).toEqual([]);
  });

  it('is append-only: UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    await api.run(CHILD, { id: child.id }, c.socialWorker);
    const before = await api.db.query(`SELECT id, actor_id, action, result FROM audit_entry ORDER BY id`);
    expect(before).toHaveLength(1);

    await expect(api.db.query(`UPDATE audit_entry SET actor_id = NULL, action = 'tampered'`)).rejects.toThrow(/append-only/);
    await expect(api.db.query(`DELETE FROM audit_entry`)).rejects.toThrow(/append-only/);
    await expect(api.db.query(`DELETE FROM audit_entry WHERE child_id = $1`, [child.id])).rejects.toThrow(/append-only/);
    await expect(api.db.query(`TRUNCATE audit_entry`)).rejects.toThrow(/append-only/);
    expect(await api.db.query(`SELECT id, actor_id, action, result FROM audit_entry ORDER BY id`)).toEqual(before);
  });
});

import { codeOf, TestApi } from '../../../../test/api';
import { Council, Suite, useCouncilSuite } from '../../../../test/factories';
import { RoleCode } from '../../identity/roles';

const RESTRICT = `mutation($input: RestrictRecordInput!) { restrictRecord(input: $input) {
  recordType recordId restricted namedAccountIds version } }`;
const BREAK_GLASS = `mutation($input: BreakGlassInput!) { breakGlass(input: $input) { childId expiresAt } }`;
const CHILD = `query($id: ID!) { child(id: $id) { id firstName version } }`;
const FAMILY = `query($id: ID!) { family(id: $id) { id restricted version } }`;
const SEARCH = `query($s: ChildSearchInput!) { children(search: $s) { totalCount edges { node { id } } } }`;
const UPDATE = `mutation($input: UpdateChildInput!) { updateChild(input: $input) { id version } }`;

const REASON = 'Child of a member of staff';
const BREAK_REASON = 'Police at the door; urgent safeguarding check needed now';

const suite = useCouncilSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});

const childRow = async (id: string) =>
  (await api.db.query(`SELECT restricted, restriction_reason, version FROM child WHERE id = $1`, [id]))[0];
const familyRow = async (id: string) => (await api.db.query(`SELECT restricted, version FROM family WHERE id = $1`, [id]))[0];
const grantsOf = (column: 'child_id' | 'family_id', id: string): Promise<{ account_id: string; granted_by_id: string }[]> =>
  api.db.query(`SELECT account_id, granted_by_id FROM restriction_grant WHERE ${column} = $1 ORDER BY account_id`, [id]);
const searchIds = async (name: string, who: { id: string; email: string }) => {
  const r = await api.run(SEARCH, { s: { name } }, who);
  expect(r.errors).toBeUndefined();
  return r.data.children.edges.map((e: { node: { id: string } }) => e.node.id);
};
const restrictChild = (childId: string, named: string[], extra: Record<string, unknown> = {}) => ({
  input: { childId, restricted: true, reason: REASON, namedAccountIds: named, expectedVersion: 1, ...extra },
});

describe('restrictRecord', () => {
  it('refuses an anonymous caller and writes nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const family = await given.family([child.id]);
    expect(codeOf(await api.run(RESTRICT, restrictChild(child.id, [c.teamManager.id])))).toBe('UNAUTHENTICATED');
    const fam = { input: { familyId: family.id, restricted: true, reason: REASON, namedAccountIds: [c.teamManager.id], expectedVersion: 1 } };
    expect(codeOf(await api.run(RESTRICT, fam))).toBe('UNAUTHENTICATED');
    expect(await childRow(child.id)).toEqual({ restricted: false, restriction_reason: null, version: 1 });
    expect(await familyRow(family.id)).toEqual({ restricted: false, version: 1 });
    expect(await given.count('restriction_grant')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses roles without the permission, audits the denial, and writes nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const family = await given.family([child.id]);
    for (const who of [c.socialWorker, c.frontDoor, c.analyst, c.admin]) {
      expect(codeOf(await api.run(RESTRICT, restrictChild(child.id, [c.teamManager.id]), who))).toBe('FORBIDDEN');
    }
    const fam = { input: { familyId: family.id, restricted: true, reason: REASON, namedAccountIds: [c.socialWorker.id], expectedVersion: 1 } };
    expect(codeOf(await api.run(RESTRICT, fam, c.socialWorker))).toBe('FORBIDDEN');
    expect(await childRow(child.id)).toMatchObject({ restricted: false, version: 1 });
    expect(await familyRow(family.id)).toEqual({ restricted: false, version: 1 });
    expect(await given.count('restriction_grant')).toBe(0);
    expect(await given.auditRows('access.denied')).toHaveLength(5);
  });

  it("answers NOT_FOUND to a team manager restricting another team's child or family, audits it, and writes nothing", async () => {
    const child = await given.child({ teamId: c.teamB.id });
    const family = await given.family([child.id]);
    const r = await api.run(RESTRICT, restrictChild(child.id, [c.teamManager.id]), c.teamManager);
    expect(codeOf(r)).toBe('NOT_FOUND');
    const fam = { input: { familyId: family.id, restricted: true, reason: REASON, namedAccountIds: [c.teamManager.id], expectedVersion: 1 } };
    expect(codeOf(await api.run(RESTRICT, fam, c.teamManager))).toBe('NOT_FOUND');
    expect(await childRow(child.id)).toMatchObject({ restricted: false, version: 1 });
    expect(await familyRow(family.id)).toEqual({ restricted: false, version: 1 });
    expect(await given.count('restriction_grant')).toBe(0);
    expect(await given.auditRows('child.changeDenied', child.id)).toHaveLength(1);
    expect(await given.auditRows('child.restricted')).toHaveLength(0);
    expect(await given.auditRows('family.restricted')).toHaveLength(0);
  });

  it('refuses invalid input and writes nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const family = await given.family([child.id]);
    const tooShort = await api.run(RESTRICT, restrictChild(child.id, [c.teamManager.id], { reason: 'Staff' }), c.teamManager);
    expect(codeOf(tooShort)).toBe('BAD_USER_INPUT');
    expect(tooShort.errors?.[0].extensions?.fields?.map((f) => f.field)).toEqual(['reason']);

    const both = await api.run(RESTRICT, restrictChild(child.id, [c.teamManager.id], { familyId: family.id }), c.teamManager);
    expect(codeOf(both)).toBe('BAD_USER_INPUT');
    const neither = await api.run(RESTRICT, restrictChild(undefined as never, [c.teamManager.id]), c.teamManager);
    expect(codeOf(neither)).toBe('BAD_USER_INPUT');

    const nobody = await api.run(RESTRICT, restrictChild(child.id, []), c.teamManager);
    expect(codeOf(nobody)).toBe('RESTRICTION_NEEDS_NAMED_PEOPLE');
    const nobodyFamily = { input: { familyId: family.id, restricted: true, reason: REASON, namedAccountIds: [], expectedVersion: 1 } };
    expect(codeOf(await api.run(RESTRICT, nobodyFamily, c.teamManager))).toBe('RESTRICTION_NEEDS_NAMED_PEOPLE');

    const unknown = await api.run(RESTRICT, restrictChild(child.id, ['00000000-0000-4000-8000-000000000000']), c.teamManager);
    expect(codeOf(unknown)).toBe('BAD_USER_INPUT');
    expect(unknown.errors?.[0].extensions?.fields?.map((f) => f.field)).toEqual(['namedAccountIds']);

    const disabled = await given.account(RoleCode.TEAM_MANAGER, { teamId: c.teamA.id, disabled: true });
    expect(codeOf(await api.run(RESTRICT, restrictChild(child.id, [disabled.id]), c.teamManager))).toBe('BAD_USER_INPUT');

    expect(await childRow(child.id)).toEqual({ restricted: false, restriction_reason: null, version: 1 });
    expect(await familyRow(family.id)).toEqual({ restricted: false, version: 1 });
    expect(await given.count('restriction_grant')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('restricts a child to the named people, with its audit row', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const r = await api.run(RESTRICT, restrictChild(child.id, [c.teamManager.id]), c.teamManager);
    expect(r.errors).toBeUndefined();
    expect(r.data.restrictRecord).toEqual({
      recordType: 'CHILD', recordId: child.id, restricted: true, namedAccountIds: [c.teamManager.id], version: 2,
    });
    expect(await childRow(child.id)).toEqual({ restricted: true, restriction_reason: REASON, version: 2 });
    expect(await grantsOf('child_id', child.id)).toEqual([{ account_id: c.teamManager.id, granted_by_id: c.teamManager.id }]);
    const audit = await api.db.query(
      `SELECT actor_id, child_id, entity, entity_id, fields, result, break_glass, reason FROM audit_entry WHERE action = 'child.restricted'`,
    );
    expect(audit).toEqual([
      {
        actor_id: c.teamManager.id, child_id: child.id, entity: 'child', entity_id: child.id,
        fields: expect.arrayContaining(['restricted', 'namedAccountIds']), result: 'ALLOWED', break_glass: false, reason: REASON,
      },
    ]);
  });

  it('restricts a family to the named people, with its audit row, and hides it from everyone else', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const family = await given.family([child.id]);
    expect((await api.run(FAMILY, { id: family.id }, c.socialWorker)).data?.family?.id).toBe(family.id);

    const input = { familyId: family.id, restricted: true, reason: REASON, namedAccountIds: [c.teamManager.id], expectedVersion: 1 };
    const r = await api.run(RESTRICT, { input }, c.teamManager);
    expect(r.errors).toBeUndefined();
    expect(r.data.restrictRecord).toEqual({
      recordType: 'FAMILY', recordId: family.id, restricted: true, namedAccountIds: [c.teamManager.id], version: 2,
    });
    expect(await familyRow(family.id)).toEqual({ restricted: true, version: 2 });
    expect(await grantsOf('family_id', family.id)).toEqual([{ account_id: c.teamManager.id, granted_by_id: c.teamManager.id }]);
    const audit = await given.auditRows('family.restricted', family.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.teamManager.id, result: 'ALLOWED' });
    expect(audit[0].fields).toEqual(expect.arrayContaining(['restricted', 'namedAccountIds']));
    // The child's own record is not restricted by restricting the household.
    expect(await childRow(child.id)).toMatchObject({ restricted: false, version: 1 });

    expect(codeOf(await api.run(FAMILY, { id: family.id }, c.socialWorker))).toBe('NOT_FOUND');
    expect((await api.run(FAMILY, { id: family.id }, c.teamManager)).data.family).toEqual({ id: family.id, restricted: true, version: 2 });
  });

  it('refuses a stale expectedVersion and writes nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const bumped = await api.run(UPDATE, { input: { id: child.id, expectedVersion: 1, firstName: 'Maya' } }, c.socialWorker);
    expect(bumped.data.updateChild.version).toBe(2);
    const stale = await api.run(RESTRICT, restrictChild(child.id, [c.teamManager.id], { expectedVersion: 1 }), c.teamManager);
    expect(codeOf(stale)).toBe('STALE_VERSION');
    expect(await childRow(child.id)).toEqual({ restricted: false, restriction_reason: null, version: 2 });

    const family = await given.family([child.id]);
    const famInput = { familyId: family.id, restricted: true, reason: REASON, namedAccountIds: [c.teamManager.id], expectedVersion: 7 };
    expect(codeOf(await api.run(RESTRICT, { input: famInput }, c.teamManager))).toBe('STALE_VERSION');
    expect(await familyRow(family.id)).toEqual({ restricted: false, version: 1 });

    expect(await given.count('restriction_grant')).toBe(0);
    expect(await given.auditRows('child.restricted')).toHaveLength(0);
    expect(await given.auditRows('family.restricted')).toHaveLength(0);
  });
});

describe('restricted children: who sees them', () => {
  it('hides a restricted child from search and lookup for everyone not named, and shows it to the named', async () => {
    const child = await given.child({ teamId: c.teamA.id, firstName: 'Octavia', lastName: 'Quill' });
    // Before: the allocated team and the service manager see the child.
    for (const who of [c.socialWorker, c.serviceManager]) {
      expect(await searchIds('Octavia Quill', who)).toEqual([child.id]);
      expect((await api.run(CHILD, { id: child.id }, who)).data.child.id).toBe(child.id);
    }
    expect((await api.run(RESTRICT, restrictChild(child.id, [c.teamManager.id]), c.teamManager)).errors).toBeUndefined();

    for (const who of [c.socialWorker, c.serviceManager, c.frontDoor]) {
      expect(await searchIds('Octavia Quill', who)).toEqual([]);
      const r = await api.run(CHILD, { id: child.id }, who);
      expect(codeOf(r)).toBe('NOT_FOUND');
      expect(r.data?.child ?? null).toBeNull();
    }
    expect(await searchIds('Octavia Quill', c.teamManager)).toEqual([child.id]);
    const named = await api.run(CHILD, { id: child.id }, c.teamManager);
    expect(named.data.child).toMatchObject({ id: child.id, firstName: 'Octavia', version: 2 });
    const views = await api.db.query(
      `SELECT actor_id, result, break_glass FROM audit_entry WHERE action = 'child.viewed' AND entity_id = $1 AND actor_id = $2`,
      [child.id, c.teamManager.id],
    );
    expect(views).toEqual([{ actor_id: c.teamManager.id, result: 'ALLOWED', break_glass: false }]);
  });

  it('lets information governance restrict any child, outside any team', async () => {
    const child = await given.child({ teamId: c.teamB.id, firstName: 'Ignatius', lastName: 'Vale' });
    const unallocated = await given.child({ firstName: 'Ignatia', lastName: 'Vale' });
    const r = await api.run(RESTRICT, restrictChild(child.id, [c.otherSocialWorker.id]), c.governance);
    expect(r.errors).toBeUndefined();
    expect(r.data.restrictRecord).toMatchObject({ restricted: true, namedAccountIds: [c.otherSocialWorker.id], version: 2 });
    expect((await api.run(RESTRICT, restrictChild(unallocated.id, [c.frontDoor.id]), c.governance)).errors).toBeUndefined();
    expect(await given.auditRows('child.restricted', child.id)).toMatchObject([{ actor_id: c.governance.id }]);

    expect((await api.run(CHILD, { id: child.id }, c.otherSocialWorker)).data.child.id).toBe(child.id);
    expect(codeOf(await api.run(CHILD, { id: child.id }, c.serviceManager))).toBe('NOT_FOUND');
    expect(await searchIds('Vale', c.serviceManager)).toEqual([]);
    expect(await searchIds('Ignatia Vale', c.frontDoor)).toEqual([unallocated.id]);
  });

  it('restores access when the restriction is lifted', async () => {
    const child = await given.child({ teamId: c.teamA.id, firstName: 'Perpetua', lastName: 'Stone' });
    expect((await api.run(RESTRICT, restrictChild(child.id, [c.teamManager.id]), c.teamManager)).errors).toBeUndefined();
    expect(codeOf(await api.run(CHILD, { id: child.id }, c.socialWorker))).toBe('NOT_FOUND');

    const lift = await api.run(
      RESTRICT,
      { input: { childId: child.id, restricted: false, reason: 'Staff member has left the service', namedAccountIds: [], expectedVersion: 2 } },
      c.teamManager,
    );
    expect(lift.errors).toBeUndefined();
    expect(lift.data.restrictRecord).toEqual({ recordType: 'CHILD', recordId: child.id, restricted: false, namedAccountIds: [], version: 3 });
    expect(await childRow(child.id)).toMatchObject({ restricted: false, version: 3 });
    expect(await grantsOf('child_id', child.id)).toEqual([]);
    expect(await given.auditRows('child.unrestricted', child.id)).toMatchObject([{ actor_id: c.teamManager.id }]);

    for (const who of [c.socialWorker, c.serviceManager]) {
      expect(await searchIds('Perpetua Stone', who)).toEqual([child.id]);
      expect((await api.run(CHILD, { id: child.id }, who)).data.child.id).toBe(child.id);
    }
  });
});

describe('breakGlass', () => {
  const breakGlass = (childId: string, reason = BREAK_REASON) => ({ input: { childId, reason } });

  it('refuses an anonymous caller and writes nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id, restrictedTo: [c.otherSocialWorker.id] });
    expect(codeOf(await api.run(BREAK_GLASS, breakGlass(child.id)))).toBe('UNAUTHENTICATED');
    expect(await given.count('break_glass_access')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses roles without the permission (a social worker, governance, an analyst) and writes nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id, restrictedTo: [c.otherSocialWorker.id] });
    for (const who of [c.socialWorker, c.governance, c.analyst]) {
      expect(codeOf(await api.run(BREAK_GLASS, breakGlass(child.id), who))).toBe('FORBIDDEN');
    }
    expect(await given.count('break_glass_access')).toBe(0);
    expect(await given.auditRows('child.breakGlass')).toHaveLength(0);
    expect(await given.auditRows('access.denied')).toHaveLength(3);
    expect(codeOf(await api.run(CHILD, { id: child.id }, c.socialWorker))).toBe('NOT_FOUND');
  });

  it('refuses invalid input and writes nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id, restrictedTo: [c.otherSocialWorker.id] });
    const short = await api.run(BREAK_GLASS, breakGlass(child.id, 'Urgent, sorry'), c.teamManager);
    expect(codeOf(short)).toBe('BAD_USER_INPUT');
    expect(short.errors?.[0].extensions?.fields?.map((f) => f.field)).toEqual(['reason']);
    const badId = await api.run(BREAK_GLASS, breakGlass('not-a-uuid'), c.teamManager);
    expect(codeOf(badId)).toBe('BAD_USER_INPUT');
    expect(await given.count('audit_entry')).toBe(0);
    // A missing child is refused like any child out of reach, and the attempt is audited (a flagged denial).
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(codeOf(await api.run(BREAK_GLASS, breakGlass(missing), c.teamManager))).toBe('NOT_FOUND');
    expect(await given.count('break_glass_access')).toBe(0);
    expect((await given.auditRows('child.breakGlass', missing)).map((a) => a.result)).toEqual(['DENIED']);
  });

  it("refuses break-glass on a restricted child outside the actor's own team, as NOT_FOUND, audited", async () => {
    const child = await given.child({ teamId: c.teamB.id, restrictedTo: [c.otherSocialWorker.id] });
    for (const who of [c.teamManager, c.frontDoor]) {
      expect(codeOf(await api.run(BREAK_GLASS, breakGlass(child.id), who))).toBe('NOT_FOUND');
    }
    expect(await given.count('break_glass_access')).toBe(0);
    expect((await given.auditRows('child.breakGlass', child.id)).map((a) => a.result)).toEqual(['DENIED', 'DENIED']);
    expect(codeOf(await api.run(CHILD, { id: child.id }, c.teamManager))).toBe('NOT_FOUND');
  });

  it('gives read access only: someone who broke glass cannot change, restrict or reallocate the record', async () => {
    const child = await given.child({ teamId: c.teamA.id, restrictedTo: [c.otherSocialWorker.id] });
    expect((await api.run(BREAK_GLASS, breakGlass(child.id), c.teamManager)).errors).toBeUndefined();
    expect((await api.run(CHILD, { id: child.id }, c.teamManager)).data.child.id).toBe(child.id);
    const update = await api.run(
      `mutation($input: UpdateChildInput!) { updateChild(input: $input) { id } }`,
      { input: { id: child.id, expectedVersion: 1, firstName: 'Changed' } },
      c.teamManager,
    );
    expect(codeOf(update)).toBe('NOT_FOUND');
    const restrict = await api.run(RESTRICT, {
      input: { childId: child.id, restricted: true, reason: 'Taking over this record', namedAccountIds: [c.teamManager.id], expectedVersion: 2 },
    }, c.teamManager);
    expect(codeOf(restrict)).toBe('NOT_FOUND');
    const allocate = await api.run(
      `mutation($input: AllocateCaseInput!) { allocateCase(input: $input) { id } }`,
      { input: { childId: child.id, teamId: c.teamB.id, expectedVersion: 1, reason: 'Moving it' } },
      c.teamManager,
    );
    expect(codeOf(allocate)).toBe('NOT_FOUND');
    const [row] = await api.db.query(`SELECT first_name, version FROM child WHERE id = $1`, [child.id]);
    expect(row.version).toBe(1);
    const grants = await api.db.query(`SELECT account_id FROM restriction_grant WHERE child_id = $1`, [child.id]);
    expect(grants.map((g: { account_id: string }) => g.account_id)).toEqual([c.otherSocialWorker.id]);
    expect((await given.auditRows('child.changeDenied', child.id)).length).toBe(3);
  });

  it('answers BREAK_GLASS_NOT_NEEDED for an unrestricted child, or for someone already named, writing nothing', async () => {
    const open = await given.child({ teamId: c.teamA.id });
    expect(codeOf(await api.run(BREAK_GLASS, breakGlass(open.id), c.teamManager))).toBe('BREAK_GLASS_NOT_NEEDED');
    const restricted = await given.child({ teamId: c.teamA.id, restrictedTo: [c.teamManager.id] });
    expect(codeOf(await api.run(BREAK_GLASS, breakGlass(restricted.id), c.teamManager))).toBe('BREAK_GLASS_NOT_NEEDED');
    expect(await given.count('break_glass_access')).toBe(0);
    expect(await given.auditRows('child.breakGlass')).toHaveLength(0);
  });

  it('gives a team manager not named time-limited access, flagged with the reason in the audit', async () => {
    const child = await given.child({ teamId: c.teamA.id, firstName: 'Quentin', lastName: 'Marsh', restrictedTo: [c.otherSocialWorker.id] });
    expect(codeOf(await api.run(CHILD, { id: child.id }, c.teamManager))).toBe('NOT_FOUND');
    expect(await searchIds('Quentin Marsh', c.teamManager)).toEqual([]);

    const before = Date.now();
    const r = await api.run(BREAK_GLASS, breakGlass(child.id), c.teamManager);
    expect(r.errors).toBeUndefined();
    expect(r.data.breakGlass.childId).toBe(child.id);
    const minutesLeft = (Date.parse(r.data.breakGlass.expiresAt) - before) / 60_000;
    expect(minutesLeft).toBeGreaterThan(239);
    expect(minutesLeft).toBeLessThan(241);

    const grants = await api.db.query(`SELECT account_id, reason FROM break_glass_access WHERE child_id = $1`, [child.id]);
    expect(grants).toEqual([{ account_id: c.teamManager.id, reason: BREAK_REASON }]);
    const audit = await api.db.query(
      `SELECT actor_id, child_id, entity_id, result, break_glass, reason FROM audit_entry WHERE action = 'child.breakGlass'`,
    );
    expect(audit).toEqual([
      { actor_id: c.teamManager.id, child_id: child.id, entity_id: child.id, result: 'ALLOWED', break_glass: true, reason: BREAK_REASON },
    ]);

    // During the access: the child is visible, and every view is flagged as break-glass.
    expect((await api.run(CHILD, { id: child.id }, c.teamManager)).data.child.id).toBe(child.id);
    expect((await api.run(CHILD, { id: child.id }, c.teamManager)).data.child.firstName).toBe('Quentin');
    expect(await searchIds('Quentin Marsh', c.teamManager)).toEqual([child.id]);
    const views = await api.db.query(
      `SELECT result, break_glass FROM audit_entry WHERE action = 'child.viewed' AND entity_id = $1 AND actor_id = $2 ORDER BY id`,
      [child.id, c.teamManager.id],
    );
    expect(views).toEqual([
      { result: 'DENIED', break_glass: false },
      { result: 'ALLOWED', break_glass: true },
      { result: 'ALLOWED', break_glass: true },
    ]);
    // A named person's view is not break-glass.
    await api.run(CHILD, { id: child.id }, c.otherSocialWorker);
    expect(await api.db.query(`SELECT break_glass FROM audit_entry WHERE action = 'child.viewed' AND actor_id = $1`, [c.otherSocialWorker.id]))
      .toEqual([{ break_glass: false }]);
    // Others still do not see it.
    expect(codeOf(await api.run(CHILD, { id: child.id }, c.socialWorker))).toBe('NOT_FOUND');

    // Once the time is up, access is gone.
    await api.db.query(`UPDATE break_glass_access SET expires_at = now() - interval '1 second' WHERE child_id = $1`, [child.id]);
    expect(codeOf(await api.run(CHILD, { id: child.id }, c.teamManager))).toBe('NOT_FOUND');
    expect(await searchIds('Quentin Marsh', c.teamManager)).toEqual([]);
  });
});

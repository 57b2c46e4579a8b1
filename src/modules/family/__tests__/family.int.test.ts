import { randomUUID } from 'node:crypto';
import { codeOf, GqlResult, TestApi } from '../../../../test/api';
import { Council, Suite, useCouncilSuite } from '../../../../test/factories';

const CREATE = `mutation($input: CreateFamilyInput!) { createFamily(input: $input) { id name address postcode restricted version } }`;
const ADD = `mutation($input: AddFamilyMemberInput!) { addFamilyMember(input: $input) { id version members { kind childId firstName } } }`;
const FAMILY = `query($id: ID!) { family(id: $id) { id name postcode restricted version
  members { id kind childId firstName lastName dateOfBirth relationship parentalResponsibility child { id } } } }`;
const CHILD_FAMILIES = `query($id: ID!) { child(id: $id) { id families { id } } }`;

const suite = useCouncilSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});

const fieldsOf = (r: GqlResult) => (r.errors?.[0].extensions?.fields ?? []).map((f) => f.field).sort();
const mother = { firstName: 'Grace', lastName: 'Okafor', dateOfBirth: '1988-04-02', relationship: 'MOTHER', parentalResponsibility: true };
const newFamily = (childId: string) => ({
  name: 'Okafor household', address: '1 High Street, Anytown', postcode: 'sw1a 1aa',
  members: [{ childId, relationship: 'CHILD' }, mother],
});
const addInput = (familyId: string, member: Record<string, unknown>, expectedVersion = 1) => ({ familyId, expectedVersion, member });
const father = { firstName: 'Daniel', lastName: 'Okafor', relationship: 'FATHER', parentalResponsibility: true };

async function familyRow(id: string) {
  const [row] = await api.db.query(`SELECT version FROM family WHERE id = $1`, [id]);
  const [{ n }] = await api.db.query(`SELECT count(*)::int AS n FROM family_member WHERE family_id = $1`, [id]);
  return { version: row.version, members: n };
}

describe('createFamily', () => {
  it('refuses an anonymous caller and writes nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    expect(codeOf(await api.run(CREATE, { input: newFamily(child.id) }))).toBe('UNAUTHENTICATED');
    expect(await given.count('family')).toBe(0);
    expect(await given.count('family_member')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses roles without family:write, auditing each denial', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    for (const who of [c.conferenceChair, c.analyst, c.admin, c.providerPractitioner, c.governance]) {
      expect(codeOf(await api.run(CREATE, { input: newFamily(child.id) }, who))).toBe('FORBIDDEN');
    }
    expect(await given.count('family')).toBe(0);
    expect(await given.auditRows('access.denied')).toHaveLength(5);
  });

  it("answers NOT_FOUND for a household around another team's child and writes nothing", async () => {
    const own = await given.child({ teamId: c.teamA.id });
    const theirs = await given.child({ teamId: c.teamB.id });
    const input = { ...newFamily(own.id), members: [{ childId: own.id, relationship: 'CHILD' }, { childId: theirs.id, relationship: 'SIBLING' }] };
    const r = await api.run(CREATE, { input }, c.socialWorker);
    expect(codeOf(r)).toBe('NOT_FOUND');
    const missing = await api.run(CREATE, { input: newFamily(randomUUID()) }, c.socialWorker);
    expect(r.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(await given.count('family')).toBe(0);
    expect(await given.count('family_member')).toBe(0);
    expect(await given.auditRows('family.created')).toHaveLength(0);
    expect(await given.auditRows('family.memberAdded')).toHaveLength(0);
    expect(await given.auditRows('child.changeDenied', theirs.id)).toHaveLength(1);
  });

  it('refuses an adult without a name, a bad postcode and a relationship not in the list, writing nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const badFields = await api.run(CREATE, {
      input: { ...newFamily(child.id), postcode: 'NOT A POSTCODE', members: [{ childId: child.id, relationship: 'COUSIN_ONCE_REMOVED' }, mother] },
    }, c.socialWorker);
    expect(codeOf(badFields)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(badFields)).toEqual(['members.0.relationship', 'postcode']);

    const nameless = await api.run(CREATE, {
      input: { ...newFamily(child.id), members: [{ childId: child.id, relationship: 'CHILD' }, { relationship: 'FATHER' }] },
    }, c.socialWorker);
    expect(codeOf(nameless)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(nameless)).toEqual(['members.1.firstName']);

    const noChild = await api.run(CREATE, { input: { ...newFamily(child.id), members: [mother] } }, c.socialWorker);
    expect(codeOf(noChild)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(noChild)).toEqual(['members']);

    const childWithName = await api.run(CREATE, {
      input: { ...newFamily(child.id), members: [{ childId: child.id, firstName: 'Amara', relationship: 'CHILD' }] },
    }, c.socialWorker);
    expect(codeOf(childWithName)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(childWithName)).toEqual(['members.0.childId']);

    expect(await given.count('family')).toBe(0);
    expect(await given.count('family_member')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('records a household and its members with their audit rows', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const r = await api.run(CREATE, { input: newFamily(child.id) }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    const family = r.data.createFamily;
    expect(family).toMatchObject({ name: 'Okafor household', address: '1 High Street, Anytown', postcode: 'SW1A 1AA', restricted: false, version: 1 });
    expect(await familyRow(family.id)).toEqual({ version: 1, members: 2 });

    const created = await given.auditRows('family.created', family.id);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ actor_id: c.socialWorker.id, child_id: null });
    expect([...created[0].fields].sort()).toEqual(['address', 'name', 'postcode']);
    const added = await given.auditRows('family.memberAdded');
    expect(added).toHaveLength(2);
    expect(added.map((a) => a.actor_id)).toEqual([c.socialWorker.id, c.socialWorker.id]);
    expect(added.map((a) => a.child_id)).toEqual([child.id, null]);
    expect(added[0].fields).toEqual(['relationship', 'parentalResponsibility']);

    const read = await api.run(FAMILY, { id: family.id }, c.socialWorker);
    expect(read.errors).toBeUndefined();
    const members = read.data.family.members;
    expect(members).toHaveLength(2);
    expect(members.find((m: { kind: string }) => m.kind === 'ADULT')).toMatchObject({
      childId: null, firstName: 'Grace', lastName: 'Okafor', dateOfBirth: '1988-04-02', relationship: 'MOTHER', parentalResponsibility: true,
      child: null,
    });
    expect(members.find((m: { kind: string }) => m.kind === 'CHILD')).toMatchObject({
      childId: child.id, firstName: null, relationship: 'CHILD', parentalResponsibility: false, child: { id: child.id },
    });
  });

  it('refuses the same child twice in one household, writing nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const input = { ...newFamily(child.id), members: [{ childId: child.id, relationship: 'CHILD' }, { childId: child.id, relationship: 'SIBLING' }] };
    expect(codeOf(await api.run(CREATE, { input }, c.socialWorker))).toBe('FAMILY_MEMBER_ALREADY_ADDED');
    expect(await given.count('family')).toBe(0);
    expect(await given.count('family_member')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });
});

describe('addFamilyMember', () => {
  it('refuses an anonymous caller and writes nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const family = await given.family([child.id]);
    expect(codeOf(await api.run(ADD, { input: addInput(family.id, father) }))).toBe('UNAUTHENTICATED');
    expect(await familyRow(family.id)).toEqual({ version: 1, members: 2 });
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses roles without family:write', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const family = await given.family([child.id]);
    for (const who of [c.conferenceChair, c.analyst, c.providerManager]) {
      expect(codeOf(await api.run(ADD, { input: addInput(family.id, father) }, who))).toBe('FORBIDDEN');
    }
    expect(await familyRow(family.id)).toEqual({ version: 1, members: 2 });
    expect(await given.auditRows('family.memberAdded')).toHaveLength(0);
  });

  it("answers NOT_FOUND for another team's household, as for a missing one, and writes nothing", async () => {
    const theirs = await given.child({ teamId: c.teamB.id });
    const family = await given.family([theirs.id]);
    const r = await api.run(ADD, { input: addInput(family.id, father) }, c.socialWorker);
    const missing = await api.run(ADD, { input: addInput(randomUUID(), father) }, c.socialWorker);
    expect(codeOf(r)).toBe('NOT_FOUND');
    expect(r.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(await familyRow(family.id)).toEqual({ version: 1, members: 2 });
    expect(await given.auditRows('family.memberAdded')).toHaveLength(0);
  });

  it("answers NOT_FOUND when adding another team's child to one's own household, and writes nothing", async () => {
    const own = await given.child({ teamId: c.teamA.id });
    const theirs = await given.child({ teamId: c.teamB.id });
    const family = await given.family([own.id]);
    const r = await api.run(ADD, { input: addInput(family.id, { childId: theirs.id, relationship: 'SIBLING' }) }, c.socialWorker);
    expect(codeOf(r)).toBe('NOT_FOUND');
    expect(await familyRow(family.id)).toEqual({ version: 1, members: 2 });
    expect(await given.auditRows('family.memberAdded')).toHaveLength(0);
    expect(await given.auditRows('child.changeDenied', theirs.id)).toHaveLength(1);
  });

  it('refuses invalid members with the fields at fault, writing nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const family = await given.family([child.id]);
    const cases: [Record<string, unknown>, string[]][] = [
      [{ relationship: 'FATHER' }, ['member.firstName']],
      [{ firstName: 'Daniel', relationship: 'FATHER' }, ['member.firstName']],
      [{ ...father, relationship: 'LANDLORD' }, ['member.relationship']],
      [{ ...father, dateOfBirth: '2999-01-01' }, ['member.dateOfBirth']],
      [{ childId: child.id, lastName: 'Smith', relationship: 'SIBLING' }, ['member.childId']],
    ];
    for (const [member, fields] of cases) {
      const r = await api.run(ADD, { input: addInput(family.id, member) }, c.socialWorker);
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(r)).toEqual(fields);
    }
    const badVersion = await api.run(ADD, { input: addInput(family.id, father, 0) }, c.socialWorker);
    expect(fieldsOf(badVersion)).toEqual(['expectedVersion']);
    expect(await familyRow(family.id)).toEqual({ version: 1, members: 2 });
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('adds an adult and a child, each with its audit row, moving the household version on', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const sibling = await given.child({ teamId: c.teamA.id });
    const family = await given.family([child.id]);
    const r = await api.run(ADD, { input: addInput(family.id, father) }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.addFamilyMember.version).toBe(2);
    expect(r.data.addFamilyMember.members.map((m: { firstName: string | null }) => m.firstName)).toContain('Daniel');
    const r2 = await api.run(ADD, { input: addInput(family.id, { childId: sibling.id, relationship: 'SIBLING' }, 2) }, c.teamManager);
    expect(r2.errors).toBeUndefined();
    expect(r2.data.addFamilyMember.version).toBe(3);
    expect(await familyRow(family.id)).toEqual({ version: 3, members: 4 });
    const audit = await given.auditRows('family.memberAdded');
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actor_id: c.socialWorker.id, child_id: null, fields: ['relationship', 'parentalResponsibility'] });
    expect(audit[1]).toMatchObject({ actor_id: c.teamManager.id, child_id: sibling.id });
  });

  it('refuses a stale version and writes nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const family = await given.family([child.id]);
    expect((await api.run(ADD, { input: addInput(family.id, father) }, c.socialWorker)).errors).toBeUndefined();
    const stale = await api.run(ADD, { input: addInput(family.id, { ...father, firstName: 'Other', relationship: 'STEP_PARENT' }) }, c.teamManager);
    expect(codeOf(stale)).toBe('STALE_VERSION');
    expect(await familyRow(family.id)).toEqual({ version: 2, members: 3 });
    expect(await given.auditRows('family.memberAdded')).toHaveLength(1);
  });

  it('refuses the same child twice, writing nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const family = await given.family([child.id]);
    const r = await api.run(ADD, { input: addInput(family.id, { childId: child.id, relationship: 'SIBLING' }) }, c.socialWorker);
    expect(codeOf(r)).toBe('FAMILY_MEMBER_ALREADY_ADDED');
    expect(await familyRow(family.id)).toEqual({ version: 1, members: 2 });
    expect(await given.auditRows('family.memberAdded')).toHaveLength(0);
  });
});

describe('family: who sees what', () => {
  it('shows a restricted sibling as a child member without its id, to anyone not named on it', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const hidden = await given.child({ teamId: c.teamA.id, restrictedTo: [c.teamManager.id] });
    const family = await given.family([child.id, hidden.id]);
    const members = `query($id: ID!) { family(id: $id) { members { kind childId child { id } } } }`;
    const seen = (await api.run(members, { id: family.id }, c.socialWorker)).data.family.members;
    const childMembers = seen.filter((m: { kind: string }) => m.kind === 'CHILD');
    expect(childMembers).toHaveLength(2);
    expect(childMembers.map((m: { childId: string | null }) => m.childId).sort()).toEqual([child.id, null].sort());
    expect(JSON.stringify(seen)).not.toContain(hidden.id);
    const named = (await api.run(members, { id: family.id }, c.teamManager)).data.family.members;
    expect(JSON.stringify(named)).toContain(hidden.id);
  });


  it('refuses an anonymous caller and roles without case data', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const family = await given.family([child.id]);
    expect(codeOf(await api.run(FAMILY, { id: family.id }))).toBe('UNAUTHENTICATED');
    for (const who of [c.analyst, c.admin, c.governance]) {
      expect(codeOf(await api.run(FAMILY, { id: family.id }, who))).toBe('FORBIDDEN');
    }
    // Provider staff: only families referred to their organisation; this one is not found.
    expect(codeOf(await api.run(FAMILY, { id: family.id }, c.providerPractitioner))).toBe('NOT_FOUND');
  });

  it("shows a member child's full record only to those whose scope includes that child", async () => {
    const own = await given.child({ teamId: c.teamA.id });
    const theirs = await given.child({ teamId: c.teamB.id });
    const family = await given.family([own.id, theirs.id]);
    const childOf = (r: GqlResult, id: string) =>
      r.data.family.members.find((m: { childId: string | null }) => m.childId === id).child;

    const a = await api.run(FAMILY, { id: family.id }, c.socialWorker);
    expect(a.errors).toBeUndefined();
    expect(a.data.family.members).toHaveLength(3);
    expect(childOf(a, own.id)).toEqual({ id: own.id });
    expect(childOf(a, theirs.id)).toBeNull();

    const b = await api.run(FAMILY, { id: family.id }, c.otherSocialWorker);
    expect(childOf(b, own.id)).toBeNull();
    expect(childOf(b, theirs.id)).toEqual({ id: theirs.id });

    const sm = await api.run(FAMILY, { id: family.id }, c.serviceManager);
    expect(childOf(sm, own.id)).toEqual({ id: own.id });
    expect(childOf(sm, theirs.id)).toEqual({ id: theirs.id });

    // Only the children actually shown were audited as viewed.
    expect((await given.auditRows('child.viewed', theirs.id)).map((x) => x.actor_id).sort())
      .toEqual([c.otherSocialWorker.id, c.serviceManager.id].sort());
  });

  it('answers NOT_FOUND for a household with none of the actor\'s children, as for a missing one', async () => {
    const theirs = await given.child({ teamId: c.teamB.id });
    const family = await given.family([theirs.id]);
    const r = await api.run(FAMILY, { id: family.id }, c.socialWorker);
    const missing = await api.run(FAMILY, { id: randomUUID() }, c.socialWorker);
    expect(codeOf(r)).toBe('NOT_FOUND');
    expect(r.data?.family ?? null).toBeNull();
    expect(r.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect((await api.run(FAMILY, { id: family.id }, c.frontDoor)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('hides a restricted household from everyone not named, even a service manager', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const family = await given.family([child.id], { restrictedTo: [c.teamManager.id] });
    for (const who of [c.socialWorker, c.serviceManager]) {
      expect(codeOf(await api.run(FAMILY, { id: family.id }, who))).toBe('NOT_FOUND');
      expect(codeOf(await api.run(ADD, { input: addInput(family.id, father) }, who))).toBe('NOT_FOUND');
      const viaChild = await api.run(CHILD_FAMILIES, { id: child.id }, who);
      expect(viaChild.errors).toBeUndefined();
      expect(viaChild.data.child.families).toEqual([]);
    }
    expect(await familyRow(family.id)).toEqual({ version: 1, members: 2 });
    const named = await api.run(FAMILY, { id: family.id }, c.teamManager);
    expect(named.errors).toBeUndefined();
    expect(named.data.family).toMatchObject({ id: family.id, restricted: true });
    expect((await api.run(CHILD_FAMILIES, { id: child.id }, c.teamManager)).data.child.families).toEqual([{ id: family.id }]);
  });
});

import { codeOf, TestApi } from '../../../../test/api';
import { Council, Suite, useCouncilSuite } from '../../../../test/factories';

const CREATE = `mutation($input: CreateChildInput!) { createChild(input: $input) {
  child { id laChildId firstName version } possibleDuplicates { id laChildId inScope } } }`;
const UPDATE = `mutation($input: UpdateChildInput!) { updateChild(input: $input) { id firstName ethnicity version } }`;
const CHILD = `query($id: ID!) { child(id: $id) { id firstName nhsNumber version } }`;
const SEARCH = `query($s: ChildSearchInput!) { children(search: $s) { totalCount edges { node { id firstName lastName inScope allocatedTeam { name } } } } }`;

const suite = useCouncilSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});

const newChild = { firstName: 'Amara', lastName: 'Okafor', dateOfBirth: '2016-03-14', sex: 'F', nhsNumber: '9434765919', ethnicity: 'BAFR' };

describe('createChild', () => {
  it('refuses an anonymous caller and writes nothing', async () => {
    const r = await api.run(CREATE, { input: newChild });
    expect(codeOf(r)).toBe('UNAUTHENTICATED');
    expect(await given.count('child')).toBe(0);
  });

  it('refuses roles that hold no case data, and audits the denial', async () => {
    for (const who of [c.analyst, c.admin, c.providerPractitioner]) {
      const r = await api.run(CREATE, { input: newChild }, who);
      expect(codeOf(r)).toBe('FORBIDDEN');
    }
    expect(await given.count('child')).toBe(0);
    expect((await given.auditRows('access.denied')).length).toBe(3);
  });

  it('refuses a bad NHS number, UPN or LA child ID with the fields at fault, writing nothing', async () => {
    const r = await api.run(CREATE, { input: { ...newChild, nhsNumber: '9434765918', upn: 'A201202600001', laChildId: 'C-1' } }, c.socialWorker);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    const fields = (r.errors?.[0].extensions?.fields ?? []).map((f) => f.field).sort();
    expect(fields).toEqual(['laChildId', 'nhsNumber', 'upn']);
    expect(await given.count('child')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses a child with both a date of birth and an expected date of birth', async () => {
    const r = await api.run(CREATE, { input: { ...newChild, expectedDateOfBirth: '2027-01-01' } }, c.socialWorker);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(await given.count('child')).toBe(0);
  });

  it('records a child with its audit row and allocates it to the recording team', async () => {
    const r = await api.run(CREATE, { input: newChild }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    const child = r.data.createChild.child;
    expect(child.laChildId).toMatch(/^C\d{7}$/);
    expect(child.version).toBe(1);
    const audit = await given.auditRows('child.created', child.id);
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_id).toBe(c.socialWorker.id);
    expect(audit[0].fields).toEqual(expect.arrayContaining(['firstName', 'nhsNumber']));
    const [alloc] = await api.db.query(`SELECT team_id FROM allocation WHERE child_id = $1 AND ended_at IS NULL`, [child.id]);
    expect(alloc.team_id).toBe(c.teamA.id);
  });

  it('warns of likely duplicates: same NHS number, or similar name and the same date of birth', async () => {
    const existing = await given.child({ teamId: c.teamB.id, firstName: 'Amarah', lastName: 'Okafor', dateOfBirth: '2016-03-14' });
    const r = await api.run(CREATE, { input: { ...newChild, nhsNumber: null } }, c.frontDoor);
    expect(r.errors).toBeUndefined();
    expect(r.data.createChild.possibleDuplicates.map((d: { id: string }) => d.id)).toEqual([existing.id]);
    expect(r.data.createChild.possibleDuplicates[0].inScope).toBe(false);
  });

  it('refuses an LA child ID already in use', async () => {
    const existing = await given.child();
    const r = await api.run(CREATE, { input: { ...newChild, laChildId: existing.laChildId } }, c.socialWorker);
    expect(codeOf(r)).toBe('CHILD_LA_ID_TAKEN');
    expect(await given.count('child')).toBe(1);
  });
});

describe('updateChild', () => {
  it('is refused anonymously, for roles without case data, and for another team\'s child', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    expect(codeOf(await api.run(UPDATE, { input: { id: child.id, expectedVersion: 1, firstName: 'X' } }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await api.run(UPDATE, { input: { id: child.id, expectedVersion: 1, firstName: 'X' } }, c.analyst))).toBe('FORBIDDEN');
    expect(codeOf(await api.run(UPDATE, { input: { id: child.id, expectedVersion: 1, firstName: 'X' } }, c.otherSocialWorker))).toBe('NOT_FOUND');
    const [row] = await api.db.query(`SELECT first_name, version FROM child WHERE id = $1`, [child.id]);
    expect(row).toEqual({ first_name: 'Child' + row.first_name.slice(5), version: 1 });
    expect(await given.auditRows('child.changeDenied', child.id)).toHaveLength(1);
  });

  it('refuses invalid input and changes nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const r = await api.run(UPDATE, { input: { id: child.id, expectedVersion: 1, ethnicity: 'XXXX' } }, c.socialWorker);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].extensions?.fields?.[0].field).toBe('ethnicity');
    const [row] = await api.db.query(`SELECT ethnicity, version FROM child WHERE id = $1`, [child.id]);
    expect(row).toEqual({ ethnicity: 'WBRI', version: 1 });
  });

  it('records a date of death (not before birth, not in the future) and a former UPN, for the CIN census', async () => {
    const child = await given.child({ teamId: c.teamA.id, dateOfBirth: '2015-06-01' });
    const Q = `mutation($input: UpdateChildInput!) { updateChild(input: $input) { id dateOfDeath formerUpn version } }`;
    const before = await api.run(Q, { input: { id: child.id, expectedVersion: 1, dateOfDeath: '2015-05-31' } }, c.socialWorker);
    expect(before.errors?.[0].extensions?.fields?.map((f) => f.field)).toEqual(['dateOfDeath']);
    const future = await api.run(Q, { input: { id: child.id, expectedVersion: 1, dateOfDeath: '2099-01-01' } }, c.socialWorker);
    expect(codeOf(future)).toBe('BAD_USER_INPUT');
    const badUpn = await api.run(Q, { input: { id: child.id, expectedVersion: 1, formerUpn: 'A123' } }, c.socialWorker);
    expect(badUpn.errors?.[0].extensions?.fields?.map((f) => f.field)).toEqual(['formerUpn']);
    const [unchanged] = await api.db.query(`SELECT date_of_death, former_upn, version FROM child WHERE id = $1`, [child.id]);
    expect(unchanged).toEqual({ date_of_death: null, former_upn: null, version: 1 });
    const [{ upn }] = await api.db.query(`SELECT upn FROM child WHERE id = $1`, [child.id]);
    const ok = await api.run(Q, { input: { id: child.id, expectedVersion: 1, dateOfDeath: '2024-02-10', formerUpn: upn } }, c.socialWorker);
    expect(ok.errors).toBeUndefined();
    expect(ok.data.updateChild).toEqual({ id: child.id, dateOfDeath: '2024-02-10', formerUpn: upn, version: 2 });
    expect((await given.auditRows('child.updated', child.id))[0].fields.sort()).toEqual(['dateOfDeath', 'formerUpn']);
  });

  it('updates with the expected version, audits the fields changed, and refuses a stale version', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const ok = await api.run(UPDATE, { input: { id: child.id, expectedVersion: 1, firstName: 'Maya', ethnicity: 'WBRI' } }, c.socialWorker);
    expect(ok.errors).toBeUndefined();
    expect(ok.data.updateChild).toMatchObject({ firstName: 'Maya', version: 2 });
    const audit = await given.auditRows('child.updated', child.id);
    expect(audit).toHaveLength(1);
    expect(audit[0].fields).toEqual(['firstName']);

    const stale = await api.run(UPDATE, { input: { id: child.id, expectedVersion: 1, firstName: 'Overwrite' } }, c.teamManager);
    expect(codeOf(stale)).toBe('STALE_VERSION');
    const [row] = await api.db.query(`SELECT first_name, version FROM child WHERE id = $1`, [child.id]);
    expect(row).toEqual({ first_name: 'Maya', version: 2 });
    expect(await given.auditRows('child.updated', child.id)).toHaveLength(1);
  });

  it('lets exactly one of two concurrent updates with the same expected version win', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const [a, b] = await Promise.all([
      api.run(UPDATE, { input: { id: child.id, expectedVersion: 1, firstName: 'First' } }, c.socialWorker),
      api.run(UPDATE, { input: { id: child.id, expectedVersion: 1, firstName: 'Second' } }, c.teamManager),
    ]);
    const codes = [codeOf(a), codeOf(b)];
    expect(codes.filter((x) => x === undefined)).toHaveLength(1);
    expect(codes.filter((x) => x === 'STALE_VERSION')).toHaveLength(1);
    const winner = codeOf(a) === undefined ? 'First' : 'Second';
    const [row] = await api.db.query(`SELECT first_name, version FROM child WHERE id = $1`, [child.id]);
    expect(row).toEqual({ first_name: winner, version: 2 });
    expect(await given.auditRows('child.updated', child.id)).toHaveLength(1);
  });
});

describe('child and children: who sees what', () => {
  it('gives a social worker their team\'s child, audited as a view before it is returned', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const r = await api.run(CHILD, { id: child.id }, c.socialWorker);
    expect(r.data.child.id).toBe(child.id);
    const audit = await given.auditRows('child.viewed', child.id);
    expect(audit).toHaveLength(1);
    expect(audit[0].result).toBe('ALLOWED');
  });

  it('answers NOT_FOUND for another team\'s child exactly as for a missing one, and audits the denial', async () => {
    const child = await given.child({ teamId: c.teamB.id });
    const forbidden = await api.run(CHILD, { id: child.id }, c.socialWorker);
    const missing = await api.run(CHILD, { id: '00000000-0000-4000-8000-000000000000' }, c.socialWorker);
    expect(forbidden.data?.child).toBeNull();
    expect(codeOf(forbidden)).toBe('NOT_FOUND');
    expect(forbidden.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(codeOf(missing)).toBe('NOT_FOUND');
    expect((await given.auditRows('child.viewed', child.id)).map((a) => a.result)).toEqual(['DENIED']);
  });

  it('shows only an identity summary in search for a child outside the team', async () => {
    await given.child({ teamId: c.teamB.id, firstName: 'Jayden', lastName: 'Smith' });
    await given.child({ teamId: c.teamA.id, firstName: 'Jaden', lastName: 'Smyth' });
    const r = await api.run(SEARCH, { s: { name: 'jayden smith' } }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    const nodes = r.data.children.edges.map((e: { node: unknown }) => e.node);
    expect(nodes).toHaveLength(2);
    expect(nodes[0]).toMatchObject({ firstName: 'Jayden', inScope: false, allocatedTeam: { name: 'Team B' } });
    expect(nodes[1]).toMatchObject({ firstName: 'Jaden', inScope: true });
    const summaryFields = `{ children(search: { name: "jayden smith" }) { edges { node { id nhsNumber } } } }`;
    expect((await api.run(summaryFields, {}, c.socialWorker)).errors).toBeUndefined();
    // The summary type has no case fields at all: asking for one is a schema error.
    const caseField = await api.run(`{ children(search: { name: "jayden" }) { edges { node { referrals { id } } } } }`, {}, c.socialWorker);
    expect(codeOf(caseField)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('finds children despite spelling mistakes, and by each identifier', async () => {
    const child = await given.child({ teamId: c.teamA.id, firstName: 'Mohammed', lastName: 'Rahman', dateOfBirth: '2012-02-02' });
    const [row] = await api.db.query(`SELECT la_child_id, nhs_number, upn FROM child WHERE id = $1`, [child.id]);
    for (const s of [
      { name: 'Muhammad Rahman' }, { name: 'mohamed rahmann' }, { name: 'Rahmen' }, { dateOfBirth: '2012-02-02' },
      { laChildId: row.la_child_id.toLowerCase() }, { nhsNumber: row.nhs_number }, { upn: row.upn },
    ]) {
      const r = await api.run(SEARCH, { s }, c.frontDoor);
      expect(r.errors).toBeUndefined();
      expect(r.data.children.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([child.id]);
    }
  });

  it('never shows a restricted child to anyone not named, even a service manager', async () => {
    const restricted = await given.child({ teamId: c.teamA.id, firstName: 'Hidden', lastName: 'Person', restrictedTo: [c.teamManager.id] });
    for (const who of [c.socialWorker, c.serviceManager, c.frontDoor, c.governance]) {
      const s = await api.run(SEARCH, { s: { name: 'Hidden Person' } }, who);
      expect(s.data.children.totalCount).toBe(0);
      if (who !== c.governance) expect(codeOf(await api.run(CHILD, { id: restricted.id }, who))).toBe('NOT_FOUND');
    }
    const named = await api.run(CHILD, { id: restricted.id }, c.teamManager);
    expect(named.data.child.id).toBe(restricted.id);
    expect((await api.run(SEARCH, { s: { name: 'Hidden Person' } }, c.teamManager)).data.children.totalCount).toBe(1);
  });

  it('gives provider staff, analysts and administrators no child case details', async () => {
    const child = await given.child({ teamId: c.teamA.id, firstName: 'Case', lastName: 'Detail' });
    for (const who of [c.analyst, c.admin]) {
      expect(codeOf(await api.run(CHILD, { id: child.id }, who))).toBe('FORBIDDEN');
      expect(codeOf(await api.run(SEARCH, { s: { name: 'Case Detail' } }, who))).toBe('FORBIDDEN');
    }
    // Provider staff may open only children of families referred to their organisation: any other child is not found.
    for (const who of [c.providerPractitioner, c.providerManager]) {
      const res = await api.run(CHILD, { id: child.id }, who);
      expect(codeOf(res)).toBe('NOT_FOUND');
      expect(res.data?.child ?? null).toBeNull();
      expect(codeOf(await api.run(SEARCH, { s: { name: 'Case Detail' } }, who))).toBe('FORBIDDEN');
    }
    // No view of the record; the providers' attempts are audited as denials.
    const views = await given.auditRows('child.viewed', child.id);
    expect(views.map((v) => [v.actor_id, v.result])).toEqual([
      [c.providerPractitioner.id, 'DENIED'], [c.providerManager.id, 'DENIED'],
    ]);
  });

  it('lets a service manager see any unrestricted child in full', async () => {
    const child = await given.child({ teamId: c.teamB.id });
    expect((await api.run(CHILD, { id: child.id }, c.serviceManager)).data.child.id).toBe(child.id);
  });

  it('refuses a disabled account even with a live token', async () => {
    const account = await given.account('SOCIAL_WORKER' as never, { teamId: c.teamA.id, disabled: true });
    await expect(api.run(`{ me { id } }`, {}, account)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});

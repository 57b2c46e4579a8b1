import { codeOf, TestApi } from './api';
import { Council, Suite, useCouncilSuite } from './factories';

const suite = useCouncilSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});

const SEARCH = `query($s: ChildSearchInput!, $after: String) { children(search: $s, after: $after) { totalCount } }`;
const CASELOAD = `query($after: String) { myCaseload(after: $after) { totalCount } }`;
const LOG = `query($id: ID!, $after: String) { childAccessLog(childId: $id, after: $after) { totalCount } }`;
const CREATE = `mutation($input: CreateChildInput!) { createChild(input: $input) { child { id } } }`;
const REFER = `mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }`;
const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

describe('bad input gets a typed error and changes nothing', () => {
  it('refuses NUL characters in any text, before anything is read or written', async () => {
    const search = await api.run(SEARCH, { s: { name: 'Am\u0000ara' } }, c.frontDoor);
    expect(codeOf(search)).toBe('BAD_USER_INPUT');
    const create = await api.run(CREATE, { input: { firstName: 'A\u0000', lastName: 'B', dateOfBirth: '2015-01-01', sex: 'F' } }, c.frontDoor);
    expect(codeOf(create)).toBe('BAD_USER_INPUT');
    expect(await given.count('child')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses forged cursors whose parts are not the list\'s sort key', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    for (const after of [cursor(['abc', 'x']), cursor([0.5, 'not-a-uuid']), cursor([1e400]), 'not-base64-json']) {
      expect(codeOf(await api.run(SEARCH, { s: { name: 'Child' }, after }, c.frontDoor))).toBe('BAD_USER_INPUT');
    }
    for (const after of [cursor(['2026-02-30', child.id]), cursor(['2026-01-01', 'x']), cursor([5, child.id])]) {
      expect(codeOf(await api.run(CASELOAD, { after }, c.socialWorker))).toBe('BAD_USER_INPUT');
    }
    for (const after of [cursor(['x']), cursor([1e30]), cursor([null])]) {
      expect(codeOf(await api.run(LOG, { id: child.id, after }, c.governance))).toBe('BAD_USER_INPUT');
    }
  });

  it('refuses a receipt time before 2000, and text longer than its limit, writing nothing', async () => {
    const child = await given.child({ teamId: c.frontDoorTeam.id });
    const input = { childId: child.id, receivedAt: '0001-01-01T00:00:00Z', sourceCode: '2A', primaryNeedCode: 'N1', reason: 'School worried' };
    const old = await api.run(REFER, { input }, c.frontDoor);
    expect(codeOf(old)).toBe('BAD_USER_INPUT');
    expect(old.errors?.[0].extensions?.fields?.map((f) => f.field)).toEqual(['receivedAt']);
    const long = await api.run(REFER, { input: { ...input, receivedAt: '2026-11-20T10:00:00Z', reason: 'x'.repeat(20_001) } }, c.frontDoor);
    expect(codeOf(long)).toBe('BAD_USER_INPUT');
    expect(await given.count('referral')).toBe(0);
  });

  it('treats SQL and JSON operators in search text as plain text', async () => {
    await given.child({ teamId: c.teamA.id, firstName: 'Robert', lastName: 'Tables' });
    for (const name of ["Robert'); DROP TABLE child;--", '{"$gt": ""}', '%_\\']) {
      const r = await api.run(SEARCH, { s: { name } }, c.frontDoor);
      expect(r.errors).toBeUndefined();
    }
    expect(await given.count('child')).toBe(1);
  });
});

describe('ids', () => {
  it('accept any uuid-shaped id (ids made elsewhere need not be RFC 4122 version 4) and refuse anything else', async () => {
    const { api: a, c: council } = suite;
    const nonRfc = await a.run(`query($id: ID!) { child(id: $id) { id } }`, { id: 'c0ffee00-0000-0000-0000-000000000000' }, council.socialWorker);
    expect(codeOf(nonRfc)).toBe('NOT_FOUND');
    const bad = await a.run(`query($id: ID!) { child(id: $id) { id } }`, { id: 'c0ffee00' }, council.socialWorker);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
  });
});

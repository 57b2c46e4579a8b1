import { Kind, OperationTypeNode, parse, validate } from 'graphql';
import { startServer, Running } from '../src/server';
import { buildBareSchema } from '../src/app';
import { QUERY_LIMITS, queryLimitRules, queryParseOptions } from '../src/shared/graphql/limits';
import { TestApi, createTestApi, testConfig } from './api';
import { Council, factories, givenCouncil } from './factories';
import { collectHavenOperations, HavenOperation } from './haven-operations';

let api: TestApi;
let given: ReturnType<typeof factories>;
let c: Council;
let server: Running;
let limited: Running;
let operations: HavenOperation[];

const PER_ACCOUNT = 5;
const ANONYMOUS = 3;

beforeAll(async () => {
  api = await createTestApi();
  given = factories(api.db);
  operations = collectHavenOperations(await buildBareSchema());
  server = await startServer(testConfig({ PORT: '0', LOG_LEVEL: 'silent' }));
  limited = await startServer(
    testConfig({
      PORT: '0',
      LOG_LEVEL: 'silent',
      HAVEN_RATE_LIMIT_PER_MINUTE: String(PER_ACCOUNT),
      HAVEN_RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(ANONYMOUS),
    }),
  );
});
afterAll(async () => {
  await limited?.stop();
  await server?.stop();
  await api?.close();
});
beforeEach(async () => {
  await given.reset();
  await api.haven.services.calendar.load();
  c = await givenCouncil(given);
});

const post = async (url: string, body: unknown, token?: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: JSON.parse(text) as any };
};

const CREATE_INPUT = { input: { firstName: 'Bomb', lastName: 'Test', dateOfBirth: '2015-01-01', sex: 'F' } };
const writes = async () => ({ child: await given.count('child'), audit: await given.count('audit_entry') });

/** Sends an attack as the front door (who may create children) and expects a 400 with `code`, and nothing written. */
async function expectRefused(query: string, code: string, message: RegExp) {
  const token = await api.token(c.frontDoor);
  const before = await writes();
  const res = await post(server.url, { query, variables: CREATE_INPUT }, token);
  expect(res.status).toBe(400);
  expect(res.body.data).toBeUndefined();
  expect(res.body.errors[0].extensions.code).toBe(code);
  expect(res.body.errors[0].message).toMatch(message);
  expect(res.text).not.toMatch(/node_modules|\/src\/|at \w+ \(/);
  expect(await writes()).toEqual(before);
}

// Child → families → members → child … : every level is a real field, so only the depth rule can refuse it.
const nest = (levels: number, leaf = 'id') => {
  let inner = leaf;
  for (let i = 0; i < levels; i++) inner = `families { members { child { ${inner} } } }`;
  return inner;
};

describe("query limits fit Haven's own operations", () => {
  it('every operation in the tests and benchmarks passes the depth, alias, cost, directive and token limits', () => {
    expect(operations.length).toBeGreaterThan(100);
    const rules = queryLimitRules(QUERY_LIMITS, true);
    return buildBareSchema().then((schema) => {
      const refused = operations
        .map((op) => {
          try {
            const errors = validate(schema, parse(op.source, queryParseOptions()), rules);
            return errors.length ? `${op.file}: ${errors[0].message}` : null;
          } catch (err) {
            return `${op.file}: ${(err as Error).message}`;
          }
        })
        .filter(Boolean);
      expect(refused).toEqual([]);
    });
  });

  it('serves every read operation over HTTP without a limit error', async () => {
    const token = await api.token(c.serviceManager);
    const reads = operations.filter((op) =>
      parse(op.source).definitions.every((d) => d.kind !== Kind.OPERATION_DEFINITION || d.operation === OperationTypeNode.QUERY),
    );
    expect(reads.length).toBeGreaterThan(30);
    const outcomes: { file: string; status: number; codes: string[] }[] = [];
    for (const op of reads) {
      const res = await post(server.url, { query: op.source }, token);
      const codes = (res.body.errors ?? []).map((e: any) => e.extensions?.code);
      outcomes.push({ file: op.file, status: res.status, codes });
    }
    const refused = outcomes.filter(
      (o) => o.status === 500 || o.codes.includes('GRAPHQL_VALIDATION_FAILED') || o.codes.includes('GRAPHQL_PARSE_FAILED'),
    );
    expect(refused).toEqual([]);
    // Most need variables (refused by coercion, 400 BAD_USER_INPUT); the rest ran.
    expect(outcomes.filter((o) => o.status === 200).length).toBeGreaterThan(10);
  });
});

describe('oversized documents get HTTP 400 before anything runs, and nothing is written', () => {
  it('(control) the same create, sent once, is accepted and written with its audit row', async () => {
    const before = await writes();
    const query = `mutation($input: CreateChildInput!) { createChild(input: $input) { child { ${nest(1)} } } }`;
    const res = await post(server.url, { query, variables: CREATE_INPUT }, await api.token(c.frontDoor));
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const after = await writes();
    expect(after.child).toBe(before.child + 1);
    expect(after.audit).toBeGreaterThan(before.audit);
  });

  it('refuses a depth bomb', async () => {
    await expectRefused(
      `mutation($input: CreateChildInput!) { createChild(input: $input) { child { ${nest(5)} } } }`,
      'GRAPHQL_VALIDATION_FAILED',
      /depth/i,
    );
  });

  it('refuses an alias bomb (30 creates in one request)', async () => {
    const creates = Array.from({ length: 30 }, (_, i) => `a${i}: createChild(input: $input) { child { id } }`).join(' ');
    await expectRefused(`mutation($input: CreateChildInput!) { ${creates} }`, 'GRAPHQL_VALIDATION_FAILED', /alias/i);
  });

  it('refuses a token flood (5,000 aliases)', async () => {
    const creates = Array.from({ length: 5000 }, (_, i) => `a${i}: createChild(input: $input) { child { id } }`).join(' ');
    await expectRefused(`mutation($input: CreateChildInput!) { ${creates} }`, 'GRAPHQL_PARSE_FAILED', /tokens/i);
  });

  it('refuses a cost bomb of nested lists within the depth and alias limits', async () => {
    // Five caseloads of 100 children, each with families and their members: within depth and aliases, ~79,000 by cost.
    const caseload = (i: number) =>
      `c${i}: myCaseload(first: 100) { edges { node { child { id firstName lastName families { id name members { relationship child { id firstName lastName } } } } } } }`;
    await expectRefused(`{ ${Array.from({ length: 5 }, (_, i) => caseload(i)).join(' ')} }`, 'GRAPHQL_VALIDATION_FAILED', /cost/i);
  });

  it('refuses a directive flood', async () => {
    const directives = Array.from({ length: 40 }, () => '@include(if: true)').join(' ');
    await expectRefused(
      `mutation($input: CreateChildInput!) { createChild(input: $input) { child { id ${directives} } } }`,
      'GRAPHQL_VALIDATION_FAILED',
      /directive/i,
    );
  });

  it('does not tell a production client the limits', async () => {
    const prod = await startServer(
      testConfig({ PORT: '0', LOG_LEVEL: 'silent', NODE_ENV: 'production', OIDC_ISSUER: 'https://idp.example.invalid', OIDC_JWKS_URL: 'https://idp.example.invalid/keys' }),
    );
    try {
      const res = await post(prod.url, { query: `{ me { id } child(id: "x") { ${nest(5)} } }` });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(res.body.errors.map((e: any) => e.message).join(' ')).not.toMatch(/\d/);
    } finally {
      await prod.stop();
    }
  });
});

describe('rate limiting per account', () => {
  it(`answers 429 RATE_LIMITED with Retry-After after ${PER_ACCOUNT} requests a minute from one account; another account is unaffected`, async () => {
    const me = { query: '{ me { id } }' };
    const worker = await api.token(c.socialWorker);
    // A second token for the same account counts against the same budget.
    const workerAgain = await api.token(c.socialWorker);
    for (let i = 0; i < PER_ACCOUNT; i++) {
      const res = await post(limited.url, me, i % 2 ? workerAgain : worker);
      expect(res.status).toBe(200);
      expect(res.body.data.me.id).toBe(c.socialWorker.id);
    }
    const refused = await post(limited.url, me, worker);
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.body.data).toBeUndefined();

    const other = await post(limited.url, me, await api.token(c.otherSocialWorker));
    expect(other.status).toBe(200);
    expect(other.body.data.me.id).toBe(c.otherSocialWorker.id);
  });

  it(`limits requests without a valid token by IP address (${ANONYMOUS} a minute), apart from accounts`, async () => {
    const me = { query: '{ me { id } }' };
    for (let i = 0; i < ANONYMOUS; i++) expect((await post(limited.url, me)).status).toBe(200);
    const anonymous = await post(limited.url, me);
    expect(anonymous.status).toBe(429);
    expect(anonymous.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    // A forged token is not an account: it counts against the address too.
    expect((await post(limited.url, me, 'forged.token.value')).status).toBe(429);
    const manager = await post(limited.url, me, await api.token(c.teamManager));
    expect(manager.status).toBe(200);
  });

  it('counts clients behind a trusted proxy by their forwarded address, and ignores X-Forwarded-For from anyone else', async () => {
    const me = { query: '{ me { id } }' };
    const via = (ip: string) => ({ 'x-forwarded-for': ip });
    // `limited` trusts loopback (the default), where this test's requests come from: it is the proxy here.
    for (let i = 0; i < ANONYMOUS; i++) expect((await post(limited.url, me, undefined, via('203.0.113.7'))).status).toBe(200);
    expect((await post(limited.url, me, undefined, via('203.0.113.7'))).status).toBe(429);
    expect((await post(limited.url, me, undefined, via('203.0.113.8'))).status).toBe(200);
    // An instance that trusts only a balancer elsewhere does not believe loopback's header: every request is loopback's.
    const remote = await startServer(
      testConfig({ PORT: '0', LOG_LEVEL: 'silent', HAVEN_RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(ANONYMOUS), HAVEN_TRUST_PROXY: '10.0.0.1, 10.0.1.0/24' }),
    );
    try {
      for (let i = 0; i < ANONYMOUS; i++) expect((await post(remote.url, me, undefined, via(`198.51.100.${i}`))).status).toBe(200);
      expect((await post(remote.url, me, undefined, via('198.51.100.99'))).status).toBe(429);
    } finally {
      await remote.stop();
    }
    // Trusting every sender would let any client pick its own address.
    for (const bad of ['true', '*', '10.0.0.300', 'example.org', 'cafe', '10.0.0.1/99', '10.0.0.0/8/1', '::1/129']) {
      expect(() => testConfig({ HAVEN_TRUST_PROXY: bad })).toThrow(/HAVEN_TRUST_PROXY/);
    }
    expect(testConfig({ HAVEN_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(testConfig({ HAVEN_TRUST_PROXY: 'uniquelocal, 10.0.0.0/8, fd00::/8' }).trustProxy).toEqual(['uniquelocal', '10.0.0.0/8', 'fd00::/8']);
  });

  it('is off unless configured (the default server in tests)', async () => {
    const token = await api.token(c.teamManager);
    for (let i = 0; i < 20; i++) expect((await post(server.url, { query: '{ me { id } }' }, token)).status).toBe(200);
  });
});

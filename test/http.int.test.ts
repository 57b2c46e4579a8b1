import { startServer, Running } from '../src/server';
import { onServer, testDatabaseUrl } from './setup/database';
import { TestApi, createTestApi, testConfig } from './api';
import { factories, givenCouncil } from './factories';
import { loadOrCreateDevKey, signDevToken } from '../src/modules/identity/auth';

let server: Running;
let api: TestApi;

beforeAll(async () => {
  api = await createTestApi();
  server = await startServer(testConfig({ PORT: '0', LOG_LEVEL: 'silent' }));
});
afterAll(async () => {
  await server.stop();
  await api.close();
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('HTTP surface', () => {
  it('answers /healthz and /readyz with 200, and serves Prometheus metrics', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    await post({ query: '{ me { id } }', operationName: null });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('haven_graphql_requests_total');
    expect(metrics).toContain('haven_db_pool_connections');
  });

  it('answers a case query without a token with UNAUTHENTICATED and no data', async () => {
    const res = await post({ query: '{ myCaseload { totalCount } }' });
    const body = (await res.json()) as any;
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(body.data).toBeNull();
  });

  it('refuses forged, unsigned and expired tokens with 401', async () => {
    const given = factories(api.db);
    await given.reset();
    const c = await givenCouncil(given);
    const good = await api.token(c.socialWorker);
    const [h, p] = good.split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: c.serviceManager.id })).toString('base64url')}.${good.split('.')[2]}`;
    const key = await loadOrCreateDevKey(testConfig().dataDir);
    const expired = await signDevToken(key, 'haven', c.socialWorker, Math.floor(Date.now() / 1000) - 60);
    const wrongAudience = await signDevToken(key, 'haven', c.socialWorker, '5m', 'another-service');
    for (const token of [unsigned, forged, expired, wrongAudience, 'not-a-token']) {
      const res = await post({ query: '{ me { id } }' }, { authorization: `Bearer ${token}` });
      expect(res.status).toBe(401);
      expect(((await res.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const ok = await post({ query: '{ me { id roles } }' }, { authorization: `Bearer ${good}` });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).data.me).toEqual({ id: c.socialWorker.id, roles: ['SOCIAL_WORKER'] });
  });

  it('answers malformed JSON and an oversized body with a JSON 4xx, no stack trace or file paths', async () => {
    const bad = await post('{"query": ');
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(JSON.parse(text).errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(text).not.toMatch(/node_modules|\/src\/|at \w+ \(/);
    const big = await post({ query: '{ me { id } }', variables: { pad: 'x'.repeat(1_100_000) } });
    expect(big.status).toBe(413);
    expect(((await big.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('refuses a simple cross-site POST (CSRF prevention) and batched requests', async () => {
    const csrf = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ me { id } }')}`, { method: 'GET' });
    expect(csrf.status).toBe(400);
    const batch = await post([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]);
    expect(batch.status).toBe(400);
  });
});

describe('/readyz when the database does not answer', () => {
  it('answers 503 while connections are refused, and 200 again once they are allowed', async () => {
    const name = 'haven_test_ready';
    const url = testDatabaseUrl().replace(/\/[^/]+$/, `/${name}`);
    await onServer(testDatabaseUrl(), [`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, `CREATE DATABASE ${name}`]);
    const other = await startServer(testConfig({ PORT: '0', LOG_LEVEL: 'silent', DATABASE_URL: url, DB_POOL_MAX: '2' }));
    try {
      expect((await fetch(`${other.url}/readyz`)).status).toBe(200);
      await onServer(url, [
        `ALTER DATABASE ${name} ALLOW_CONNECTIONS false`,
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`,
      ]);
      expect((await fetch(`${other.url}/readyz`)).status).toBe(503);
      expect((await fetch(`${other.url}/healthz`)).status).toBe(200);
      await onServer(url, [`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`]);
      expect((await fetch(`${other.url}/readyz`)).status).toBe(200);
    } finally {
      await onServer(url, [`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`]).catch(() => undefined);
      await other.stop().catch(() => undefined);
      await onServer(testDatabaseUrl(), [`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]).catch(() => undefined);
    }
  });
});

describe('production mode', () => {
  it('turns introspection off and hides field suggestions', async () => {
    const prod = await startServer(
      testConfig({ PORT: '0', LOG_LEVEL: 'silent', NODE_ENV: 'production', OIDC_ISSUER: 'https://idp.example.invalid', OIDC_JWKS_URL: 'https://idp.example.invalid/keys' }),
    );
    try {
      const send = (query: string) =>
        fetch(`${prod.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      const intro = (await (await send('{ __schema { types { name } } }')).json()) as any;
      expect(intro.errors[0].extensions.validationErrorCode).toBe('INTROSPECTION_DISABLED');
      const typo = (await (await send('{ mee { id } }')).json()) as any;
      expect(typo.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(typo.errors[0].message).not.toMatch(/Did you mean/);
    } finally {
      await prod.stop();
    }
  });
});

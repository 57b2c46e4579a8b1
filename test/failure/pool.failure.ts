import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { startServer, Running } from '../../src/server';
import { createDataSource } from '../../src/shared/db/data-source';
import { loadOrCreateDevKey, signDevToken } from '../../src/modules/identity/auth';
import { testConfig } from '../api';
import { Council, factories, givenCouncil } from '../factories';
import { testDatabaseUrl } from '../setup/database';

/**
 * (c) Pool exhaustion with slow queries. The API runs in this process with a pool of POOL_MAX connections; a separate
 * client holds a lock on a table the requests need, so the first POOL_MAX requests hold every connection and wait.
 * The rest must fail fast (503 SERVICE_UNAVAILABLE within the acquire timeout and a margin), /healthz must keep
 * answering, the API must never hold more than POOL_MAX connections (pg_stat_activity, sampled every 50 ms), nothing
 * may be left half-written or in an open transaction, and once the lock goes the held requests finish correctly.
 */

const POOL_MAX = 5;
const ACQUIRE_TIMEOUT_MS = 1000;
/** Time a refused request may take beyond the acquire timeout (token check, context, a loaded 2-core machine). */
const FAIL_MARGIN_MS = 1000;
const REQUESTS = 50;
const LOCK_HOLD_MS = ACQUIRE_TIMEOUT_MS + FAIL_MARGIN_MS + 1000;

const CHILD = `query Child($id: ID!) { child(id: $id) { id firstName } }`;
const UPDATE_CHILD = `mutation UpdateChild($input: UpdateChildInput!) { updateChild(input: $input) { id firstName version } }`;
const ME = `query Me { me { id } }`;

let server: Running;
let fixtures: DataSource;
let observer: Client;
let c: Council;
let tokenOf: (as: { id: string; email: string }) => Promise<string>;

interface Answer {
  status: number;
  ms: number;
  body: any;
  requestId: string;
  retryAfter: string | null;
  /** performance.now() when the answer was complete. */
  at: number;
}

async function gql(query: string, variables: Record<string, unknown>, as: { id: string; email: string }): Promise<Answer> {
  const requestId = randomUUID();
  const started = performance.now();
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenOf(as)}`, 'x-request-id': requestId },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  const at = performance.now();
  return { status: res.status, ms: at - started, body, requestId, retryAfter: res.headers.get('retry-after'), at };
}

/**
 * Samples, every 50 ms, the API's connections (application_name haven) and any left idle in a transaction for over a
 * second (a moment between two statements of a running transaction is normal; a second is a transaction left open).
 */
function sampleConnections() {
  const seen = { maxConnections: 0, maxPoolTotal: 0, idleInTransaction: 0, samples: 0 };
  const pool = (server.db.driver as unknown as { master: Pool }).master;
  let running = true;
  const loop = (async () => {
    while (running) {
      const [row] = (
        await observer.query(
          `SELECT count(*)::int AS n, count(*) FILTER (WHERE state LIKE 'idle in transaction%'
                                                      AND clock_timestamp() - state_change > interval '1 second')::int AS idle_tx
             FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'haven'`,
        )
      ).rows;
      seen.maxConnections = Math.max(seen.maxConnections, row.n);
      seen.idleInTransaction = Math.max(seen.idleInTransaction, row.idle_tx);
      seen.maxPoolTotal = Math.max(seen.maxPoolTotal, pool.totalCount);
      seen.samples += 1;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    seen,
    stop: async () => {
      running = false;
      await loop;
      return seen;
    },
  };
}

/** /healthz, polled every 100 ms while `until` is pending: every answer's status and the slowest answer. */
async function pollHealth(until: Promise<unknown>) {
  const health = { polls: 0, failures: 0, maxMs: 0 };
  let done = false;
  void until.finally(() => {
    done = true;
  });
  while (!done) {
    const started = performance.now();
    const res = await fetch(`${server.url}/healthz`);
    health.maxMs = Math.max(health.maxMs, performance.now() - started);
    health.polls += 1;
    if (res.status !== 200) health.failures += 1;
    await new Promise((r) => setTimeout(r, 100));
  }
  return health;
}

/** Holds an ACCESS EXCLUSIVE lock on `table` from a separate client until `release()` (which rolls back). */
async function lockTable(table: 'child' | 'account') {
  const locker = new Client({ connectionString: testDatabaseUrl(), application_name: 'haven-f2-locker' });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  return {
    release: async () => {
      await locker.query('ROLLBACK');
      await locker.end();
    },
  };
}

/** Waits until `n` of the API's statements are waiting on a lock (the pool is then fully taken). */
async function waitForLockWaiters(n: number) {
  for (let i = 0; i < 100; i++) {
    const [{ waiting }] = (
      await observer.query(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'haven' AND wait_event_type = 'Lock'`,
      )
    ).rows;
    if (waiting >= n) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`fewer than ${n} requests ever waited on the lock`);
}

/** A refusal as the client sees it: 503, SERVICE_UNAVAILABLE, its request id, Retry-After, and nothing internal. */
function expectUnavailable(a: Answer) {
  expect(a.status).toBe(503);
  expect(a.retryAfter).toBe('2');
  expect(a.body.errors).toHaveLength(1);
  expect(a.body.errors[0].extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', requestId: a.requestId });
  expect(JSON.stringify(a.body)).not.toMatch(/timeout|connect|pool|Context creation|pg_|at \w+ \(/i);
}

beforeAll(async () => {
  // Fixtures go through their own connection (another application_name), so only the API's connections are counted.
  fixtures = createDataSource({ url: testDatabaseUrl(), poolMax: 2, applicationName: 'haven-f2-fixtures' });
  await fixtures.initialize();
  const given = factories(fixtures);
  await given.reset();
  c = await givenCouncil(given);
  const config = testConfig({
    PORT: '0', LOG_LEVEL: 'silent', DB_POOL_MAX: String(POOL_MAX), DB_POOL_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS),
  });
  const key = await loadOrCreateDevKey(config.dataDir);
  tokenOf = (as) => signDevToken(key, config.oidcAudience, as, '10m');
  server = await startServer(config);
  observer = new Client({ connectionString: testDatabaseUrl(), application_name: 'haven-f2-observer' });
  await observer.connect();
});

afterAll(async () => {
  await observer?.end();
  await server?.stop();
  await fixtures?.destroy();
});

describe('pool exhaustion with slow queries', () => {
  it('fails the excess fast with 503 while /healthz answers, never exceeds the pool, and recovers when the lock goes', async () => {
    const given = factories(fixtures);
    const children = [];
    for (let i = 0; i < REQUESTS; i++) children.push(await given.child({ teamId: c.teamA.id, firstName: `Pool${i}` }));
    const worker = c.socialWorker;
    expect((await gql(ME, {}, worker)).status).toBe(200);

    // Phase 1: `child` is locked. Contexts (which read `account`) succeed; the resolvers hold the pool and wait.
    // Half the requests read a child, half change one (its own child, so no version conflicts between them).
    const sampler = sampleConnections();
    const lock = await lockTable('child');
    const started = performance.now();
    const requests = children.map((ch, i) =>
      i % 2 === 0
        ? gql(CHILD, { id: ch.id }, worker).then((a) => ({ a, i, kind: 'read' as const }))
        : gql(UPDATE_CHILD, { input: { id: ch.id, expectedVersion: ch.version, firstName: `Changed${i}` } }, worker).then((a) => ({
            a, i, kind: 'update' as const,
          })),
    );
    const all = Promise.all(requests);
    const health = pollHealth(all);
    await waitForLockWaiters(POOL_MAX);
    // Keep the lock until every excess request should have been refused, then let the held ones finish.
    await new Promise((r) => setTimeout(r, LOCK_HOLD_MS - (performance.now() - started)));
    const releasedAt = performance.now();
    await lock.release();
    const answers = await all;
    const healthz = await health;

    const ok = answers.filter((r) => r.a.status === 200);
    const refused = answers.filter((r) => r.a.status !== 200);
    for (const r of refused) expectUnavailable(r.a);
    // Exactly the POOL_MAX requests holding connections were served (after the lock), every other one refused.
    expect(ok).toHaveLength(POOL_MAX);
    expect(refused).toHaveLength(REQUESTS - POOL_MAX);
    // ...and refused while the lock was still held, not after it.
    for (const r of refused) expect(r.a.at).toBeLessThan(releasedAt);
    const maxFailMs = Math.max(...refused.map((r) => r.a.ms));
    expect(maxFailMs).toBeLessThan(ACQUIRE_TIMEOUT_MS + FAIL_MARGIN_MS);
    // The held requests answered correctly once the lock went.
    for (const { a, i, kind } of ok) {
      expect(a.body.errors).toBeUndefined();
      if (kind === 'read') expect(a.body.data.child).toEqual({ id: children[i].id, firstName: `Pool${i}` });
      else expect(a.body.data.updateChild).toEqual({ id: children[i].id, firstName: `Changed${i}`, version: children[i].version + 1 });
    }
    expect(healthz.failures).toBe(0);
    expect(healthz.polls).toBeGreaterThan(5);
    expect(healthz.maxMs).toBeLessThan(500);

    // Nothing half-written: a refused update changed nothing and wrote no audit row; a served one changed its child once.
    const rows = await fixtures.query(`SELECT id, first_name, version FROM child WHERE id = ANY($1::uuid[])`, [children.map((ch) => ch.id)]);
    const byId = new Map<string, { first_name: string; version: number }>(rows.map((r: any) => [r.id, r]));
    const audited = new Set<string>(
      (await fixtures.query(`SELECT entity_id FROM audit_entry WHERE action = 'child.updated'`)).map((r: any) => r.entity_id),
    );
    const updates = answers.filter((r) => r.kind === 'update');
    for (const { a, i } of updates) {
      const row = byId.get(children[i].id)!;
      const served = a.status === 200;
      expect(row).toEqual({ id: children[i].id, first_name: served ? `Changed${i}` : `Pool${i}`, version: children[i].version + (served ? 1 : 0) });
      expect(audited.has(children[i].id)).toBe(served);
    }

    // Phase 2: `account` is locked, so requests stall while building their context (reading the actor); the excess
    // are refused there, through the same 503.
    const accountLock = await lockTable('account');
    const ctxRequests = Array.from({ length: 20 }, () => gql(ME, {}, worker));
    const ctxAll = Promise.all(ctxRequests);
    await waitForLockWaiters(POOL_MAX);
    // The streamed census export, outside GraphQL, is refused the same way.
    const exportId = randomUUID();
    const exportStarted = performance.now();
    const exported = fetch(`${server.url}/exports/cin-census/2026.xml`, {
      headers: { authorization: `Bearer ${await tokenOf(c.analyst)}`, 'x-request-id': exportId },
    }).then(async (res) => ({ status: res.status, ms: performance.now() - exportStarted, body: await res.json(), retryAfter: res.headers.get('retry-after') }));
    await new Promise((r) => setTimeout(r, ACQUIRE_TIMEOUT_MS + FAIL_MARGIN_MS));
    await accountLock.release();
    const ctxAnswers = await ctxAll;
    const exportAnswer = await exported;
    expectUnavailable({ ...exportAnswer, requestId: exportId, at: 0 });
    expect(exportAnswer.ms).toBeLessThan(ACQUIRE_TIMEOUT_MS + FAIL_MARGIN_MS);
    const ctxRefused = ctxAnswers.filter((a) => a.status !== 200);
    for (const a of ctxRefused) expectUnavailable(a);
    expect(ctxRefused).toHaveLength(20 - POOL_MAX);
    for (const a of ctxAnswers.filter((x) => x.status === 200)) expect(a.body.data.me).toEqual({ id: worker.id });
    const maxCtxFailMs = Math.max(...ctxRefused.map((a) => a.ms));
    expect(maxCtxFailMs).toBeLessThan(ACQUIRE_TIMEOUT_MS + FAIL_MARGIN_MS);

    // Afterwards: new requests all succeed, and /readyz is ready again.
    const after = await Promise.all(children.map((ch, i) => gql(CHILD, { id: ch.id }, worker).then((a) => ({ a, i }))));
    for (const { a, i } of after) {
      expect(a.status).toBe(200);
      expect(a.body.data.child.id).toBe(children[i].id);
    }
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    const seen = await sampler.stop();
    expect(seen.samples).toBeGreaterThan(20);
    expect(seen.maxConnections).toBe(POOL_MAX);
    expect(seen.maxPoolTotal).toBeLessThanOrEqual(POOL_MAX);
    expect(seen.idleInTransaction).toBe(0);
    const [{ open }] = await fixtures.query(
      `SELECT count(*)::int AS open FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'haven' AND xact_start IS NOT NULL`,
    );
    expect(open).toBe(0);

    console.log(
      [
        'pool exhaustion (c):',
        `  pool max ${POOL_MAX}, acquire timeout ${ACQUIRE_TIMEOUT_MS} ms, lock held ${LOCK_HOLD_MS} ms`,
        `  resolver stage: ${REQUESTS} requests (${REQUESTS / 2} reads, ${REQUESTS / 2} updates): ${ok.length} ok, ${refused.length} × 503, ` +
          `slowest 503 ${Math.round(maxFailMs)} ms, served after the lock ${Math.round(Math.max(...ok.map((r) => r.a.ms)))} ms`,
        `  context stage: 20 requests: ${20 - ctxRefused.length} ok, ${ctxRefused.length} × 503, slowest 503 ${Math.round(maxCtxFailMs)} ms; ` +
          `census export ${exportAnswer.status} in ${Math.round(exportAnswer.ms)} ms`,
        `  afterwards: ${after.length}/${after.length} ok`,
        `  /healthz: ${healthz.polls} polls, ${healthz.failures} failures, slowest ${Math.round(healthz.maxMs)} ms`,
        `  API connections (pg_stat_activity, ${seen.samples} samples every 50 ms): max ${seen.maxConnections} (pool max ${POOL_MAX}), ` +
          `pool.totalCount max ${seen.maxPoolTotal}, idle in transaction > 1 s ${seen.idleInTransaction}, open transactions at the end ${open}`,
      ].join('\n'),
    );
  });

  it('answers 503 when the server terminates the connections under running requests, and the pool replaces them', async () => {
    const given = factories(fixtures);
    const children = [];
    for (let i = 0; i < POOL_MAX; i++) children.push(await given.child({ teamId: c.teamA.id, firstName: `Term${i}` }));
    const worker = c.socialWorker;
    const lock = await lockTable('child');
    const started = performance.now();
    const pending = Promise.all(
      children.map((ch, i) => gql(UPDATE_CHILD, { input: { id: ch.id, expectedVersion: ch.version, firstName: `Gone${i}` } }, worker)),
    );
    await waitForLockWaiters(POOL_MAX);
    // What an administrator's shutdown or a failover does to open sessions: 57P01 on each, mid-transaction.
    const [{ terminated }] = (
      await observer.query(
        `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS terminated FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'haven'`,
      )
    ).rows;
    const answers = await pending;
    const failedWithinMs = performance.now() - started;
    await lock.release();
    for (const a of answers) expectUnavailable(a);
    // Nothing of the interrupted transactions was kept.
    const rows = await fixtures.query(`SELECT first_name, version FROM child WHERE id = ANY($1::uuid[]) ORDER BY first_name`, [
      children.map((ch) => ch.id),
    ]);
    expect(rows).toEqual(children.map((ch, i) => ({ first_name: `Term${i}`, version: ch.version })));
    const [{ n }] = await fixtures.query(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'child.updated' AND entity_id = ANY($1::uuid[])`, [
      children.map((ch) => ch.id),
    ]);
    expect(n).toBe(0);
    // The pool dropped the dead connections and opens new ones: the same changes now go through.
    const retried = await Promise.all(
      children.map((ch, i) => gql(UPDATE_CHILD, { input: { id: ch.id, expectedVersion: ch.version, firstName: `Gone${i}` } }, worker)),
    );
    for (const [i, a] of retried.entries()) {
      expect(a.status).toBe(200);
      expect(a.body.data.updateChild).toEqual({ id: children[i].id, firstName: `Gone${i}`, version: children[i].version + 1 });
    }
    console.log(
      `connections terminated (57P01) under ${POOL_MAX} running updates: ${terminated} terminated, ${answers.length} × 503 ` +
        `within ${Math.round(failedWithinMs)} ms, 0 changes kept; retried: ${retried.length}/${retried.length} ok`,
    );
  });
});

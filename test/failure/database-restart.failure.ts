import {
  ApiProcess, gql, ms, percentile, Reply, request, Resources, sleep, startApi, startTeamWorld, TeamWorld,
} from './harness';

/**
 * Issue 6, 3 (b): PostgreSQL stopped (fast shutdown) and started again under load. Clients keep reading and writing
 * throughout while probes poll /healthz and /readyz. The API must stay up (same pid), /healthz must answer 200 all
 * along, /readyz and GraphQL must fail fast (typed SERVICE_UNAVAILABLE, 503, no data) while the database is away, and
 * the API must recover by itself within 10 s of PostgreSQL accepting connections again.
 */

const CLIENTS = 4;
const WARM_MS = 1500;
const DOWN_MS = 4000;
const AFTER_MS = 1500;
/** The slowest a failure may be while the database is away, and the longest the recovery may take. */
const FAIL_FAST_MS = 3000;
const RECOVERY_MS = 10_000;

const READ = `query RestartRead($id: ID!) { child(id: $id) { id firstName } }`;
const WRITE = `mutation RestartWrite($input: CreateChildInput!) { createChild(input: $input) { child { id } } }`;

const res = new Resources();
let world: TeamWorld;
beforeAll(async () => {
  world = await startTeamWorld(res, 'Restart', CLIENTS);
}, 120_000);

afterAll(() => res.cleanup(), 120_000);

type Kind = 'read' | 'write' | 'healthz' | 'readyz';
interface Sample extends Reply {
  kind: Kind;
  ok: boolean;
}

const summary = (xs: Sample[]) =>
  xs.length ? `${xs.length} (p50 ${ms(percentile(xs.map((x) => x.ms), 50))} ms, max ${ms(Math.max(...xs.map((x) => x.ms)))} ms)` : '0';

it('PostgreSQL stopped and restarted under load: the API stays up, fails fast while it is away, recovers by itself', async () => {
  const { pg, issuer, db, worker, children } = world;
  const api: ApiProcess = await startApi(res, { databaseUrl: pg.url, issuer, dataDir: res.tempDir() });
  let exitedDuringTest = false;
  void api.exited.then(() => (exitedDuringTest = true));
  const token = await issuer.token(worker.email);
  const samples: Sample[] = [];
  let running = true;

  // Clients: each alternates a read of its child and a createChild, with a short pause (failures come back fast).
  const client = async (i: number) => {
    for (let n = 0; running; n++) {
      const write = n % 2 === 1;
      const r = write
        ? await gql(api, token, WRITE, { input: { firstName: 'Restart', lastName: `Load${i}x${n}`, sex: 'M', dateOfBirth: '2014-09-01' } })
        : await gql(api, token, READ, { id: children[i].id });
      const ok = r.status === 200 && !r.body?.errors && (write ? !!r.body?.data?.createChild?.child?.id : r.body?.data?.child?.firstName === children[i].firstName);
      samples.push({ ...r, kind: write ? 'write' : 'read', ok });
      await sleep(25);
    }
  };
  // Probes: /healthz and /readyz every 200 ms.
  const probe = async (kind: 'healthz' | 'readyz') => {
    while (running) {
      const r = await request(`${api.url}/${kind}`, { timeoutMs: 10_000 });
      samples.push({ ...r, kind, ok: r.status === 200 });
      await sleep(200);
    }
  };
  const load = [...children.map((_, i) => client(i)), probe('healthz'), probe('readyz')];

  await sleep(WARM_MS);
  const stopAt = performance.now();
  await pg.stop();
  const downAt = performance.now();
  await sleep(DOWN_MS);
  const restartAt = performance.now();
  await pg.start();
  const upAt = performance.now();

  // Recovery: the first real query (a child read through GraphQL) and the first /readyz 200 after PostgreSQL is up.
  let recoveredAt = NaN;
  let readyAt = NaN;
  while ((Number.isNaN(recoveredAt) || Number.isNaN(readyAt)) && performance.now() - upAt < RECOVERY_MS + 5000) {
    if (Number.isNaN(recoveredAt)) {
      const r = await gql(api, token, READ, { id: children[0].id });
      if (r.status === 200 && r.body?.data?.child?.id === children[0].id) recoveredAt = r.endedAt;
    }
    if (Number.isNaN(readyAt)) {
      const r = await request(`${api.url}/readyz`);
      if (r.status === 200) readyAt = r.endedAt;
    }
    await sleep(50);
  }
  await sleep(AFTER_MS);
  running = false;
  await Promise.all(load);

  const of = (kind: Kind[], from: number, to: number) => samples.filter((s) => kind.includes(s.kind) && s.startedAt >= from && s.endedAt <= to);
  const before = of(['read', 'write', 'readyz'], 0, stopAt);
  const downGraphql = of(['read', 'write'], downAt, restartAt);
  const downReadyz = of(['readyz'], downAt, restartAt);
  const healthz = of(['healthz'], 0, Infinity);
  const after = of(['read', 'write', 'readyz'], recoveredAt, Infinity);
  const failures = samples.filter((s) => s.kind !== 'healthz' && !s.ok);
  const byCode = failures.reduce<Record<string, number>>((acc, s) => {
    const key = `${s.kind === 'readyz' ? '/readyz' : 'graphql'} ${s.status} ${s.body?.errors?.[0]?.extensions?.code ?? s.error ?? ''}`.trim();
    acc[key] = (acc[key] ?? 0) + 1;
    return acc;
  }, {});
  const acknowledged = samples.filter((s) => s.kind === 'write' && s.ok).map((s) => s.body!.data.createChild.child.id as string);
  const [{ found }] = await db.query(`SELECT count(*)::int AS found FROM child WHERE id = ANY($1::uuid[])`, [acknowledged]);

  console.log(
    `[failure b] PostgreSQL stopped (fast shutdown took ${ms(downAt - stopAt)} ms) for ${ms(restartAt - downAt)} ms under ` +
      `${CLIENTS} clients; start took ${ms(upAt - restartAt)} ms\n` +
      JSON.stringify(
        {
          'API pid before / after, exited': `${api.pid} / ${api.alive ? api.pid : 'gone'}, ${exitedDuringTest}`,
          'requests before the stop (all ok)': `${before.filter((s) => s.ok).length}/${before.length}`,
          '/healthz answered 200': `${healthz.filter((s) => s.ok).length}/${healthz.length}, ${summary(healthz)}`,
          '/readyz while away: 503': `${downReadyz.filter((s) => s.status === 503).length}/${summary(downReadyz)}`,
          'GraphQL while away: 503 SERVICE_UNAVAILABLE, no data': `${downGraphql.filter(isUnavailable).length}/${summary(downGraphql)}`,
          'failures by status and code (whole run)': byCode,
          'recovery: first real query after PostgreSQL accepts connections (ms)': ms(recoveredAt - upAt),
          'recovery: first /readyz 200 (ms)': ms(readyAt - upAt),
          'requests after recovery ok': `${after.filter((s) => s.ok).length}/${after.length}`,
          'acknowledged writes found': `${found}/${acknowledged.length}`,
        },
        null,
        1,
      ),
  );

  expect(exitedDuringTest).toBe(false);
  expect(api.alive).toBe(true);
  expect(() => process.kill(api.pid, 0)).not.toThrow();
  expect(before.length).toBeGreaterThan(10);
  expect(before.every((s) => s.ok)).toBe(true);
  expect(healthz.length).toBeGreaterThan(20);
  expect(healthz.every((s) => s.status === 200 && s.ms < 1000)).toBe(true);

  expect(downReadyz.length).toBeGreaterThan(5);
  expect(downReadyz.every((s) => s.status === 503 && s.ms < FAIL_FAST_MS)).toBe(true);
  expect(downGraphql.length).toBeGreaterThan(20);
  expect(downGraphql.filter((s) => !isUnavailable(s))).toEqual([]);
  expect(Math.max(...downGraphql.map((s) => s.ms))).toBeLessThan(FAIL_FAST_MS);
  // Whenever anything failed (also while PostgreSQL was going or coming), it failed fast and typed.
  const slowOrUntyped = failures.filter((s) => !isUnavailable(s) || s.ms >= FAIL_FAST_MS);
  expect(slowOrUntyped.map((s) => `${s.kind} ${s.status} ${s.body?.errors?.[0]?.extensions?.code ?? s.error} ${ms(s.ms)} ms`)).toEqual([]);

  expect(recoveredAt - upAt).toBeLessThan(RECOVERY_MS);
  expect(readyAt - upAt).toBeLessThan(RECOVERY_MS);
  // No dead pooled connection left behind: everything after the recovery succeeds.
  expect(after.length).toBeGreaterThan(10);
  expect(after.filter((s) => !s.ok).map((s) => `${s.kind} ${s.status}`)).toEqual([]);
  expect(found).toBe(acknowledged.length);
});

/**
 * A GraphQL answer that says "the database is unavailable": 503, SERVICE_UNAVAILABLE, and no data (`data` null, or
 * the operation's field null when the failure came after the request had started executing).
 */
function isUnavailable(s: Sample): boolean {
  if (s.kind === 'readyz') return s.status === 503;
  const noData = Object.values(s.body?.data ?? {}).every((v) => v === null);
  return s.status === 503 && s.body?.errors?.[0]?.extensions?.code === 'SERVICE_UNAVAILABLE' && noData;
}

import { fork, ChildProcess } from 'node:child_process';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Client } from 'pg';
import { BASELINE as DASHBOARD_SQL, canonical, DASHBOARD, fromApi, fromSql } from './dashboard-sql';

/**
 * `DATABASE_URL=… npm run bench` (last): Haven under load against the single-statement limit, on a council seed
 * (`npm run seed -- --size council`). Three scenarios, each at 10 and 50 concurrent connections (autocannon, keep-alive):
 *   caseload   the demo social worker's caseload (about 30 children): each child with families and members, referrals,
 *              current plan and latest visit (`myCaseload(first: 30)`);
 *   children   100 children of the demo team manager's team with their referrals (`teamCaseload(first: 100)`);
 *   dashboard  the team dashboard (`performance`, every figure and measure, the last 6 months), as bench/dashboard.ts.
 * The API runs as a child process in production mode (NODE_ENV=production: introspection off, query limits on) with a
 * local OIDC issuer this script plays (its own ES256 key, JWKS served here), rate limits off, logging silent. The
 * baseline (bench/baseline-server.ts) answers each scenario with ONE hand-written SQL statement building the JSON, from
 * the same database with a pool of the same size; the caseload and children statements also write the `child.viewed`
 * audit rows Haven writes, so both do the same work. Before timing, both answers must hold the same records (ids and
 * counts, in order). Every response is then checked byte for byte against the first (autocannon `expectBody`), so a
 * failed or different answer counts as an error. SQL statements per request: the API child's statement counter,
 * read before and after a few sequential requests.
 *
 * BENCH_SECONDS (10) per measurement, after BENCH_WARMUP_SECONDS (3) of unmeasured load; BENCH_CONNECTIONS ("10,50");
 * BENCH_SCENARIOS ("caseload,children,dashboard"); BENCH_CASELOAD=legacy asks for every plan and visit instead of the
 * current plan and latest visit (what a checkout without those fields answers); BENCH_API_NODE_OPTIONS (e.g.
 * "--cpu-prof") for the API process.
 * Prints one markdown table per scenario; the headline is API/baseline throughput (the baseline = 1.00).
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '10,50').split(',').map(Number);
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'caseload,children,dashboard').split(',');
const AUDIENCE = 'haven';
const WORKER = 'social.worker@haven.example';
const MANAGER = 'team.manager@haven.example';

/** The caseload as a front end shows it. `legacy`: for a checkout whose Child has no currentPlan / latestVisit. */
const caseloadQuery = (legacy: boolean) => `query BenchCaseload($first: Int!) { myCaseload(first: $first) { totalCount edges { node {
  childId nextDueOn child { id firstName lastName dateOfBirth
    families { id name members { id kind relationship childId } }
    referrals { id referralDate decision }
    ${legacy ? 'plans { id type status startDate } visits { id visitedOn seen }' : 'currentPlan { id type status startDate } latestVisit { id visitedOn seen }'}
  } } } } }`;

const CHILDREN = `query BenchChildren($teamId: ID!, $first: Int!) { teamCaseload(teamId: $teamId, first: $first) { totalCount edges { node {
  childId child { id firstName lastName referrals { id referralDate decision } } } } } }`;

/**
 * Children on a caseload, in Haven's order (earliest due first, then id), with the view audit rows Haven writes.
 * $1 the account, $2 its team, $3 page size, $4 its roles. `holder` chooses the children (alias k, column child_id).
 */
const pageOf = (holder: string) => `
  m AS (
    SELECT k.child_id, d.next_due_on, coalesce(d.next_due_on, '9999-12-31'::date) AS sort_due
    FROM (${holder}) k JOIN child c ON c.id = k.child_id
    LEFT JOIN LATERAL (SELECT min(i.due_on) AS next_due_on FROM case_due_item i WHERE i.child_id = k.child_id) d ON true
    WHERE (NOT c.restricted AND EXISTS (SELECT 1 FROM allocation al WHERE al.child_id = c.id AND al.ended_at IS NULL AND al.team_id = $2))
       OR (c.restricted AND EXISTS (SELECT 1 FROM restriction_grant g WHERE g.child_id = c.id AND g.account_id = $1))
  ),
  page AS (SELECT * FROM m ORDER BY sort_due, child_id LIMIT $3),
  viewed AS (
    INSERT INTO audit_entry (actor_id, actor_roles, organisation_id, action, entity, entity_id, child_id, break_glass, request_id)
    SELECT $1, $4::text[], $2, 'child.viewed', 'child', child_id, child_id, false, gen_random_uuid()::text FROM page
  )`;

const REFERRALS = `'referrals', (SELECT coalesce(json_agg(json_build_object('id', r.id, 'referralDate', r.referral_date, 'decision', r.decision)
                   ORDER BY r.received_at DESC, r.id), '[]') FROM referral r WHERE r.child_id = c.id)`;

const caseloadSql = (legacy: boolean) => `
  WITH ${pageOf(`SELECT a.child_id FROM allocation a WHERE a.ended_at IS NULL AND a.worker_id = $1
                 UNION SELECT ec.child_id FROM early_help_episode e JOIN early_help_child ec ON ec.episode_id = e.id
                 WHERE e.status = 'IN_WORK' AND e.lead_practitioner_id = $1`)}
  SELECT json_build_object('data', json_build_object('myCaseload', json_build_object(
    'totalCount', (SELECT count(*) FROM m),
    'edges', (SELECT coalesce(json_agg(json_build_object('node', json_build_object('childId', p.child_id, 'nextDueOn', p.next_due_on,
      'child', json_build_object('id', c.id, 'firstName', c.first_name, 'lastName', c.last_name, 'dateOfBirth', c.date_of_birth,
        'families', (SELECT coalesce(json_agg(json_build_object('id', f.id, 'name', f.name,
            'members', (SELECT json_agg(json_build_object('id', x.id, 'kind', x.kind, 'relationship', x.relationship, 'childId', x.child_id)
                        ORDER BY x.kind, x.date_of_birth NULLS LAST, x.id) FROM family_member x WHERE x.family_id = f.id))
            ORDER BY f.name, f.id), '[]')
          FROM family f JOIN family_member fm ON fm.family_id = f.id
          WHERE fm.child_id = c.id AND (NOT f.restricted OR EXISTS (SELECT 1 FROM restriction_grant g WHERE g.family_id = f.id AND g.account_id = $1))),
        ${REFERRALS},
        ${legacy
          ? `'plans', (SELECT coalesce(json_agg(json_build_object('id', pl.id, 'type', pl.type, 'status', pl.status, 'startDate', pl.start_date)
                        ORDER BY pl.start_date DESC, pl.created_at DESC, pl.id), '[]') FROM plan pl WHERE pl.child_id = c.id),
             'visits', (SELECT coalesce(json_agg(json_build_object('id', v.id, 'visitedOn', v.visited_on, 'seen', v.seen)
                        ORDER BY v.visited_on DESC, v.created_at DESC, v.id), '[]') FROM visit v WHERE v.child_id = c.id)`
          : `'currentPlan', (SELECT json_build_object('id', pl.id, 'type', pl.type, 'status', pl.status, 'startDate', pl.start_date) FROM plan pl
                             WHERE pl.child_id = c.id AND pl.status = 'ACTIVE'
                             ORDER BY CASE pl.type WHEN 'CHILD_PROTECTION' THEN 0 WHEN 'CHILD_IN_NEED' THEN 1 ELSE 2 END, pl.start_date DESC, pl.id
                             LIMIT 1),
             'latestVisit', (SELECT json_build_object('id', v.id, 'visitedOn', v.visited_on, 'seen', v.seen) FROM visit v
                             WHERE v.child_id = c.id ORDER BY v.visited_on DESC, v.created_at DESC, v.id LIMIT 1)`})))
      ORDER BY p.sort_due, p.child_id), '[]') FROM page p JOIN child c ON c.id = p.child_id)
  )))::text AS body`;

const CHILDREN_SQL = `
  WITH ${pageOf(`SELECT a.child_id FROM allocation a WHERE a.ended_at IS NULL AND a.team_id = $2`)}
  SELECT json_build_object('data', json_build_object('teamCaseload', json_build_object(
    'totalCount', (SELECT count(*) FROM m),
    'edges', (SELECT coalesce(json_agg(json_build_object('node', json_build_object('childId', p.child_id,
      'child', json_build_object('id', c.id, 'firstName', c.first_name, 'lastName', c.last_name, ${REFERRALS})))
      ORDER BY p.sort_due, p.child_id), '[]') FROM page p JOIN child c ON c.id = p.child_id)
  )))::text AS body`;

const DASHBOARD_JSON_SQL = `SELECT json_build_object('data', json_build_object('performance',
  json_agg(json_build_object('f', x.f, 'b', x.b, 'n', x.n))))::text AS body FROM (${DASHBOARD_SQL}) x`;

/** What both answers must agree on: ids and counts, in order (GraphQL's `null` and SQL's missing agree). */
type Shape = unknown;
const ids = (list: { id: string }[] | null | undefined) => (list ?? []).map((x) => x.id);
function caseloadShape(d: any): Shape {
  return {
    total: d.myCaseload.totalCount,
    children: d.myCaseload.edges.map(({ node: n }: any) => [
      n.childId, n.nextDueOn, n.child.id,
      n.child.families.map((f: any) => [f.id, ids(f.members)]), ids(n.child.referrals),
      ...(n.child.plans ? [ids(n.child.plans), ids(n.child.visits)] : [n.child.currentPlan?.id ?? null, n.child.latestVisit?.id ?? null]),
    ]),
  };
}
const childrenShape = (d: any): Shape => ({
  total: d.teamCaseload.totalCount,
  children: d.teamCaseload.edges.map(({ node: n }: any) => [n.childId, n.child.id, ids(n.child.referrals)]),
});

interface Scenario {
  name: string;
  title: string;
  token: string;
  query: string;
  variables: Record<string, unknown>;
  sql: { text: string; values: unknown[] };
  apiShape(data: any): Shape;
  sqlShape(data: any): Shape;
  describe(data: any): string;
}

interface Run {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  bad: number;
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required (a council seed): e.g. DATABASE_URL=postgres://… npm run bench');

  // A local OIDC issuer: Haven verifies our tokens against this JWKS as it would Entra ID's.
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' };
  const jwks: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;
  const tokenFor = (email: string) =>
    new SignJWT({ email }).setProtectedHeader({ alg: 'ES256', kid: 'bench' }).setIssuer(issuer).setAudience(AUDIENCE)
      .setSubject(email).setIssuedAt().setExpirationTime('2h').sign(privateKey);

  const db = new Client({ connectionString: url });
  await db.connect();
  const children: ChildProcess[] = [];
  try {
    const account = async (email: string) => {
      const { rows } = await db.query(
        `SELECT a.id, a.team_id, array_agg(r.role_code ORDER BY r.role_code) AS roles FROM account a JOIN account_role r ON r.account_id = a.id
         WHERE a.email = $1 AND NOT a.disabled GROUP BY a.id`,
        [email],
      );
      if (!rows[0]) throw new Error(`no ${email}: seed first (npm run seed -- --size council)`);
      return rows[0] as { id: string; team_id: string; roles: string[] };
    };
    const worker = await account(WORKER);
    const manager = await account(MANAGER);
    const { rows: [period] } = await db.query(
      `SELECT to_char(t - interval '6 months', 'YYYY-MM-DD') AS from, to_char(t, 'YYYY-MM-DD') AS to
       FROM (SELECT (now() AT TIME ZONE 'Europe/London')::date AS t) x`,
    );
    const { rows: [size] } = await db.query(
      `SELECT (SELECT count(*) FROM child)::int AS children, (SELECT count(*) FROM referral)::int AS referrals,
              (SELECT count(*) FROM visit)::int AS visits, (SELECT count(*) FROM plan)::int AS plans`,
    );

    const env = {
      ...process.env, NODE_ENV: 'production', LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent', OIDC_ISSUER: issuer,
      OIDC_JWKS_URL: `${issuer}/jwks.json`, OIDC_AUDIENCE: AUDIENCE, HAVEN_RATE_LIMIT_PER_MINUTE: '0', HAVEN_RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
    };
    const start = (file: string, execArgv: string[] = [], extra: Record<string, string> = {}) => {
      const child = fork(path.join(__dirname, file), [], { env: { ...env, ...extra }, execArgv: [...execArgv, '-r', 'ts-node/register/transpile-only'], stdio: 'inherit' });
      children.push(child);
      return new Promise<{ child: ChildProcess; url: string }>((resolve, reject) => {
        child.once('message', (m: { url: string }) => resolve({ child, url: m.url }));
        child.once('exit', (code) => reject(new Error(`${file} exited (${code})`)));
      });
    };
    const apiArgs = process.env.BENCH_API_NODE_OPTIONS ? process.env.BENCH_API_NODE_OPTIONS.split(' ') : [];
    const api = await start('api-server.ts', apiArgs);
    const statements = () =>
      new Promise<number>((resolve) => {
        api.child.once('message', (m: { statements: number }) => resolve(m.statements));
        api.child.send('statements');
      });

    const post = async (target: string, body: string, token?: string) => {
      const res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body,
      });
      return { status: res.status, text: await res.text() };
    };
    const gql = async (s: { token: string; query: string; variables: Record<string, unknown> }) => {
      const r = await post(`${api.url}/graphql`, JSON.stringify({ query: s.query, variables: s.variables }), s.token);
      return { ...r, json: JSON.parse(r.text) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
    };

    // Does this checkout's Child have currentPlan and latestVisit? (Production refuses introspection: ask, and see.)
    const workerToken = await tokenFor(WORKER);
    const probe = await gql({ token: workerToken, query: caseloadQuery(false), variables: { first: 1 } });
    const legacy = process.env.BENCH_CASELOAD === 'legacy' || probe.json.errors?.[0]?.extensions?.code === 'GRAPHQL_VALIDATION_FAILED';

    const all: Scenario[] = [
      {
        name: 'caseload',
        title: `a worker's caseload (${WORKER}, myCaseload(first: 30): families and members, referrals, `
          + `${legacy ? 'ALL plans and ALL visits (this checkout has no currentPlan / latestVisit)' : 'current plan, latest visit'})`,
        token: workerToken,
        query: caseloadQuery(legacy),
        variables: { first: 30 },
        sql: { text: caseloadSql(legacy), values: [worker.id, worker.team_id, 30, worker.roles] },
        apiShape: caseloadShape,
        sqlShape: caseloadShape,
        describe: (d) => {
          const e = d.myCaseload.edges.map((x: any) => x.node.child);
          const n = (f: (c: any) => number) => e.reduce((s: number, c: any) => s + f(c), 0);
          return `${e.length} children, ${n((c) => c.families.length)} families, ${n((c) => c.families.reduce((s: number, f: any) => s + f.members.length, 0))} members, `
            + `${n((c) => c.referrals.length)} referrals, `
            + (legacy ? `${n((c) => c.plans.length)} plans, ${n((c) => c.visits.length)} visits` : `${n((c) => (c.currentPlan ? 1 : 0))} current plans, ${n((c) => (c.latestVisit ? 1 : 0))} latest visits`);
        },
      },
      {
        name: 'children',
        title: `100 children with their referrals (${MANAGER}, teamCaseload(first: 100))`,
        token: await tokenFor(MANAGER),
        query: CHILDREN,
        variables: { teamId: manager.team_id, first: 100 },
        sql: { text: CHILDREN_SQL, values: [manager.id, manager.team_id, 100, manager.roles] },
        apiShape: childrenShape,
        sqlShape: childrenShape,
        describe: (d) => `${d.teamCaseload.edges.length} of ${d.teamCaseload.totalCount} children, `
          + `${d.teamCaseload.edges.reduce((s: number, x: any) => s + x.node.child.referrals.length, 0)} referrals`,
      },
      {
        name: 'dashboard',
        title: `team dashboard (${MANAGER}, performance: every figure and measure, ${period.from} to ${period.to})`,
        token: await tokenFor(MANAGER),
        query: DASHBOARD,
        variables: { input: { from: period.from, to: period.to } },
        sql: { text: DASHBOARD_JSON_SQL, values: [period.from, period.to, manager.team_id, manager.id] },
        apiShape: (d) => canonical(fromApi(d.performance)),
        sqlShape: (d) => canonical(fromSql(d.performance)),
        describe: (d) => `${Object.values(fromApi(d.performance)).reduce((s, b) => s + Object.keys(b).length, 0)} non-zero numbers`,
      },
    ];
    const scenarios = all.filter((s) => SCENARIOS.includes(s.name));

    const baseline = await start('baseline-server.ts', [], {
      BENCH_STATEMENTS: JSON.stringify(Object.fromEntries(scenarios.map((s) => [s.name, s.sql]))),
    });

    // Same records on both sides, and the statements per request, before anything is timed.
    const bodies = new Map<string, { api: string; sql: string; apiBody: string; statements: number[]; detail: string }>();
    for (const s of scenarios) {
      const a = await gql(s);
      if (a.status !== 200 || a.json.errors?.length || !a.json.data) {
        throw new Error(`${s.name}: API answered ${a.status} ${JSON.stringify(a.json.errors ?? a.text).slice(0, 300)}`);
      }
      const b = await post(`${baseline.url}/${s.name}`, '{}');
      if (b.status !== 200) throw new Error(`${s.name}: baseline answered ${b.status}`);
      const got = JSON.stringify(s.apiShape(a.json.data));
      const expected = JSON.stringify(s.sqlShape(JSON.parse(b.text).data));
      if (got !== expected) throw new Error(`${s.name}: API and baseline differ:\n API ${got.slice(0, 2000)}\n SQL ${expected.slice(0, 2000)}`);
      const counts: number[] = [];
      for (let n = 0; n < 5; n++) {
        const before = await statements();
        const again = await gql(s);
        if (again.text !== a.text) throw new Error(`${s.name}: the API's answer changed between requests`);
        counts.push((await statements()) - before);
      }
      const sqlAgain = await post(`${baseline.url}/${s.name}`, '{}');
      if (sqlAgain.text !== b.text) throw new Error(`${s.name}: the baseline's answer changed between requests`);
      bodies.set(s.name, { api: a.text, sql: b.text, apiBody: JSON.stringify({ query: s.query, variables: s.variables }), statements: counts, detail: s.describe(a.json.data) });
    }

    const load = async (target: string, connections: number, seconds: number, expectBody: string, body: string, token?: string): Promise<Run> => {
      const r = await autocannon({
        // A slow answer is measured, not dropped: the timeout (s) is far above any p99 here.
        url: target, method: 'POST', connections, duration: seconds, body, expectBody, timeout: 60,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });
      return {
        rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total,
        bad: r.errors + r.timeouts + r.non2xx + r.mismatches,
      };
    };

    console.log(`# Haven under load: ${new Date().toISOString()}\n`);
    console.log(`Dataset: ${size.children} children, ${size.referrals} referrals, ${size.plans} plans, ${size.visits} visits. `
      + `API: NODE_ENV=production, pool ${process.env.DB_POOL_MAX ?? 10}; baseline: one SQL statement per request, same pool size. `
      + `${WARMUP_SECONDS} s warm-up + ${SECONDS} s measured per cell, autocannon keep-alive connections.\n`);
    let failed = false;
    for (const s of scenarios) {
      const b = bodies.get(s.name)!;
      const stmts = [...new Set(b.statements)].sort((x, y) => x - y);
      console.log(`## ${s.title}\n\n${b.detail}; the baseline's answer holds the same records. `
        + `API SQL statements per request: ${stmts.length === 1 ? stmts[0] : `${stmts[0]}-${stmts[stmts.length - 1]}`} (baseline: 1).\n`);
      console.log('| connections | API req/s | API p50 ms | API p99 ms | SQL req/s | SQL p50 ms | SQL p99 ms | API/SQL throughput | errors |');
      console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
      for (const c of CONNECTIONS) {
        await load(`${api.url}/graphql`, c, WARMUP_SECONDS, b.api, b.apiBody, s.token);
        const x = await load(`${api.url}/graphql`, c, SECONDS, b.api, b.apiBody, s.token);
        await load(`${baseline.url}/${s.name}`, c, WARMUP_SECONDS, b.sql, '{}');
        const y = await load(`${baseline.url}/${s.name}`, c, SECONDS, b.sql, '{}');
        if (x.bad || y.bad) failed = true;
        console.log(`| ${c} | ${x.rps.toFixed(0)} | ${x.p50} | ${x.p99} | ${y.rps.toFixed(0)} | ${y.p50} | ${y.p99} | **${(x.rps / y.rps).toFixed(2)}** | `
          + `${x.bad} / ${y.bad} |`);
      }
      console.log('');
    }
    if (failed) {
      console.log('Some requests failed or answered differently (errors column: API / baseline): the figures above are not valid.');
      process.exitCode = 1;
    }
    api.child.send('stop');
    baseline.child.send('stop');
    await Promise.all([api.child, baseline.child].map((c) => new Promise((resolve) => c.once('exit', resolve))));
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill();
    await db.end();
    jwks.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

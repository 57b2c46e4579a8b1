import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config';
import { startServer } from '../src/server';
import { statementCounter } from '../src/shared/db/data-source';
import { loadOrCreateDevKey, signDevToken } from '../src/modules/identity/auth';

/**
 * `DATABASE_URL=… npm run bench`: the demo social worker's two hottest reads, over HTTP against a seeded database
 * (`npm run seed -- --size council`). Starts Haven in-process on a free port, then runs each query sequentially,
 * WARMUP times unmeasured and RUNS times measured, and prints latency percentiles and SQL statements per request
 * (TypeORM's statement counter, same process).
 */
const WARMUP = 20;
const RUNS = 100;
const EMAIL = 'social.worker@haven.example';

const CASELOAD = `query Caseload($first: Int!) { myCaseload(first: $first) { totalCount edges { node {
  childId child { firstName lastName } due { kind status dueOn } allocation { team { name } } } } } }`;
const CHRONOLOGY = `query Chronology($id: ID!) { chronology(childId: $id, first: 50) {
  totalCount edges { node { occurredAt kind summary } } } }`;

interface Case {
  name: string;
  query: string;
  variables: Record<string, unknown>;
  /** Rows the answer must hold, to make sure we time real work. */
  check(data: Record<string, any>): string | null;
}

interface Result {
  name: string;
  error?: string;
  ms: number[];
  statements: number[];
  rows?: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

async function main() {
  if (!process.env.DATABASE_URL) {
    throw new Error('DATABASE_URL is required (the benchmark never uses the embedded database): e.g. DATABASE_URL=postgres://… npm run bench');
  }
  process.env.LOG_LEVEL = 'silent';
  const config = { ...loadConfig(), port: 0, logLevel: 'silent' };
  if (config.oidcIssuer) throw new Error('OIDC_ISSUER is set: the benchmark signs a development token and needs it unset');

  const running = await startServer(config);
  try {
    const db = running.db;
    const [account] = await db.query(`SELECT id, email FROM account WHERE email = $1 AND NOT disabled`, [EMAIL]);
    if (!account) throw new Error(`no ${EMAIL}: seed first (npm run seed -- --size council)`);
    const key = await loadOrCreateDevKey(config.dataDir);
    const token = await signDevToken(key, config.oidcAudience, account, '1h');

    const [size] = await db.query(
      `SELECT (SELECT count(*) FROM child)::int AS children, (SELECT count(*) FROM visit)::int AS visits,
              (SELECT count(*) FROM plan)::int AS plans, (SELECT count(*) FROM episode)::int AS episodes,
              (SELECT count(*) FROM allocation a WHERE a.worker_id = $1 AND a.ended_at IS NULL)::int AS caseload`,
      [account.id],
    );
    const ranked: { child_id: string; events: number }[] = await db.query(
      `SELECT e.child_id, count(*)::int AS events FROM child_event e
       WHERE e.child_id IN (SELECT child_id FROM allocation WHERE worker_id = $1 AND ended_at IS NULL)
       GROUP BY e.child_id ORDER BY count(*) DESC, e.child_id`,
      [account.id],
    );
    const busiest = ranked[0];
    const notes: string[] = [];

    const cases: Case[] = [
      {
        name: 'myCaseload(first: 30)',
        query: CASELOAD,
        variables: { first: 30 },
        check: (d) => (d.myCaseload?.edges?.length ? null : 'empty caseload'),
      },
      {
        name: `chronology(first: 50), ${busiest?.events ?? 0} events`,
        query: CHRONOLOGY,
        variables: { id: busiest?.child_id },
        check: (d) => (d.chronology?.edges?.length === Math.min(50, busiest?.events ?? 0) ? null : 'unexpected page size'),
      },
    ];

    const post = async (c: Case) => {
      const res = await fetch(`${running.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: c.query, variables: c.variables }),
      });
      const body = (await res.json()) as { data?: Record<string, any>; errors?: { message: string; extensions?: { code?: string } }[] };
      if (body.errors?.length) return { error: `${body.errors[0].extensions?.code ?? res.status}: ${body.errors[0].message}` };
      return { error: body.data ? c.check(body.data) : `HTTP ${res.status}`, data: body.data };
    };

    const results: Result[] = [];
    for (const c of cases) {
      const result: Result = { name: c.name, ms: [], statements: [] };
      results.push(result);
      for (let n = 0; n < WARMUP && !result.error; n++) result.error = (await post(c)).error ?? undefined;
      for (let n = 0; n < RUNS && !result.error; n++) {
        const before = statementCounter.count;
        const started = performance.now();
        const r = await post(c);
        result.ms.push(performance.now() - started);
        result.statements.push(statementCounter.count - before);
        result.error = r.error ?? undefined;
      }
    }

    console.log(
      `Dataset: ${size.children} children, ${size.plans} plans, ${size.visits} visits, ${size.episodes} episodes; ` +
        `${EMAIL} holds ${size.caseload} children`,
    );
    console.log(`Sequential HTTP requests, ${WARMUP} warm-up + ${RUNS} measured each (ms; SQL statements per request):`);
    for (const r of results) if (r.error) notes.push(`${r.name} failed: ${r.error}`);
    const rows = results.filter((r) => !r.error).map((r) => {
      const sorted = [...r.ms].sort((a, b) => a - b);
      const mean = r.ms.reduce((a, b) => a + b, 0) / r.ms.length;
      const stmts = [...new Set(r.statements)].sort((a, b) => a - b);
      return [
        r.name,
        ...[percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99), mean].map((v) => v.toFixed(1)),
        stmts.length === 1 ? String(stmts[0]) : `${stmts[0]}-${stmts[stmts.length - 1]}`,
      ];
    });
    const header = ['query', 'p50', 'p95', 'p99', 'mean', 'SQL/req'];
    const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => (r[k] ?? '').length)));
    const line = (cells: string[]) =>
      cells.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]) : cell.padStart(widths[k]))).join('  ');
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) console.log(line(r));
    for (const n of notes) console.log(n);
    if (results.some((r) => r.error)) process.exitCode = 1;
  } finally {
    await running.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

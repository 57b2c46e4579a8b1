import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config';
import { startServer } from '../src/server';
import { statementCounter } from '../src/shared/db/data-source';
import { loadOrCreateDevKey, signDevToken } from '../src/modules/identity/auth';
import { FIGURES, MEASURES } from '../src/modules/reporting/performance.figures';
import { BASELINE, canonical, DASHBOARD, fromApi, fromSql } from './dashboard-sql';

/**
 * `DATABASE_URL=… npm run bench` (after bench/early-help.ts): a team dashboard on a seeded council (`npm run seed --
 * --size council`): every `performance` figure's value and buckets, the measures and the workers' caseloads, for the
 * demo team manager's team and the last 6 months, over HTTP. Compared in the same run with one hand-written SQL
 * statement computing the same numbers through the same pool (written independently: the team's allocations as spells
 * of England dates, EXISTS for the stage, a window for repeat plans, FILTER-free GROUP BYs); the two must agree before
 * anything is timed. Each runs WARMUP times
 * unmeasured and RUNS times measured, alternately.
 */
const WARMUP = 20;
const RUNS = 100;
const EMAIL = 'team.manager@haven.example';

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
    const key = await loadOrCreateDevKey(config.dataDir);
    const [{ from, to }] = await db.query(
      `SELECT to_char(t - interval '6 months', 'YYYY-MM-DD') AS from, to_char(t, 'YYYY-MM-DD') AS to
       FROM (SELECT (now() AT TIME ZONE 'Europe/London')::date AS t) x`,
    );
    const [account] = await db.query(
      `SELECT a.id, a.email, a.team_id, t.name AS team FROM account a JOIN team t ON t.id = a.team_id WHERE a.email = $1 AND NOT a.disabled`,
      [EMAIL],
    );
    if (!account) throw new Error(`no ${EMAIL}: seed first (npm run seed -- --size council)`);
    const [size] = await db.query(
      `SELECT (SELECT count(*) FROM child)::int AS children, (SELECT count(*) FROM referral)::int AS referrals,
              (SELECT count(*) FROM allocation WHERE ended_at IS NULL AND team_id = $1)::int AS team_children`,
      [account.team_id],
    );
    const token = await signDevToken(key, config.oidcAudience, account, '1h');
    const variables = { input: { from, to } };

    const post = async (): Promise<{ error?: string; performance?: Record<string, any> }> => {
      const res = await fetch(`${running.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: DASHBOARD, variables }),
      });
      const body = (await res.json()) as { data?: { performance?: Record<string, any> }; errors?: { message: string; extensions?: { code?: string } }[] };
      if (body.errors?.length) return { error: `${body.errors[0].extensions?.code ?? res.status}: ${body.errors[0].message}` };
      return body.data?.performance ? { performance: body.data.performance } : { error: `HTTP ${res.status}` };
    };
    const baseline = () => db.query(BASELINE, [from, to, account.team_id, account.id]) as Promise<{ f: string; b: string; n: number }[]>;

    // The API and the baseline must agree before anything is timed.
    const first = await post();
    if (first.error || !first.performance) throw new Error(`API failed: ${first.error ?? 'no data'}`);
    if (first.performance.teamId !== account.team_id) throw new Error('the dashboard is not for the manager\'s team');
    const got = fromApi(first.performance);
    const expected = fromSql(await baseline());
    if (canonical(got) !== canonical(expected)) {
      const figures = [...new Set([...Object.keys(got), ...Object.keys(expected)])].sort();
      const diff = figures.filter((f) => canonical({ [f]: got[f] ?? {} }) !== canonical({ [f]: expected[f] ?? {} }));
      throw new Error(`API and baseline differ on ${diff.map((f) => `${f} (API ${JSON.stringify(got[f])}, SQL ${JSON.stringify(expected[f])})`).join('; ')}`);
    }
    const numbers = Object.values(got).reduce((s, b) => s + Object.keys(b).length, 0);

    for (let n = 0; n < WARMUP; n++) {
      await post();
      await baseline();
    }
    const ms: number[] = [];
    const sqlMs: number[] = [];
    const statements: number[] = [];
    for (let n = 0; n < RUNS; n++) {
      const before = statementCounter.count;
      const started = performance.now();
      const r = await post();
      ms.push(performance.now() - started);
      statements.push(statementCounter.count - before);
      if (r.error) throw new Error(`API failed during the run: ${r.error}`);
      const t = performance.now();
      await baseline();
      sqlMs.push(performance.now() - t);
    }

    const api = [...ms].sort((a, b) => a - b);
    const sql = [...sqlMs].sort((a, b) => a - b);
    const stmts = [...new Set(statements)].sort((a, b) => a - b);
    console.log(`Dataset: ${size.children} children, ${size.referrals} referrals; team "${account.team}" (${size.team_children} children allocated); `
      + `period ${from} to ${to}`);
    console.log(`Team dashboard: ${FIGURES.length} figures, ${MEASURES.length} measures and the workers' caseloads (${numbers} non-zero numbers, `
      + 'equal to the baseline\'s)');
    console.log(`Sequential requests, ${WARMUP} warm-up + ${RUNS} measured each (ms); baseline: one hand-written SQL statement, same pool:`);
    const header = ['query', 'API p50', 'API p99', 'SQL p50', 'SQL p99', 'SQL/req', 'API/SQL p50'];
    const row = [
      'performance (team dashboard)',
      ...[percentile(api, 50), percentile(api, 99), percentile(sql, 50), percentile(sql, 99)].map((v) => v.toFixed(1)),
      stmts.length === 1 ? String(stmts[0]) : `${stmts[0]}-${stmts[stmts.length - 1]}`,
      (percentile(api, 50) / percentile(sql, 50)).toFixed(2),
    ];
    const widths = header.map((h, k) => Math.max(h.length, row[k].length));
    const line = (cells: string[]) => cells.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]) : cell.padStart(widths[k]))).join('  ');
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    console.log(line(row));
  } finally {
    await running.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

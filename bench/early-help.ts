import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config';
import { startServer } from '../src/server';
import { statementCounter } from '../src/shared/db/data-source';
import { loadOrCreateDevKey, signDevToken } from '../src/modules/identity/auth';

/**
 * `DATABASE_URL=… npm run bench` (after bench/casework.ts): the early help waiting list on a seeded council
 * (`npm run seed -- --size council`), over HTTP, as the demo early help practitioner (every family waiting, all
 * providers) and as the demo provider manager (their organisation's offers). Each query runs WARMUP times unmeasured
 * and RUNS times measured; it is compared in the same run with one hand-written SQL statement returning the same rows
 * and flags (same order, same scope: the restricted-record check, the provider's own offers) through the same pool.
 * The API also audits every row it returns in that statement ('earlyHelpEpisode.listed'); the baseline writes nothing.
 */
const WARMUP = 20;
const RUNS = 100;
const FIRST = 50;

const WAITING_LIST = `query Waiting($first: Int!) { earlyHelpWaitingList(first: $first) { edges { node {
  episode { id requestedOn status needs } daysWaiting needsRetriage retriageReasons
  provider { name } providerCapacity { capacity inWork offered available } } } } }`;

/**
 * The same page in one statement: $1 today, $2 the actor (restriction grants), $3 the provider (provider staff, who are
 * given only the wait among the re-triage reasons) or null.
 */
const BASELINE = `
  WITH page AS (
    SELECT e.id, e.requested_on, e.status, e.needs, e.provider_id, e.requested_at, $1::date - e.requested_on AS days_waiting,
           $1::date - e.requested_on > s.retriage_after_days AS waited_too_long
    FROM early_help_episode e CROSS JOIN early_help_setting s
    WHERE e.status IN ('REQUESTED', 'OFFERED') AND ($3::uuid IS NULL OR e.status = 'OFFERED' AND e.provider_id = $3)
      AND NOT EXISTS (SELECT 1 FROM early_help_child rc JOIN child c ON c.id = rc.child_id WHERE rc.episode_id = e.id AND c.restricted
                        AND NOT EXISTS (SELECT 1 FROM restriction_grant g WHERE g.child_id = c.id AND g.account_id = $2))
      AND NOT EXISTS (SELECT 1 FROM family f WHERE f.id = e.family_id AND f.restricted
                        AND NOT EXISTS (SELECT 1 FROM restriction_grant g WHERE g.family_id = f.id AND g.account_id = $2))
    ORDER BY e.requested_on, e.id LIMIT $4
  ), used AS (
    SELECT e.provider_id, count(*) FILTER (WHERE e.status = 'IN_WORK')::int AS in_work, count(*) FILTER (WHERE e.status = 'OFFERED')::int AS offered
    FROM early_help_episode e WHERE e.status IN ('IN_WORK', 'OFFERED') AND e.provider_id IN (SELECT provider_id FROM page) GROUP BY e.provider_id
  )
  SELECT pg.id, pg.requested_on::text, pg.status, pg.needs, pg.days_waiting,
         array_remove(ARRAY[
           CASE WHEN pg.waited_too_long THEN 'WAITED_TOO_LONG' END,
           CASE WHEN $3::uuid IS NULL AND EXISTS (SELECT 1 FROM early_help_child c JOIN contact x ON x.child_id = c.child_id
                             WHERE c.episode_id = pg.id AND x.received_at > pg.requested_at) THEN 'NEW_CONTACT' END,
           CASE WHEN $3::uuid IS NULL AND EXISTS (SELECT 1 FROM early_help_child c JOIN referral x ON x.child_id = c.child_id
                             WHERE c.episode_id = pg.id AND x.received_at > pg.requested_at
                               AND x.early_help_episode_id IS DISTINCT FROM pg.id) THEN 'NEW_REFERRAL' END,
           CASE WHEN $3::uuid IS NULL AND EXISTS (SELECT 1 FROM early_help_concern k WHERE k.episode_id = pg.id AND k.safeguarding)
                THEN 'SAFEGUARDING_CONCERN' END,
           CASE WHEN $3::uuid IS NULL AND EXISTS (SELECT 1 FROM early_help_concern k WHERE k.episode_id = pg.id AND cardinality(k.needs_added) > 0)
                THEN 'NEEDS_ESCALATED' END],
           NULL) AS reasons,
         p.name AS provider, cap.capacity, u.in_work, u.offered, cap.capacity - u.in_work - u.offered AS available
  FROM page pg
  LEFT JOIN provider p ON p.id = pg.provider_id
  LEFT JOIN used u ON u.provider_id = pg.provider_id
  LEFT JOIN LATERAL (SELECT coalesce(sum(c.capacity), 0)::int AS capacity FROM provider_contract c
                     WHERE c.provider_id = pg.provider_id AND c.starts_on <= $1 AND c.ends_on >= $1) cap ON pg.provider_id IS NOT NULL
  ORDER BY pg.requested_on, pg.id`;

interface Node {
  episode: { id: string; requestedOn: string; status: string; needs: string[] };
  daysWaiting: number;
  needsRetriage: boolean;
  retriageReasons: string[];
  provider: { name: string } | null;
  providerCapacity: { capacity: number; inWork: number; offered: number; available: number } | null;
}
interface BaselineRow {
  id: string;
  requested_on: string;
  status: string;
  needs: string[];
  days_waiting: number;
  reasons: string[];
  provider: string | null;
  capacity: number | null;
  in_work: number | null;
  offered: number | null;
  available: number | null;
}

/** Both answers as comparable tuples (reasons sorted: their order is not part of the contract). */
const fromApi = (n: Node) => [n.episode.id, n.episode.requestedOn, n.episode.status, n.episode.needs.join(','), n.daysWaiting,
  n.needsRetriage, [...n.retriageReasons].sort().join(','), n.provider?.name ?? null,
  n.providerCapacity ? [n.providerCapacity.capacity, n.providerCapacity.inWork, n.providerCapacity.offered, n.providerCapacity.available].join('/') : null];
const fromSql = (r: BaselineRow) => [r.id, r.requested_on, r.status, r.needs.join(','), r.days_waiting,
  r.reasons.length > 0, [...r.reasons].sort().join(','), r.provider,
  r.provider ? [r.capacity, r.in_work, r.offered, r.available].join('/') : null];

interface Measured {
  name: string;
  error?: string;
  ms: number[];
  statements: number[];
  rows: number;
  baselineMs: number[];
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
    const key = await loadOrCreateDevKey(config.dataDir);
    const [{ today }] = await db.query(`SELECT to_char((now() AT TIME ZONE 'Europe/London')::date, 'YYYY-MM-DD') AS today`);
    const [size] = await db.query(
      `SELECT (SELECT count(*) FROM early_help_episode)::int AS episodes,
              (SELECT count(*) FROM early_help_episode WHERE status IN ('REQUESTED', 'OFFERED'))::int AS waiting,
              (SELECT count(*) FROM child)::int AS children`,
    );
    if (!size.waiting) throw new Error('no families waiting for early help: seed first (npm run seed -- --size council)');

    const actors = [
      { email: 'early.help.practitioner@haven.example', label: 'early help practitioner (all providers)' },
      { email: 'provider.manager@haven.example', label: 'provider manager (own offers)' },
    ];
    const results: Measured[] = [];
    for (const a of actors) {
      const [account] = await db.query(`SELECT id, email, provider_id FROM account WHERE email = $1 AND NOT disabled`, [a.email]);
      if (!account) throw new Error(`no ${a.email}: seed first (npm run seed -- --size council)`);
      const token = await signDevToken(key, config.oidcAudience, account, '1h');
      const m: Measured = { name: `earlyHelpWaitingList(first: ${FIRST}), ${a.label}`, ms: [], statements: [], rows: 0, baselineMs: [] };
      results.push(m);

      const post = async (): Promise<{ error?: string; nodes?: Node[] }> => {
        const res = await fetch(`${running.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: WAITING_LIST, variables: { first: FIRST } }),
        });
        const body = (await res.json()) as { data?: { earlyHelpWaitingList?: { edges: { node: Node }[] } }; errors?: { message: string; extensions?: { code?: string } }[] };
        if (body.errors?.length) return { error: `${body.errors[0].extensions?.code ?? res.status}: ${body.errors[0].message}` };
        const edges = body.data?.earlyHelpWaitingList?.edges;
        return edges ? { nodes: edges.map((e) => e.node) } : { error: `HTTP ${res.status}` };
      };
      const baseline = () => db.query(BASELINE, [today, account.id, account.provider_id, FIRST]) as Promise<BaselineRow[]>;

      // The API and the baseline must agree before anything is timed.
      const first = await post();
      if (first.error || !first.nodes) {
        m.error = first.error ?? 'no data';
        continue;
      }
      const expected = (await baseline()).map(fromSql);
      const got = first.nodes.map(fromApi);
      if (!got.length || JSON.stringify(got) !== JSON.stringify(expected)) {
        const k = got.findIndex((g, n) => JSON.stringify(g) !== JSON.stringify(expected[n]));
        m.error = `API and baseline differ (${got.length} vs ${expected.length} rows; first difference at ${k}: ${JSON.stringify(got[k])} vs ${JSON.stringify(expected[k])})`;
        continue;
      }
      m.rows = got.length;
      for (let n = 0; n < WARMUP; n++) {
        await post();
        await baseline();
      }
      for (let n = 0; n < RUNS && !m.error; n++) {
        const before = statementCounter.count;
        const started = performance.now();
        const r = await post();
        m.ms.push(performance.now() - started);
        m.statements.push(statementCounter.count - before);
        m.error = r.error;
        const t = performance.now();
        await baseline();
        m.baselineMs.push(performance.now() - t);
      }
    }

    console.log(`Dataset: ${size.children} children, ${size.episodes} early help episodes, ${size.waiting} families waiting (anchor ${today})`);
    console.log(`Sequential requests, ${WARMUP} warm-up + ${RUNS} measured each (ms); baseline: one hand-written SQL statement, same pool:`);
    const rows = results.filter((r) => !r.error).map((r) => {
      const api = [...r.ms].sort((a, b) => a - b);
      const sql = [...r.baselineMs].sort((a, b) => a - b);
      const stmts = [...new Set(r.statements)].sort((a, b) => a - b);
      return [
        r.name, String(r.rows),
        ...[percentile(api, 50), percentile(api, 99), percentile(sql, 50), percentile(sql, 99)].map((v) => v.toFixed(1)),
        stmts.length === 1 ? String(stmts[0]) : `${stmts[0]}-${stmts[stmts.length - 1]}`,
        (percentile(api, 50) / percentile(sql, 50)).toFixed(1),
      ];
    });
    const header = ['query', 'rows', 'API p50', 'API p99', 'SQL p50', 'SQL p99', 'SQL/req', 'API/SQL p50'];
    const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
    const line = (cells: string[]) => cells.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]) : cell.padStart(widths[k]))).join('  ');
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) console.log(line(r));
    for (const r of results) if (r.error) console.log(`${r.name} failed: ${r.error}`);
    if (results.some((r) => r.error)) process.exitCode = 1;
  } finally {
    await running.stop();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

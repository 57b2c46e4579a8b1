import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../src/shared/db/data-source';
import { migrate, MIGRATION_LOCK_KEY } from '../src/shared/db/migrate';
import { migrations } from '../migrations';
import { Running, startServer } from '../src/server';
import { testConfig } from './api';
import { factories } from './factories';
import { RoleCode } from '../src/modules/identity/roles';
import { loadOrCreateDevKey, signDevToken } from '../src/modules/identity/auth';
import { databaseName, onServer, testDatabaseUrl } from './setup/database';

const ROOT = path.resolve(__dirname, '..');

/** The variable names in the first column of README's "## Configuration" table (`A` / `B` rows name two). */
function documentedVariables(): Set<string> {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Configuration'));
  if (!section) throw new Error('README has no "## Configuration" section');
  const names = new Set<string>();
  for (const line of section.split('\n')) {
    const cells = line.split('|');
    if (!line.startsWith('|') || cells.length < 4) continue;
    for (const m of cells[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(m[1]);
  }
  return names;
}

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === '__tests__' ? [] : tsFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Environment variables Haven reads: `env.X` in src/config.ts, `process.env.X` anywhere in src/, scripts/ and the test set-up. */
function variablesRead(): Map<string, string> {
  const found = new Map<string, string>();
  const scan = (file: string, pattern: RegExp) => {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(pattern)) if (!found.has(m[1])) found.set(m[1], path.relative(ROOT, file));
  };
  scan(path.join(ROOT, 'src/config.ts'), /\benv\.([A-Z][A-Z0-9_]*)/g);
  for (const file of [...tsFiles(path.join(ROOT, 'src')), ...tsFiles(path.join(ROOT, 'scripts')), ...tsFiles(path.join(ROOT, 'test/setup'))]) {
    scan(file, /process\.env\.([A-Z][A-Z0-9_]*)/g);
    scan(file, /process\.env\[['"]([A-Z][A-Z0-9_]*)['"]\]/g);
  }
  return found;
}

describe('README configuration table', () => {
  it('documents every environment variable Haven reads', () => {
    const read = variablesRead();
    // The scan finds what config.ts reads (a scan that found nothing would pass for the wrong reason).
    expect([...read.keys()]).toEqual(expect.arrayContaining(['DATABASE_URL', 'DATABASE_REPLICA_URL', 'OIDC_ISSUER', 'HAVEN_TEST_DB']));
    const documented = documentedVariables();
    const missing = [...read].filter(([name]) => !documented.has(name)).map(([name, file]) => `${name} (${file})`);
    expect(missing).toEqual([]);
  });
});

describe('production start', () => {
  it('refuses to start without OIDC_ISSUER before connecting to (and migrating) anything', async () => {
    // A database that does not exist: connecting would fail with another message.
    const url = new URL(testDatabaseUrl());
    url.pathname = '/haven_never_created';
    const config = { ...testConfig({ PORT: '0' }), env: 'production' as const, oidcIssuer: undefined, databaseUrl: url.toString() };
    await expect(startServer(config)).rejects.toThrow(/^OIDC_ISSUER must be set in production/);
  });
});

describe('migrations under an advisory lock', () => {
  const url = new URL(testDatabaseUrl());
  const scratch = `${databaseName(testDatabaseUrl())}_migrate`;
  url.pathname = `/${scratch}`;
  const sources: DataSource[] = [];
  const source = async (statementTimeoutMs?: number) => {
    const ds = createDataSource({ url: url.toString(), poolMax: 1, statementTimeoutMs });
    await ds.initialize();
    sources.push(ds);
    return ds;
  };

  beforeEach(() => onServer(url.toString(), [`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`, `CREATE DATABASE ${scratch}`]));
  afterEach(async () => {
    await Promise.all(sources.splice(0).map((ds) => ds.destroy()));
  });
  afterAll(() => onServer(url.toString(), [`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`]));

  it('lets two instances starting at once migrate an empty database: each migration applied once, both start', async () => {
    const [a, b] = await Promise.all([source(), source()]);
    const [ranA, ranB] = await Promise.all([migrate(a), migrate(b)]);
    // One instance applied everything (on a pool of one connection, which also holds the lock); the other nothing.
    expect([ranA.length, ranB.length].sort((x, y) => x - y)).toEqual([0, migrations.length]);
    const [{ n }] = await a.query(`SELECT count(*)::int AS n FROM migrations`);
    expect(n).toBe(migrations.length);
    expect(await a.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = $1)`, [scratch])).toEqual([]);
  });

  it("waits while another session holds the lock, longer than the pool's statement timeout, then migrates", async () => {
    const holder = new Client({ connectionString: url.toString() });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
      // Requests' statements time out after 200 ms here: the wait for the lock (800 ms) must not.
      const ds = await source(200);
      let done = false;
      const running = migrate(ds).then((ran) => {
        done = true;
        return ran;
      });
      await new Promise((r) => setTimeout(r, 800));
      expect(done).toBe(false);
      // Nothing was created meanwhile.
      const { rows } = await holder.query(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('migrations', 'child')`);
      expect(rows).toEqual([{ n: 0 }]);
      await holder.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
      expect(await running).toHaveLength(migrations.length);
      // The pool's connection is handed back with the request timeout in force again.
      expect(await ds.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '200ms' }]);
    } finally {
      await holder.end();
    }
  });
});

describe('readiness with a read replica', () => {
  let servers: Running[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    servers = [];
  });
  const start = async (replicaUrl: string) => {
    const s = await startServer(testConfig({ PORT: '0', LOG_LEVEL: 'silent', DATABASE_REPLICA_URL: replicaUrl }));
    servers.push(s);
    return s;
  };

  it('reports a replica that answers', async () => {
    const s = await start(testDatabaseUrl());
    const res = await fetch(`${s.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', replica: 'ok' });
  });

  it('starts and stays ready (200) with the replica down, and answers reports 503 while casework carries on', async () => {
    const s = await start('postgres://postgres@127.0.0.1:1/haven_absent_replica');
    const res = await fetch(`${s.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', replica: 'unavailable' });
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);

    const analyst = await factories(s.db).account(RoleCode.PERFORMANCE_ANALYST);
    const token = await signDevToken(await loadOrCreateDevKey(testConfig().dataDir), 'haven', analyst, '5m');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const gql = (query: string) => fetch(`${s.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query }) });
    const report = await gql('{ annexA(input: { list: LIST_1_CONTACTS, from: "2025-10-01", to: "2026-03-31" }) { rowCount } }');
    expect(report.status).toBe(503);
    expect(report.headers.get('retry-after')).toBeTruthy();
    expect(((await report.json()) as any).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    const xml = await fetch(`${s.url}/exports/cin-census/2026.xml`, { headers });
    expect(xml.status).toBe(503);
    const me = await gql('{ me { id } }');
    expect(me.status).toBe(200);
    expect(((await me.json()) as any).data.me.id).toBe(analyst.id);
  });
});

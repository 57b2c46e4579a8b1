import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Pool } from 'pg';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { DataSource } from 'typeorm';
import { createHaven, Haven } from '../src/app';
import { createHttpApp } from '../src/http';
import { createDataSource } from '../src/shared/db/data-source';
import { createLogger } from '../src/shared/logger';
import { createMetrics } from '../src/shared/metrics';
import { testConfig } from './api';

/**
 * HTTP helpers for the security suite: a real server on an ephemeral port whose log lines are captured, a local
 * identity provider for production mode, plain requests, and row counts of every table (to prove nothing was written).
 */

export interface LogLine {
  level: number;
  msg: string;
  requestId?: string;
  [k: string]: unknown;
}

export interface CapturedServer {
  url: string;
  db: DataSource;
  haven: Haven;
  /** Every line the server logged (pino JSON, parsed), oldest first. */
  logs: LogLine[];
  /** The raw log text, to search for what must never be logged. */
  logText(): string;
  stop(): Promise<void>;
}

/**
 * Serves Haven the way `startServer` does (createHaven + createHttpApp + listen), on the already migrated test
 * database, with the real `createLogger` at level info whose output is kept in memory instead of going to stdout.
 * `createLogger` takes no destination, so its stream is swapped before any child logger is made (pino's streamSym).
 */
export async function startCapturedServer(env: Record<string, string> = {}): Promise<CapturedServer> {
  const config = testConfig({ PORT: '0', LOG_LEVEL: 'info', ...env });
  const raw: string[] = [];
  const logs: LogLine[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        raw.push(line);
        logs.push(JSON.parse(line) as LogLine);
      }
      done();
    },
  });
  const log = createLogger(config.logLevel);
  (log as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = sink;

  const db = createDataSource({ url: config.databaseUrl!, poolMax: config.poolMax, statementTimeoutMs: config.statementTimeoutMs });
  await db.initialize();
  const haven = await createHaven(db, config, log);
  const pool = () => (db.driver as unknown as { master?: Pool }).master;
  const app = createHttpApp(haven, db, log, createMetrics(pool), {
    perMinute: config.rateLimitPerMinute,
    anonymousPerMinute: config.rateLimitAnonymousPerMinute,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    haven,
    logs,
    logText: () => raw.join('\n'),
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await haven.apollo.stop();
      await db.destroy();
    },
  };
}

export interface LocalIdp {
  issuer: string;
  jwksUrl: string;
  /** An ES256 token for the account's e-mail, as the council's identity provider would issue it. */
  sign(account: { email: string }, opts?: { audience?: string; ttl?: string | number }): Promise<string>;
  stop(): Promise<void>;
}

/** A stand-in OIDC identity provider: a key pair and its JWKS served on localhost (production mode needs an issuer). */
export async function startLocalIdp(audience = 'haven'): Promise<LocalIdp> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-idp', alg: 'ES256', use: 'sig' };
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const issuer = 'https://idp.test.invalid/tenant/v2.0';
  return {
    issuer,
    jwksUrl: `http://127.0.0.1:${port}/keys`,
    sign: (account, opts = {}) =>
      new SignJWT({ email: account.email })
        .setProtectedHeader({ alg: 'ES256', kid: 'test-idp' })
        .setIssuer(issuer)
        .setAudience(opts.audience ?? audience)
        .setIssuedAt()
        .setExpirationTime(opts.ttl ?? '5m')
        .sign(privateKey),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body (undefined when the body is not JSON). */
  body: any;
}

/** One HTTP request; `body` objects are sent as JSON, strings as they are. */
export async function http(
  url: string,
  opts: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  const { method = 'POST', body, token, headers = {} } = opts;
  const res = await fetch(url, {
    method,
    headers: {
      ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/**
 * Rows in every table of schema public (bar the migrations table), with audit_entry also counted by action and
 * result (`audit_entry:child.viewed:DENIED`), so a test can say exactly which rows an attack may add.
 */
export async function rowCounts(db: DataSource): Promise<Record<string, number>> {
  const tables: { name: string }[] = await db.query(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations' ORDER BY table_name`,
  );
  const union = tables.map((t) => `SELECT '${t.name}' AS name, count(*)::int AS n FROM public."${t.name}"`).join(' UNION ALL ');
  const counts: Record<string, number> = {};
  for (const r of (await db.query(union)) as { name: string; n: number }[]) counts[r.name] = r.n;
  const audit: { action: string; result: string; n: number }[] = await db.query(
    `SELECT action, result, count(*)::int AS n FROM audit_entry GROUP BY action, result`,
  );
  for (const r of audit) counts[`audit_entry:${r.action}:${r.result}`] = r.n;
  return counts;
}

/** What changed between two snapshots: table → rows added (or removed, negative); unchanged tables left out. */
export function rowChanges(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const changes: Record<string, number> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const d = (after[key] ?? 0) - (before[key] ?? 0);
    if (d !== 0) changes[key] = d;
  }
  return changes;
}

/** A response that leaks nothing of the server: no stack frame, file path, SQL or driver message. */
export const LEAK = /node_modules|\/src\/|\/work\/|\.ts:\d+|at \w+ \(|\bat async\b|stacktrace|SELECT |INSERT |relation "|syntax error at or near|QueryFailedError/i;

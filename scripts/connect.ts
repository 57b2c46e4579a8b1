import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { Config } from '../src/config';
import { createDataSource } from '../src/shared/db/data-source';
import { migrate } from '../src/shared/db/migrate';
import { startEmbeddedPostgres } from '../src/shared/db/embedded';
import { createLogger } from '../src/shared/logger';

/**
 * A database for a command-line script: DATABASE_URL when set; otherwise the embedded database, reusing the one a
 * running `npm start` holds, or starting it for the script's duration. Migrations are applied first.
 */
export async function connectForScript(config: Config): Promise<{ db: DataSource; close(): Promise<void> }> {
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  let url = config.databaseUrl;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    const passwordFile = path.join(config.dataDir, 'pg-password');
    const candidate = existsSync(passwordFile)
      ? `postgres://postgres:${encodeURIComponent(readFileSync(passwordFile, 'utf8').trim())}@127.0.0.1:${config.embeddedPgPort}/haven`
      : undefined;
    if (candidate && (await answers(candidate))) {
      url = candidate;
    } else {
      const embedded = await startEmbeddedPostgres(config.dataDir, config.embeddedPgPort, log);
      url = embedded.url;
      stopEmbedded = () => embedded.stop();
    }
  }
  const db = createDataSource({
    url, poolMax: 4, poolAcquireTimeoutMs: config.poolAcquireTimeoutMs, statementTimeoutMs: 0, applicationName: 'haven-script',
  });
  await db.initialize();
  await migrate(db);
  return {
    db,
    async close() {
      await db.destroy();
      if (stopEmbedded) await stopEmbedded();
    },
  };
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

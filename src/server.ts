import 'reflect-metadata';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import type { Pool } from 'pg';
import type { Config } from './config';
import { createHaven, Haven } from './app';
import { createHttpApp } from './http';
import { createDataSource } from './shared/db/data-source';
import { migrate } from './shared/db/migrate';
import { ReportingDb, replicaDataSource } from './modules/reporting/reporting-db';
import { EmbeddedDatabase, startEmbeddedPostgres } from './shared/db/embedded';
import { createLogger, safeError } from './shared/logger';
import { createMetrics } from './shared/metrics';
import { seedDemoCouncil } from './seed/demo-council';

const CALENDAR_RELOAD_MS = 5 * 60_000;

export interface Running {
  url: string;
  db: DataSource;
  haven: Haven;
  stop(): Promise<void>;
}

/** Connects (embedded PostgreSQL when no DATABASE_URL), migrates, and serves. `stop()` is the ordered shutdown. */
export async function startServer(config: Config): Promise<Running> {
  // Checked before anything connects: a misconfigured instance must not migrate the database and then exit. (Scripts
  // such as `migrate` need no issuer.)
  if (config.env === 'production' && !config.oidcIssuer) {
    throw new Error('OIDC_ISSUER must be set in production: the development signing key is not for live use');
  }
  const log = createLogger(config.logLevel);
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(config.dataDir, config.embeddedPgPort, log);
    url = embedded.url;
  }
  const db = createDataSource({
    url,
    poolMax: config.poolMax,
    poolAcquireTimeoutMs: config.poolAcquireTimeoutMs,
    statementTimeoutMs: config.statementTimeoutMs,
  });
  await db.initialize();
  // Under an advisory lock: instances starting together migrate one after the other (src/shared/db/migrate.ts).
  const applied = await migrate(db);
  if (applied.length) log.info({ migrations: applied.map((m) => m.name) }, 'migrations applied');
  if (embedded) await seedIfEmpty(db, log);

  // Reporting reads go to the read replica when DATABASE_REPLICA_URL is set; one that is down does not stop the start.
  const reports = new ReportingDb(db, replicaDataSource(config), log);
  await reports.connect().catch(() => undefined);
  const haven = await createHaven(db, config, log, undefined, reports);
  // Other instances may add a one-off bank holiday: pick it up within minutes.
  const calendarReload = setInterval(() => {
    haven.services.calendar.load().catch((err) => log.warn({ err: safeError(err) }, 'calendar reload failed'));
  }, CALENDAR_RELOAD_MS);
  calendarReload.unref();
  const pool = () => (db.driver as unknown as { master?: Pool }).master;
  const app = createHttpApp(haven, db, log, createMetrics(pool), {
    perMinute: config.rateLimitPerMinute,
    anonymousPerMinute: config.rateLimitAnonymousPerMinute,
  }, config.trustProxy);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.port, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  log.info({ port, embedded: !!embedded }, `Haven is serving GraphQL at http://localhost:${port}/graphql`);

  let stopping: Promise<void> | undefined;
  // During shutdown a kept-alive connection must not hold the exit for its keep-alive timeout (Node's 5 s: with
  // keep-alive clients a SIGTERM took 7.1 s to exit, not 1.2 s, in test/failure/shutdown.failure.ts): responses not yet
  // sent say `Connection: close`, and a connection that falls idle is closed as soon as its response has gone.
  const responses = new Set<ServerResponse>();
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    responses.add(res);
    if (stopping) res.setHeader('connection', 'close');
    res.once('close', () => {
      responses.delete(res);
      if (stopping) setImmediate(() => server.closeIdleConnections());
    });
  });
  const stop = () =>
    (stopping ??= (async () => {
      log.info('shutting down: finishing in-flight requests');
      for (const res of responses) if (!res.headersSent) res.setHeader('connection', 'close');
      // Stop accepting connections; close idle keep-alive sockets; in-flight requests run to completion.
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      clearInterval(calendarReload);
      await haven.apollo.stop();
      await reports.close();
      await db.destroy();
      if (embedded) await embedded.stop();
      log.info('stopped');
    })());

  return { url: `http://127.0.0.1:${port}`, db, haven, stop };
}

/** A first run on the embedded (development) database gets the small demo council, so tokens work at once. */
async function seedIfEmpty(db: DataSource, log: ReturnType<typeof createLogger>) {
  const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM account`);
  if (n > 0) return;
  const report = await seedDemoCouncil(db, 'small');
  log.info({ seconds: report.seconds, accounts: report.demoAccounts.map((a) => a.email) }, 'embedded database was empty: small demo council seeded');
}

import { DataSource, Logger as TypeOrmLogger } from 'typeorm';
import { SnakeNamingStrategy } from './naming';
import { entities } from './entities';
import { migrations } from '../../../migrations';
// Registers the pg type parsers (dates as 'YYYY-MM-DD' strings) for every connection, whoever creates it.
import './sql';

/** Counts every SQL statement TypeORM sends (tests assert N+1 freedom with it; the benchmark reports it). */
export const statementCounter = { count: 0 };

class CountingLogger implements TypeOrmLogger {
  logQuery() {
    statementCounter.count += 1;
  }
  logQueryError() {}
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration() {}
  log() {}
}

export interface DataSourceOptions {
  url: string;
  poolMax?: number;
  /** How long a query waits for a pooled connection (or for a new one to connect) before failing; see config.ts. */
  poolAcquireTimeoutMs?: number;
  statementTimeoutMs?: number;
  applicationName?: string;
}

/** The pool acquire timeout when none is configured (DB_POOL_ACQUIRE_TIMEOUT_MS; the reasoning is in config.ts). */
export const DEFAULT_POOL_ACQUIRE_TIMEOUT_MS = 2000;

export function createDataSource(opts: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: opts.url,
    entities,
    migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    uuidExtension: 'pgcrypto',
    logger: new CountingLogger(),
    logging: ['query'],
    extra: {
      max: opts.poolMax ?? 10,
      // Fail fast when every connection is busy or the server does not answer: the request gets 503 SERVICE_UNAVAILABLE
      // (see unavailable.ts) instead of queueing behind slow queries. A timed-out wait never held a connection, so
      // it cannot leave a transaction open.
      connectionTimeoutMillis: opts.poolAcquireTimeoutMs ?? DEFAULT_POOL_ACQUIRE_TIMEOUT_MS,
      statement_timeout: opts.statementTimeoutMs ?? 15000,
      application_name: opts.applicationName ?? 'haven',
      // Short OLTP statements: JIT compilation cost more than it saved (50 ms on a 1 ms caseload query, measured).
      options: '-c jit=off',
    },
  });
}

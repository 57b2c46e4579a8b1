import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import { createDataSource } from '../../shared/db/data-source';
import { safeError } from '../../shared/logger';
import { serviceUnavailable } from '../../shared/errors';
import { isDatabaseUnavailable } from '../../shared/db/unavailable';

/** The read replica's pool, when DATABASE_REPLICA_URL is set (not connected yet: see ReportingDb.connect). */
export function replicaDataSource(config: Config): DataSource | undefined {
  if (!config.databaseReplicaUrl) return undefined;
  return createDataSource({
    url: config.databaseReplicaUrl,
    poolMax: config.replicaPoolMax,
    poolAcquireTimeoutMs: config.poolAcquireTimeoutMs,
    statementTimeoutMs: config.statementTimeoutMs,
    // Tells the replica's sessions apart in pg_stat_activity.
    applicationName: 'haven-replica',
  });
}

/**
 * Where the heavy reporting reads run (the performance dashboard and its drill-downs, the CIN census, Annex A): the
 * read replica when one is configured, otherwise the primary. Audit rows are never written here: the services write
 * them on the primary and commit them before they read (no audit, no data).
 *
 * A replica that cannot be reached is not replaced by the primary: reporting fails fast (503 SERVICE_UNAVAILABLE,
 * retryable) and casework carries on; /readyz stays 200 and reports `replica: unavailable`. Moving the reporting scans
 * onto the primary while the replica is away would load casework during an incident, and a readiness failure would
 * take every instance (all sharing the replica) out of the load balancer at once. README "Read replica for reporting".
 */
export class ReportingDb {
  private connecting?: Promise<void>;
  /** Whether the last attempt to connect failed (logged once per outage, not on every report or /readyz probe). */
  private down = false;

  constructor(
    readonly primary: DataSource,
    private readonly replica?: DataSource,
    private readonly log?: Logger,
  ) {}

  /** True when reports are read from a replica (another database than the one audit rows are written to). */
  get usesReplica(): boolean {
    return !!this.replica;
  }

  /**
   * Connects the replica's pool (at start, and again on the next read after a failure). A replica that is down at
   * start does not stop the server: the error is logged here and thrown to the reading request only.
   */
  connect(): Promise<void> {
    const replica = this.replica;
    if (!replica || replica.isInitialized) return Promise.resolve();
    this.connecting ??= replica.initialize().then(
      () => {
        this.connecting = undefined;
        this.down = false;
        this.log?.info('read replica connected: reporting reads go to it');
      },
      (err) => {
        this.connecting = undefined;
        if (!this.down) this.log?.warn({ err: safeError(err) }, 'read replica unavailable: reporting answers 503 until it returns');
        this.down = true;
        throw err;
      },
    );
    return this.connecting;
  }

  /** The database reports are read from, connected; a replica that cannot be reached is SERVICE_UNAVAILABLE (503). */
  async reader(): Promise<DataSource> {
    if (!this.replica) return this.primary;
    await this.connect().catch((err) => {
      // Typed here (503, retryable); the connection error stays as its cause, for the log and isDatabaseUnavailable.
      throw isDatabaseUnavailable(err) ? Object.assign(serviceUnavailable(), { cause: err }) : err;
    });
    return this.replica;
  }

  /** For /readyz: undefined without a replica, else whether it answers within `timeoutMs`. */
  async replicaStatus(timeoutMs = 2000): Promise<'ok' | 'unavailable' | undefined> {
    if (!this.replica) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
    });
    try {
      await Promise.race([this.reader().then((db) => db.query('SELECT 1')), timeout]);
      return 'ok';
    } catch {
      return 'unavailable';
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the replica's pool (the primary belongs to the server). */
  async close(): Promise<void> {
    await this.connecting?.catch(() => undefined);
    if (this.replica?.isInitialized) await this.replica.destroy();
  }
}

import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { statementCounter } from './data-source';
import { isDatabaseUnavailable } from './unavailable';

/** Statement name per SQL text (texts come from code: a loader's SQL per scope variant, so the set is small and fixed). */
const names = new Map<string, string>();
let named = 0;

/**
 * PostgreSQL refuses a prepared `SELECT x.*` once a migration (another instance's, during a rolling deploy) has added
 * a column to x: "cached plan must not change result type". The text is then prepared afresh under a new name.
 */
const stalePlan = (err: unknown) =>
  (err as { code?: string }).code === '0A000' && /cached plan must not change result type/.test(String((err as Error).message));

/**
 * A hot read as a NAMED prepared statement on the data source's own pg pool (same connections, settings and type
 * parsers as TypeORM's queries). TypeORM sends unnamed statements, which PostgreSQL plans on every call: for the
 * caseload and the dashboard, planning cost as much as executing (PERFORMANCE.md lesson 3; bench/load.ts). Each
 * connection prepares a text once; the values are always parameters. Counted in `statementCounter` like TypeORM's.
 * Reads only: outside a transaction, like the loaders that use it.
 */
export async function preparedQuery<T = Record<string, unknown>>(db: DataSource, text: string, values: unknown[]): Promise<T[]> {
  const pool = (db.driver as unknown as { master: Pool }).master;
  // A checked-out client, not pool.query: pg-pool discards the connection after ANY error of pool.query, so a
  // statement timeout or a bad value would cost a reconnect. Here only a connection that is gone is discarded.
  const client = await pool.connect();
  let broken: Error | undefined;
  const run = () => {
    let name = names.get(text);
    if (name === undefined) {
      name = `haven_${++named}`;
      names.set(text, name);
    }
    statementCounter.count += 1;
    return client.query({ name, text, values });
  };
  try {
    try {
      return (await run()).rows as T[];
    } catch (err) {
      if (!stalePlan(err)) throw err;
      names.delete(text);
      return (await run()).rows as T[];
    }
  } catch (err) {
    if (isDatabaseUnavailable(err)) broken = err as Error;
    throw err;
  } finally {
    client.release(broken);
  }
}

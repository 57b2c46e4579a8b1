import type { EntityManager } from 'typeorm';
import { camelRow, Params } from './sql';
import { staleVersion } from '../errors';

type Runner = Pick<EntityManager, 'query'>;

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const IDENT = /^[a-z_][a-z0-9_]*$/;

/**
 * Optimistic concurrency, checked by the UPDATE itself: `WHERE id = $1 AND version = $2`, expecting exactly one row.
 * A concurrent writer with the same expected version waits for the row lock, then finds the version moved on and
 * gets STALE_VERSION; nothing is overwritten silently. `patch` keys are camelCase column names (never client input).
 */
export async function updateVersioned<T>(
  db: Runner,
  table: string,
  id: string,
  expectedVersion: number,
  patch: Record<string, unknown>,
  actorId: string,
): Promise<T> {
  const p = new Params();
  const sets = Object.entries(patch)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      const col = snake(k);
      if (!IDENT.test(col)) throw new Error(`bad column ${k}`);
      return `${col} = ${p.add(v)}`;
    });
  if (!IDENT.test(table)) throw new Error(`bad table ${table}`);
  sets.push(`version = version + 1`, `updated_at = now()`, `updated_by_id = ${p.add(actorId)}`);
  const rows = await db.query(
    `UPDATE ${table} SET ${sets.join(', ')} WHERE id = ${p.add(id)} AND version = ${p.add(expectedVersion)} RETURNING *`,
    p.values,
  );
  // TypeORM returns [rows, affected] for UPDATE ... RETURNING on postgres.
  const returned = (Array.isArray(rows[0]) ? rows[0] : rows) as Record<string, unknown>[];
  if (returned.length !== 1) throw staleVersion();
  return camelRow<T>(returned[0]);
}

/** PostgreSQL unique violation on a named constraint or index. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = e.driverError?.code ?? e.code;
  const name = e.driverError?.constraint ?? e.constraint;
  return code === '23505' && (!constraint || name === constraint);
}

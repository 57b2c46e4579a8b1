import { types } from 'pg';

// Statutory dates are calendar dates: keep PostgreSQL `date` values as 'YYYY-MM-DD' strings, never local-midnight Dates.
types.setTypeParser(1082, (v: string) => v);
// bigint counts fit comfortably in a JS number for Haven's volumes.
types.setTypeParser(20, (v: string) => Number(v));

/** Positional parameters for hand-written SQL: `p.add(value)` returns `$n`. Nothing is ever spliced into SQL. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const camelCache = new Map<string, string>();
function camel(key: string): string {
  let c = camelCache.get(key);
  if (c === undefined) {
    c = key.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
    camelCache.set(key, c);
  }
  return c;
}

/** snake_case row keys to camelCase, so a raw row reads like its entity. */
export function camelRow<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(row)) out[camel(key)] = row[key];
  return out as T;
}

export const camelRows = <T>(rows: Record<string, unknown>[]): T[] => rows.map((r) => camelRow<T>(r));

/** Group rows by a key, in the order of `keys` (DataLoader's contract: one result per key). */
export function groupInOrder<T, K>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const map = new Map<K, T[]>();
  for (const row of rows) {
    const k = keyOf(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return keys.map((k) => map.get(k) ?? []);
}

export function oneInOrder<T, K>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): (T | null)[] {
  const map = new Map<K, T>();
  for (const row of rows) map.set(keyOf(row), row);
  return keys.map((k) => map.get(k) ?? null);
}

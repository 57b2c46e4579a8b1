import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../modules/identity/actor';
import { DomainError, ErrorCode } from '../errors';

/** What an idempotent submission returns: the record, and whether this was a retry answered from the first result. */
export interface Idempotent<T> {
  value: T;
  replayed: boolean;
}

/** Provider staff share their organisation's keys (its system may retry what a person sent); council staff their own. */
export function idempotencyScope(actor: Actor): string {
  return actor.providerId ? `provider:${actor.providerId}` : `account:${actor.id}`;
}

/** JSON with object keys sorted, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/**
 * Runs `write` once per (scope, key) inside the caller's transaction. The key row is inserted first, so a concurrent
 * retry with the same key waits on it; when the first commits, the retry finds it and gets the first result back
 * (`load(resultId)`), writing nothing; if the first rolls back, the retry runs. The same key with other content (or
 * another operation) is refused with IDEMPOTENCY_KEY_REUSED. `content` is the submission without its key.
 */
export async function idempotent<T extends { id: string }>(
  tx: EntityManager,
  actor: Actor,
  key: string,
  operation: string,
  content: unknown,
  write: () => Promise<T>,
  load: (id: string) => Promise<T>,
): Promise<Idempotent<T>> {
  const scope = idempotencyScope(actor);
  const hash = createHash('sha256').update(canonicalJson(content)).digest('hex');
  const inserted = await tx.query(
    `INSERT INTO idempotency_key (scope, key, operation, request_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
    [scope, key, operation, hash],
  );
  if (!inserted.length) {
    const [first] = await tx.query(`SELECT operation, request_hash, result_id FROM idempotency_key WHERE scope = $1 AND key = $2`, [
      scope, key,
    ]);
    if (!first || first.operation !== operation || first.request_hash !== hash || !first.result_id) {
      throw new DomainError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'This idempotency key was already used for a different submission', {
        fields: [{ field: 'idempotencyKey', message: 'was already used for a different submission' }],
      });
    }
    return { value: await load(first.result_id), replayed: true };
  }
  const value = await write();
  await tx.query(`UPDATE idempotency_key SET result_id = $3 WHERE scope = $1 AND key = $2`, [scope, key, value.id]);
  return { value, replayed: false };
}

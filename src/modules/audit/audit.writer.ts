import type { EntityManager } from 'typeorm';
import type { Actor } from '../identity/actor';
import { AuditResult } from './audit.entity';

export interface AuditEvent {
  /** area.pastTense, e.g. `child.updated`. */
  action: string;
  entity: string;
  entityId?: string | null;
  childId?: string | null;
  fields?: string[];
  result?: AuditResult;
  reason?: string | null;
  breakGlass?: boolean;
}

type Runner = Pick<EntityManager, 'query'>;

/**
 * Writes audit rows. Changes: call inside the mutation's transaction (same `tx`), so no change exists without its row.
 * Reads: call before the data is returned, and let a failure fail the read (no audit, no data).
 */
export class AuditWriter {
  async record(db: Runner, actor: Actor | null, event: AuditEvent): Promise<void> {
    await this.recordMany(db, actor, [event]);
  }

  async recordMany(db: Runner, actor: Actor | null, events: AuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    await db.query(
      `INSERT INTO audit_entry (actor_id, actor_roles, organisation_id, action, entity, entity_id, child_id, fields, result,
                                break_glass, reason, request_id)
       SELECT $1, $2::text[], $3, e.action, e.entity, e.entity_id, e.child_id, e.fields, e.result, e.break_glass, e.reason, $4
       FROM jsonb_to_recordset($5::jsonb) AS e(action text, entity text, entity_id uuid, child_id uuid, fields text[],
                                              result text, break_glass boolean, reason text)`,
      [
        actor?.id ?? null,
        actor?.roles ?? [],
        actor?.teamId ?? actor?.providerId ?? null,
        actor?.requestId ?? null,
        JSON.stringify(
          events.map((e) => ({
            action: e.action,
            entity: e.entity,
            entity_id: e.entityId ?? null,
            child_id: e.childId ?? null,
            fields: e.fields ?? [],
            result: e.result ?? AuditResult.ALLOWED,
            break_glass: e.breakGlass ?? false,
            reason: e.reason ?? null,
          })),
        ),
      ],
    );
  }
}

/** Names of the fields whose values differ (audit rows carry names, never values). */
export function changedFields<T extends object>(before: T, patch: Partial<T>): string[] {
  return Object.keys(patch).filter((k) => {
    const a = (before as Record<string, unknown>)[k];
    const b = (patch as Record<string, unknown>)[k];
    return b !== undefined && JSON.stringify(a) !== JSON.stringify(b);
  });
}

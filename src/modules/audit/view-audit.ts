import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import { childFullScope } from '../child/child.scope';
import { Params } from '../../shared/db/sql';

/**
 * Per-request gate for reads of children's records: before any loader returns data about a child, a `child.viewed`
 * row for this request exists (one per child per request, however many relations are read), and loaders read only
 * the children whose row was written. No audit, no data.
 */
export class ViewAudit {
  private readonly audited = new Map<string, Promise<boolean>>();

  constructor(
    private readonly db: DataSource,
    private readonly actor: Actor | null,
  ) {}

  /** The ids among `childIds` whose view is audited (those the actor may read), writing rows for new ones. */
  async ensure(childIds: readonly string[]): Promise<string[]> {
    if (!this.actor) return [];
    const fresh = [...new Set(childIds)].filter((id) => !this.audited.has(id));
    if (fresh.length) {
      const written = this.write(this.actor, fresh);
      for (const id of fresh) this.audited.set(id, written.then((ok) => ok.has(id)));
    }
    const flags = await Promise.all(childIds.map((id) => this.audited.get(id) as Promise<boolean>));
    return childIds.filter((_, i) => flags[i]);
  }

  private async write(actor: Actor, ids: string[]): Promise<Set<string>> {
    const p = new Params();
    const me = p.add(actor.id);
    const rows: { child_id: string }[] = await this.db.query(
      `INSERT INTO audit_entry (actor_id, actor_roles, organisation_id, action, entity, entity_id, child_id, break_glass, request_id)
       SELECT ${me}::uuid, ${p.add(actor.roles)}::text[], ${p.add(actor.teamId ?? actor.providerId)}::uuid, 'child.viewed', 'child',
              c.id, c.id,
              c.restricted AND NOT EXISTS (SELECT 1 FROM restriction_grant g WHERE g.child_id = c.id AND g.account_id = ${me}),
              ${p.add(actor.requestId)}
       FROM child c WHERE c.id = ANY(${p.add(ids)}::uuid[]) AND ${childFullScope(actor, p, 'c')}
       RETURNING child_id`,
      p.values,
    );
    return new Set(rows.map((r) => r.child_id));
  }
}

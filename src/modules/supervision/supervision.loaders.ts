import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { ViewAudit } from '../audit/view-audit';
import { childFullScope } from '../child/child.scope';
import { camelRows, groupInOrder, Params } from '../../shared/db/sql';
import type { ManagementDecision } from './supervision.entity';
import type { SupervisionEntryType } from './supervision.types';

/**
 * `supervisionEntriesByChildId` (the case parts of supervision sessions) and `managementDecisionsByChildId`, newest
 * first: one scoped statement per batch, after the children's views are audited.
 */
export function supervisionLoaders(db: DataSource, actor: Actor | null, views: ViewAudit) {
  async function scoped<T extends { childId: string }>(childIds: readonly string[], sql: (ids: string, scope: string) => string) {
    const audited = await views.ensure(childIds);
    if (!actor || !audited.length) return childIds.map(() => [] as T[]);
    const p = new Params();
    const ids = p.add(audited);
    const rows = await db.query(sql(ids, childFullScope(actor, p, 'c')), p.values);
    return groupInOrder(childIds, camelRows<T>(rows), (r) => r.childId);
  }

  return {
    supervisionEntriesByChildId: new DataLoader<string, SupervisionEntryType[]>((childIds) =>
      scoped<SupervisionEntryType>(
        childIds,
        (ids, scope) => `SELECT sc.*, s.held_on, s.supervisor_id, s.supervisee_id
           FROM supervision_case sc JOIN supervision s ON s.id = sc.supervision_id JOIN child c ON c.id = sc.child_id
           WHERE sc.child_id = ANY(${ids}::uuid[]) AND ${scope}
           ORDER BY s.held_on DESC, sc.created_at DESC, sc.id`,
      ),
    ),
    managementDecisionsByChildId: new DataLoader<string, ManagementDecision[]>((childIds) =>
      scoped<ManagementDecision>(
        childIds,
        (ids, scope) => `SELECT md.* FROM management_decision md JOIN child c ON c.id = md.child_id
           WHERE md.child_id = ANY(${ids}::uuid[]) AND ${scope}
           ORDER BY md.decided_on DESC, md.created_at DESC, md.id`,
      ),
    ),
  };
}

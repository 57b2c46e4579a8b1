import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { ViewAudit } from '../audit/view-audit';
import { childFullScope } from '../child/child.scope';
import { camelRows, groupInOrder, Params } from '../../shared/db/sql';
import type { Episode } from './episode.entity';

/** `episodesByChildId`: newest first, one scoped statement per batch, read only after the children's views are audited. */
export function episodeLoaders(db: DataSource, actor: Actor | null, views: ViewAudit) {
  return {
    episodesByChildId: new DataLoader<string, Episode[]>(async (childIds) => {
      const audited = await views.ensure(childIds);
      if (!actor || !audited.length) return childIds.map(() => []);
      const p = new Params();
      const rows = await db.query(
        `SELECT e.* FROM episode e JOIN child c ON c.id = e.child_id
         WHERE e.child_id = ANY(${p.add(audited)}::uuid[]) AND ${childFullScope(actor, p, 'c')}
         ORDER BY e.start_date DESC, e.created_at DESC, e.id`,
        p.values,
      );
      return groupInOrder(childIds, camelRows<Episode>(rows), (e) => e.childId);
    }),
  };
}

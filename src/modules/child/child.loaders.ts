import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import { camelRows, oneInOrder, Params } from '../../shared/db/sql';
import { childFullScope } from './child.scope';
import { auditedRead } from '../audit/audited-read';
import type { Child } from './child.entity';

export type ChildRow = Child & { viaBreakGlass: boolean };

/**
 * `childById`: the full record, scoped in SQL and audited in the same statement. The rows come back only from the CTE
 * that inserted their audit rows, so a view without its audit row cannot happen (no audit, no data).
 */
export function childLoaders(db: DataSource, actor: Actor | null) {
  return {
    childById: new DataLoader<string, ChildRow | null>(async (ids) => {
      if (!actor) return ids.map(() => null);
      const p = new Params();
      const idsParam = p.add(ids);
      const scope = childFullScope(actor, p, 'c');
      const me = p.add(actor.id);
      const visible = `SELECT c.*, (c.restricted AND NOT EXISTS (
                         SELECT 1 FROM restriction_grant g WHERE g.child_id = c.id AND g.account_id = ${me})) AS via_break_glass
                       FROM child c WHERE c.id = ANY(${idsParam}::uuid[]) AND ${scope}`;
      const sql = auditedRead(actor, p, visible, 'child.viewed', 'child', 'v.id', 'v.via_break_glass');
      const rows = camelRows<ChildRow>(await db.query(sql, p.values));
      return oneInOrder(ids, rows, (r) => r.id);
    }),
  };
}

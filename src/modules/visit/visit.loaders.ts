import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { ViewAudit } from '../audit/view-audit';
import { childFullScope } from '../child/child.scope';
import { childRecordsLoader, firstChildRecordLoader } from '../child/child-records.loader';
import { camelRows, oneInOrder, Params } from '../../shared/db/sql';
import type { Visit } from './visit.entity';
import { ACTIVE_PLAN_ORDER, VisitClockRow } from './visit.rules';
import { preparedQuery } from '../../shared/db/prepared';

/**
 * `visitsByChildId` (newest first), `latestVisitByChildId` and `visitClockByChildId` (active plan, its visiting frequency and the last time the
 * child was seen): one scoped statement per batch, after the children's views are audited.
 */
export function visitLoaders(db: DataSource, actor: Actor | null, views: ViewAudit) {
  return {
    visitsByChildId: childRecordsLoader<Visit>(db, actor, views, 'visit', 'x.visited_on DESC, x.created_at DESC, x.id'),
    /** The first of visitsByChildId, without reading the others. */
    latestVisitByChildId: firstChildRecordLoader<Visit>(db, actor, views, 'visit', 'TRUE', 'x.visited_on DESC, x.created_at DESC, x.id'),

    visitClockByChildId: new DataLoader<string, VisitClockRow | null>(async (childIds) => {
      const audited = await views.ensure(childIds);
      if (!actor || !audited.length) return childIds.map(() => null);
      const p = new Params();
      const rows = await preparedQuery(
        db,
        `SELECT c.id AS child_id, ap.type AS plan_type, ap.start_date AS plan_start,
                st.visit_every_working_days AS every_working_days, seen.last_seen_on
         FROM child c
         LEFT JOIN LATERAL (SELECT pl.type, pl.start_date FROM plan pl WHERE pl.child_id = c.id AND pl.status = 'ACTIVE'
                            ORDER BY ${ACTIVE_PLAN_ORDER('pl')}, pl.start_date DESC, pl.id LIMIT 1) ap ON true
         LEFT JOIN plan_type_setting st ON st.plan_type = ap.type
         LEFT JOIN LATERAL (SELECT max(v.visited_on) AS last_seen_on FROM visit v WHERE v.child_id = c.id AND v.seen) seen ON true
         WHERE c.id = ANY(${p.add(audited)}::uuid[]) AND ${childFullScope(actor, p, 'c')}`,
        p.values,
      );
      return oneInOrder(childIds, camelRows<VisitClockRow>(rows), (r) => r.childId);
    }),
  };
}

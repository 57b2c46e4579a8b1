import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { ViewAudit } from '../audit/view-audit';
import { camelRows, groupInOrder, Params } from '../../shared/db/sql';
import { childFullScope } from '../child/child.scope';
import type { DueKind } from './caseload.types';
import { dueFilter } from './caseload.service';
import { preparedQuery } from '../../shared/db/prepared';

export interface DueRow {
  childId: string;
  kind: DueKind;
  recordId: string;
  dueOn: string;
}

/**
 * Everything due on a batch of children (for provider staff, early help items only): one statement over the
 * case_due_item view, after the views are audited.
 */
export function caseloadLoaders(db: DataSource, actor: Actor | null, views: ViewAudit) {
  return {
    dueByChildId: new DataLoader<string, DueRow[]>(async (childIds) => {
      const audited = await views.ensure(childIds);
      if (!actor || !audited.length) return childIds.map(() => []);
      const p = new Params();
      const rows = await preparedQuery(
        db,
        `SELECT i.child_id, i.kind, i.record_id, i.due_on FROM case_due_item i JOIN child c ON c.id = i.child_id
         WHERE i.child_id = ANY(${p.add(audited)}::uuid[]) AND ${childFullScope(actor, p, 'c')} ${dueFilter(actor, p)}
         ORDER BY i.due_on, i.kind, i.record_id`,
        p.values,
      );
      return groupInOrder(childIds, camelRows<DueRow>(rows), (r) => r.childId);
    }),
  };
}

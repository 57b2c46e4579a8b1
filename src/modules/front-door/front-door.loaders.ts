import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import { childFullScope } from '../child/child.scope';
import { childRecordsLoader } from '../child/child-records.loader';
import { auditedRead } from '../audit/audited-read';
import type { ViewAudit } from '../audit/view-audit';
import { camelRows, oneInOrder, Params } from '../../shared/db/sql';
import type { Allocation, Contact, Referral } from './front-door.entity';

export function frontDoorLoaders(db: DataSource, actor: Actor | null, views: ViewAudit) {
  return {
    referralsByChildId: childRecordsLoader<Referral>(db, actor, views, 'referral', 'x.received_at DESC, x.id'),
    contactsByChildId: childRecordsLoader<Contact>(db, actor, views, 'contact', 'x.received_at DESC, x.id'),
    allocationsByChildId: childRecordsLoader<Allocation>(db, actor, views, 'allocation', 'x.started_at DESC, x.id'),
    /** A referral opened on its own: audited like the child's record it belongs to. */
    referralById: new DataLoader<string, Referral | null>(async (ids) => {
      if (!actor) return ids.map(() => null);
      const p = new Params();
      const visible = `SELECT r.* FROM referral r JOIN child c ON c.id = r.child_id
                       WHERE r.id = ANY(${p.add(ids)}::uuid[]) AND ${childFullScope(actor, p, 'c')}`;
      const rows = await db.query(auditedRead(actor, p, visible, 'referral.viewed', 'referral', 'v.child_id'), p.values);
      return oneInOrder(ids, camelRows<Referral>(rows), (r) => r.id);
    }),
  };
}

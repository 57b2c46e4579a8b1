import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import { childFullScope } from '../child/child.scope';
import { auditedRead } from '../audit/audited-read';
import type { ViewAudit } from '../audit/view-audit';
import { camelRows, groupInOrder, oneInOrder, Params } from '../../shared/db/sql';
import type { Allocation, Contact, Referral } from './front-door.entity';

/** One set-based, scoped statement per relation and batch (`= ANY($1::uuid[])`), after the children's views are audited. */
function scopedByChild<T extends { childId: string }>(
  db: DataSource, actor: Actor | null, views: ViewAudit, table: string, order: string,
) {
  return async (childIds: readonly string[]): Promise<T[]> => {
    const audited = await views.ensure(childIds);
    if (!actor || !audited.length) return [];
    const p = new Params();
    const ids = p.add(audited);
    const rows = await db.query(
      `SELECT x.* FROM ${table} x JOIN child c ON c.id = x.child_id
       WHERE x.child_id = ANY(${ids}::uuid[]) AND ${childFullScope(actor, p, 'c')} ORDER BY ${order}`,
      p.values,
    );
    return camelRows<T>(rows);
  };
}

export function frontDoorLoaders(db: DataSource, actor: Actor | null, views: ViewAudit) {
  const referrals = scopedByChild<Referral>(db, actor, views, 'referral', 'x.received_at DESC, x.id');
  const contacts = scopedByChild<Contact>(db, actor, views, 'contact', 'x.received_at DESC, x.id');
  const allocations = scopedByChild<Allocation>(db, actor, views, 'allocation', 'x.started_at DESC, x.id');
  return {
    referralsByChildId: new DataLoader<string, Referral[]>(async (ids) => groupInOrder(ids, await referrals(ids), (r) => r.childId)),
    contactsByChildId: new DataLoader<string, Contact[]>(async (ids) => groupInOrder(ids, await contacts(ids), (r) => r.childId)),
    allocationsByChildId: new DataLoader<string, Allocation[]>(async (ids) =>
      groupInOrder(ids, await allocations(ids), (r) => r.childId),
    ),
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

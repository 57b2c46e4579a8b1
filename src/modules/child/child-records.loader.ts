import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { ViewAudit } from '../audit/view-audit';
import { camelRows, groupInOrder, oneInOrder, Params } from '../../shared/db/sql';
import { childFullScope } from './child.scope';
import { preparedQuery } from '../../shared/db/prepared';

const TABLE = /^[a-z_][a-z0-9_]*$/;

/**
 * `<records>ByChildId`: a batch of children's rows of `table` (a table with `child_id`), in `order` (SQL over alias `x`),
 * one scoped statement per batch (`= ANY($1::uuid[])`), read only for the children whose view is audited (ViewAudit).
 * `order` and `table` are code, never client input.
 */
export function childRecordsLoader<T extends { childId: string }>(
  db: DataSource,
  actor: Actor | null,
  views: ViewAudit,
  table: string,
  order: string,
): DataLoader<string, T[]> {
  if (!TABLE.test(table)) throw new Error(`bad table ${table}`);
  return new DataLoader<string, T[]>(async (childIds) => {
    const audited = await views.ensure(childIds);
    if (!actor || !audited.length) return childIds.map(() => []);
    const p = new Params();
    const rows = await preparedQuery(
      db,
      `SELECT x.* FROM ${table} x JOIN child c ON c.id = x.child_id
       WHERE x.child_id = ANY(${p.add(audited)}::uuid[]) AND ${childFullScope(actor, p, 'c')} ORDER BY ${order}`,
      p.values,
    );
    return groupInOrder(childIds, camelRows<T>(rows), (r) => r.childId);
  });
}

/**
 * `<record>ByChildId` for one row per child: the first of a batch of children's rows of `table` matching `where`, in
 * `order` (both SQL over alias `x`), as one `DISTINCT ON (child_id)` statement per batch, never one per child; read only
 * for the children whose view is audited. `table`, `where` and `order` are code, never client input.
 */
export function firstChildRecordLoader<T extends { childId: string }>(
  db: DataSource,
  actor: Actor | null,
  views: ViewAudit,
  table: string,
  where: string,
  order: string,
): DataLoader<string, T | null> {
  if (!TABLE.test(table)) throw new Error(`bad table ${table}`);
  return new DataLoader<string, T | null>(async (childIds) => {
    const audited = await views.ensure(childIds);
    if (!actor || !audited.length) return childIds.map(() => null);
    const p = new Params();
    const rows = await preparedQuery(
      db,
      `SELECT DISTINCT ON (x.child_id) x.* FROM ${table} x JOIN child c ON c.id = x.child_id
       WHERE x.child_id = ANY(${p.add(audited)}::uuid[]) AND ${where} AND ${childFullScope(actor, p, 'c')} ORDER BY x.child_id, ${order}`,
      p.values,
    );
    return oneInOrder(childIds, camelRows<T>(rows), (r) => r.childId);
  });
}

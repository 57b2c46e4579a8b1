import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { ViewAudit } from '../audit/view-audit';
import { camelRows, oneInOrder, Params } from '../../shared/db/sql';
import { childFullScope } from './child.scope';
import type { Child } from './child.entity';
import { preparedQuery } from '../../shared/db/prepared';

/** `childById`: the full record, scoped in SQL, read only after its view is audited (ViewAudit). */
export function childLoaders(db: DataSource, actor: Actor | null, views: ViewAudit) {
  return {
    childById: new DataLoader<string, Child | null>(async (ids) => {
      const audited = await views.ensure(ids);
      if (!actor || !audited.length) return ids.map(() => null);
      const p = new Params();
      const rows = await preparedQuery(
        db,
        `SELECT c.* FROM child c WHERE c.id = ANY(${p.add(audited)}::uuid[]) AND ${childFullScope(actor, p, 'c')}`,
        p.values,
      );
      return oneInOrder(ids, camelRows<Child>(rows), (r) => r.id);
    }),
  };
}

import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import { CaseScope } from '../identity/permissions';
import { AuditWriter } from '../audit/audit.writer';
import { AuditResult } from '../audit/audit.entity';
import { childFullScope } from '../child/child.scope';
import type { Allocation } from '../front-door/front-door.entity';
import { camelRows, Params } from '../../shared/db/sql';
import { forbidden } from '../../shared/errors';
import { decodeCursor, Page, pagedSql, toPage } from '../../shared/graphql/pagination';
import type { CaseloadItemType } from './caseload.types';

const NO_DUE = '9999-12-31';

/** Caseloads: the children a worker or team holds, most urgent first, by everything due on them (view case_due_item). */
export class CaseloadService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditWriter,
  ) {}

  async caseload(
    actor: Actor,
    holder: { workerId: string } | { teamId: string },
    first: number,
    after?: string,
  ): Promise<Page<CaseloadItemType>> {
    if ('teamId' in holder && actor.scope !== CaseScope.SERVICE && holder.teamId !== actor.teamId) {
      await this.audit.record(this.db, actor, {
        action: 'caseload.viewed', entity: 'team', entityId: holder.teamId, result: AuditResult.DENIED,
      });
      throw forbidden();
    }
    const p = new Params();
    const holderSql = 'workerId' in holder ? `a.worker_id = ${p.add(holder.workerId)}` : `a.team_id = ${p.add(holder.teamId)}`;
    const cursor = decodeCursor(after, ['date', 'uuid']);
    const matches = `
      SELECT a.id, a.child_id, a.team_id, a.worker_id, a.started_at, a.ended_at, a.reason, a.version, d.next_due_on,
             coalesce(d.next_due_on, '${NO_DUE}'::date) AS sort_due
      FROM allocation a
      JOIN child c ON c.id = a.child_id
      LEFT JOIN LATERAL (SELECT min(i.due_on) AS next_due_on FROM case_due_item i WHERE i.child_id = a.child_id) d ON true
      WHERE a.ended_at IS NULL AND ${holderSql} AND ${childFullScope(actor, p, 'c')}`;
    const afterSql = cursor ? `(sort_due, child_id) > (${p.add(cursor[0])}::date, ${p.add(cursor[1])}::uuid)` : null;
    const rows = await this.db.query(pagedSql(matches, 'sort_due, child_id', afterSql, p.add(first + 1)), p.values);
    type Row = Allocation & { nextDueOn: string | null; totalCount: number };
    return toPage(
      camelRows<Row>(rows),
      first,
      (r) => [r.nextDueOn ?? NO_DUE, r.childId],
      (r) => ({ childId: r.childId, allocation: r, nextDueOn: r.nextDueOn }),
    );
  }
}

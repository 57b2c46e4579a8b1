import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { ViewAudit } from '../audit/view-audit';
import { AuditWriter } from '../audit/audit.writer';
import { AuditResult } from '../audit/audit.entity';
import { camelRows, Params } from '../../shared/db/sql';
import { notFound } from '../../shared/errors';
import { decodeCursor, Page, pagedSql, toPage } from '../../shared/graphql/pagination';
import type { ChronologyEventType } from './chronology.types';

/**
 * The child's events across early help and statutory work, newest first: one statement over the child_event view
 * (one read path for every kind of event), keyset-paginated, after the child's view is audited.
 */
export class ChronologyService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditWriter,
  ) {}

  async page(actor: Actor, views: ViewAudit, childId: string, first: number, after?: string): Promise<Page<ChronologyEventType>> {
    const cursor = decodeCursor(after, ['timestamp', 'eventKey']);
    if (!(await views.ensure([childId])).length) {
      await this.audit.record(this.db, actor, {
        action: 'child.viewed', entity: 'child', entityId: childId, childId, result: AuditResult.DENIED, fields: ['chronology'],
      });
      throw notFound();
    }
    const p = new Params();
    // The cursor keeps the timestamp to the microsecond (a JS Date would round it to the millisecond).
    const matches = `SELECT e.kind || ':' || e.record_id AS id, e.occurred_at, e.kind, e.record_id, e.summary, e.actor_id,
                            to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
                     FROM child_event e WHERE e.child_id = ${p.add(childId)} AND e.occurred_at IS NOT NULL`;
    const afterSql = cursor ? `(occurred_at, id) < (${p.add(cursor[0])}::timestamptz, ${p.add(cursor[1])})` : null;
    const rows = await this.db.query(pagedSql(matches, 'occurred_at DESC, id DESC', afterSql, p.add(first + 1)), p.values);
    return toPage(
      camelRows<ChronologyEventType & { cursorAt: string; totalCount: number }>(rows),
      first,
      (r) => [r.cursorAt, r.id],
      (r) => r,
    );
  }
}

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
import { EARLY_HELP_DUE_KINDS } from './caseload.types';
import type { CaseloadItemType } from './caseload.types';
import { preparedQuery } from '../../shared/db/prepared';

const NO_DUE = '9999-12-31';

/**
 * Which due items count for the actor (SQL over case_due_item `i`): provider staff see only early help work, never
 * statutory items (referral decisions, assessments, conferences, visits) on the same children.
 */
export function dueFilter(actor: Actor, p: Params): string {
  return actor.providerId ? `AND i.kind = ANY(${p.add(EARLY_HELP_DUE_KINDS)}::text[])` : '';
}

/**
 * Caseloads: the children a worker or team holds, most urgent first, by everything due on them (view case_due_item). A
 * worker's own caseload also holds the children of the early help episodes they lead.
 */
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
    const cursor = decodeCursor(after, ['date', 'uuid']);
    const due = dueFilter(actor, p);
    let matches: string;
    if ('workerId' in holder) {
      // My allocations, merged with the children of the early help episodes I lead (council or provider staff).
      const me = p.add(holder.workerId);
      matches = `
        SELECT k.child_id, a.id, a.team_id, a.worker_id, a.started_at, a.ended_at, a.reason, a.version, eh.id AS early_help_episode_id,
               d.next_due_on, coalesce(d.next_due_on, '${NO_DUE}'::date) AS sort_due
        FROM (SELECT a.child_id FROM allocation a WHERE a.ended_at IS NULL AND a.worker_id = ${me}
              UNION
              SELECT ec.child_id FROM early_help_episode e JOIN early_help_child ec ON ec.episode_id = e.id
              WHERE e.status = 'IN_WORK' AND e.lead_practitioner_id = ${me}) k
        JOIN child c ON c.id = k.child_id
        LEFT JOIN allocation a ON a.child_id = k.child_id AND a.ended_at IS NULL AND a.worker_id = ${me}
        LEFT JOIN LATERAL (SELECT e.id FROM early_help_episode e JOIN early_help_child ec ON ec.episode_id = e.id
                           WHERE ec.child_id = k.child_id AND e.status = 'IN_WORK' AND e.lead_practitioner_id = ${me}
                           ORDER BY e.work_started_on, e.id LIMIT 1) eh ON true
        LEFT JOIN LATERAL (SELECT min(i.due_on) AS next_due_on FROM case_due_item i WHERE i.child_id = k.child_id ${due}) d ON true
        WHERE ${childFullScope(actor, p, 'c')}`;
    } else {
      matches = `
        SELECT a.child_id, a.id, a.team_id, a.worker_id, a.started_at, a.ended_at, a.reason, a.version, NULL::uuid AS early_help_episode_id,
               d.next_due_on, coalesce(d.next_due_on, '${NO_DUE}'::date) AS sort_due
        FROM allocation a
        JOIN child c ON c.id = a.child_id
        LEFT JOIN LATERAL (SELECT min(i.due_on) AS next_due_on FROM case_due_item i WHERE i.child_id = a.child_id ${due}) d ON true
        WHERE a.ended_at IS NULL AND a.team_id = ${p.add(holder.teamId)} AND ${childFullScope(actor, p, 'c')}`;
    }
    const afterSql = cursor ? `(sort_due, child_id) > (${p.add(cursor[0])}::date, ${p.add(cursor[1])}::uuid)` : null;
    const rows = await preparedQuery(this.db, pagedSql(matches, 'sort_due, child_id', afterSql, p.add(first + 1)), p.values);
    type Row = Allocation & { earlyHelpEpisodeId: string | null; nextDueOn: string | null; totalCount: number };
    return toPage(
      camelRows<Row>(rows),
      first,
      (r) => [r.nextDueOn ?? NO_DUE, r.childId],
      (r) => ({
        childId: r.childId,
        allocation: r.id ? r : null,
        earlyHelpEpisodeId: r.earlyHelpEpisodeId,
        nextDueOn: r.nextDueOn,
      }),
    );
  }
}

import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import { RoleCode } from '../identity/roles';
import { childFullScope } from '../child/child.scope';
import { camelRows, Params } from '../../shared/db/sql';
import { notFound } from '../../shared/errors';
import { decodeCursor, Page, pagedSql, toPage } from '../../shared/graphql/pagination';
import { AuditWriter } from './audit.writer';
import { AuditResult } from './audit.entity';
import type { AuditEntryType } from './audit.types';

/**
 * "Who viewed this child": for information governance (any child) and managers (children in their scope); it includes
 * views and changes of the child's households.
 */
export class AuditLogService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditWriter,
  ) {}

  async childAccessLog(actor: Actor, childId: string, first: number, after?: string): Promise<Page<AuditEntryType>> {
    // The key is an audit row id (bigint, as text), checked before anything is read or written.
    const cursor = decodeCursor(after, ['int']);
    const p = new Params();
    const scope = actor.roles.includes(RoleCode.INFORMATION_GOVERNANCE) ? 'TRUE' : childFullScope(actor, p, 'c');
    const exists = await this.db.query(`SELECT 1 FROM child c WHERE c.id = ${p.add(childId)} AND ${scope}`, p.values);
    if (!exists.length) {
      await this.audit.record(this.db, actor, {
        action: 'child.accessLogViewed', entity: 'child', entityId: childId, childId, result: AuditResult.DENIED,
      });
      throw notFound();
    }
    // Reading the log is itself an access to the child's record.
    await this.audit.record(this.db, actor, { action: 'child.accessLogViewed', entity: 'child', entityId: childId, childId });
    const q = new Params();
    // The child's own rows, and those about the households the child belongs to.
    const child = q.add(childId);
    const matches = `SELECT id, id::text AS key, at, actor_id, actor_roles, action, entity, entity_id, fields, result, break_glass, reason
                     FROM audit_entry WHERE child_id = ${child}
                     UNION
                     SELECT id, id::text, at, actor_id, actor_roles, action, entity, entity_id, fields, result, break_glass, reason
                     FROM audit_entry WHERE child_id IS NULL AND entity = 'family'
                       AND entity_id IN (SELECT family_id FROM family_member WHERE child_id = ${child})`;
    const afterSql = cursor ? `id < ${q.add(cursor[0])}::bigint` : null;
    const rows = await this.db.query(pagedSql(matches, 'id DESC', afterSql, q.add(first + 1)), q.values);
    return toPage(
      camelRows<AuditEntryType & { key: string; totalCount: number }>(rows),
      first,
      (r) => [r.key],
      (r) => ({ ...r, id: r.key }),
    );
  }
}

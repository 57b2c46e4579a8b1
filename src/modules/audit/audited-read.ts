import type { Actor } from '../identity/actor';
import type { Params } from '../../shared/db/sql';

/**
 * Wraps a scoped SELECT (aliased `v` downstream, with an `id` column) so that its rows are audited in the same
 * statement and come back only from the CTE that inserted their audit rows: no audit, no data.
 * `childIdSql` is an expression over `v` naming the child the record belongs to (or NULL); reading a restricted
 * child's record without being named on it (break-glass) is flagged.
 */
export function auditedRead(
  actor: Actor,
  p: Params,
  visibleSql: string,
  action: string,
  entity: string,
  childIdSql: string,
): string {
  const me = p.add(actor.id);
  const breakGlassSql = `EXISTS (SELECT 1 FROM child bx WHERE bx.id = ${childIdSql} AND bx.restricted
    AND NOT EXISTS (SELECT 1 FROM restriction_grant g WHERE g.child_id = bx.id AND g.account_id = ${me}))`;
  return `
    WITH visible AS (${visibleSql}),
    audited AS (
      INSERT INTO audit_entry (actor_id, actor_roles, organisation_id, action, entity, entity_id, child_id, break_glass, request_id)
      SELECT ${me}::uuid, ${p.add(actor.roles)}::text[], ${p.add(actor.teamId ?? actor.providerId)}::uuid,
             ${p.add(action)}, ${p.add(entity)}, v.id, ${childIdSql}, ${breakGlassSql}, ${p.add(actor.requestId)}
      FROM visible v
      RETURNING entity_id
    )
    SELECT v.* FROM visible v WHERE v.id IN (SELECT entity_id FROM audited)`;
}

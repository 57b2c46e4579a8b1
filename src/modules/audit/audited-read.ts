import type { Actor } from '../identity/actor';
import type { Params } from '../../shared/db/sql';

/**
 * Wraps a scoped SELECT (aliased `v` downstream, with an `id` column) so that its rows are audited in the same
 * statement and come back only from the CTE that inserted their audit rows: no audit, no data.
 * `childIdSql` and `breakGlassSql` are expressions over `v`.
 */
export function auditedRead(
  actor: Actor,
  p: Params,
  visibleSql: string,
  action: string,
  entity: string,
  childIdSql: string,
  breakGlassSql = 'false',
): string {
  return `
    WITH visible AS (${visibleSql}),
    audited AS (
      INSERT INTO audit_entry (actor_id, actor_roles, organisation_id, action, entity, entity_id, child_id, break_glass, request_id)
      SELECT ${p.add(actor.id)}::uuid, ${p.add(actor.roles)}::text[], ${p.add(actor.teamId ?? actor.providerId)}::uuid,
             ${p.add(action)}, ${p.add(entity)}, v.id, ${childIdSql}, ${breakGlassSql}, ${p.add(actor.requestId)}
      FROM visible v
      RETURNING entity_id
    )
    SELECT v.* FROM visible v WHERE v.id IN (SELECT entity_id FROM audited)`;
}

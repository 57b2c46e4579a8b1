import type { Actor } from '../identity/actor';
import { CaseScope } from '../identity/permissions';
import type { Params } from '../../shared/db/sql';

/**
 * Record-level scope, as SQL predicates over a `child` row aliased `c` (BRIEF.md access model). Every list, loader,
 * search and single lookup uses these, so a forbidden child never leaves the database.
 */

/** Named on a restricted child, or holding live break-glass access to it. */
function namedOrBrokeGlass(actor: Actor, p: Params, c: string): string {
  const me = p.add(actor.id);
  return `(EXISTS (SELECT 1 FROM restriction_grant g WHERE g.child_id = ${c}.id AND g.account_id = ${me})
        OR EXISTS (SELECT 1 FROM break_glass_access b WHERE b.child_id = ${c}.id AND b.account_id = ${me} AND b.expires_at > now()))`;
}

/** The actor may see and change the child's full record. */
export function childFullScope(actor: Actor, p: Params, c = 'c'): string {
  if (actor.scope === CaseScope.NONE) return 'FALSE';
  const restricted = `(${c}.restricted AND ${namedOrBrokeGlass(actor, p, c)})`;
  if (actor.scope === CaseScope.SERVICE) return `(NOT ${c}.restricted OR ${restricted})`;
  if (!actor.teamId) return restricted;
  const team = p.add(actor.teamId);
  let open = `EXISTS (SELECT 1 FROM allocation al WHERE al.child_id = ${c}.id AND al.ended_at IS NULL AND al.team_id = ${team})`;
  if (actor.scope === CaseScope.TEAM_AND_UNALLOCATED) {
    open = `(${open} OR NOT EXISTS (SELECT 1 FROM allocation al WHERE al.child_id = ${c}.id AND al.ended_at IS NULL))`;
  }
  return `((NOT ${c}.restricted AND ${open}) OR ${restricted})`;
}

/** The actor may find the child by search and see its identity summary (restricted children: named people only). */
export function childSearchScope(actor: Actor, p: Params, c = 'c'): string {
  if (!actor.permissions.has('child:search')) return 'FALSE';
  return `(NOT ${c}.restricted OR ${namedOrBrokeGlass(actor, p, c)})`;
}

/** A family is visible when it is not restricted (or the actor is named on it) and one of its children is in full scope. */
export function familyScope(actor: Actor, p: Params, f = 'f'): string {
  if (actor.scope === CaseScope.NONE) return 'FALSE';
  const me = p.add(actor.id);
  const notRestricted = `(NOT ${f}.restricted OR EXISTS (SELECT 1 FROM restriction_grant g WHERE g.family_id = ${f}.id AND g.account_id = ${me}))`;
  return `(${notRestricted} AND EXISTS (SELECT 1 FROM family_member fm JOIN child c2 ON c2.id = fm.child_id
            WHERE fm.family_id = ${f}.id AND ${childFullScope(actor, p, 'c2')}))`;
}

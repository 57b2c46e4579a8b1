import type { Actor } from '../identity/actor';
import { CaseScope } from '../identity/permissions';
import type { Params } from '../../shared/db/sql';

/**
 * Record-level scope, as SQL predicates over a `child` row aliased `c` (BRIEF.md access model). Every list, loader,
 * search and single lookup uses these, so a forbidden child never leaves the database.
 */

/** Reading or changing: break-glass opens a restricted record for reading only. */
export enum Access {
  READ = 'READ',
  WRITE = 'WRITE',
}

/** Named on a restricted child, or (for reading) holding live break-glass access to it. */
function namedOn(actor: Actor, p: Params, c: string, access: Access): string {
  const me = p.add(actor.id);
  const named = `EXISTS (SELECT 1 FROM restriction_grant g WHERE g.child_id = ${c}.id AND g.account_id = ${me})`;
  if (access === Access.WRITE) return named;
  return `(${named}
        OR EXISTS (SELECT 1 FROM break_glass_access b WHERE b.child_id = ${c}.id AND b.account_id = ${me} AND b.expires_at > now()))`;
}

/**
 * The actor's case scope as if no child were restricted: their team's children (and the front door's queue), the child
 * protection cohort (conference chairs), children in open early help and not in social care (council early help
 * practitioners), the families referred to the actor's provider (provider staff, whose fields are limited further by
 * their agreement), or all (service managers).
 */
export function childCaseScope(actor: Actor, p: Params, c = 'c'): string {
  if (actor.scope === CaseScope.NONE) return 'FALSE';
  if (actor.scope === CaseScope.SERVICE) return 'TRUE';
  if (actor.scope === CaseScope.CHILD_PROTECTION) {
    return `(EXISTS (SELECT 1 FROM section47 s WHERE s.child_id = ${c}.id AND s.status = 'OPEN')
          OR EXISTS (SELECT 1 FROM plan pl WHERE pl.child_id = ${c}.id AND pl.type = 'CHILD_PROTECTION' AND pl.status = 'ACTIVE'))`;
  }
  if (actor.scope === CaseScope.PROVIDER) {
    // Access ends when the referral closes: only OFFERED (awaiting the provider's decision) and ACCEPTED referrals.
    if (!actor.providerId) return 'FALSE';
    return `EXISTS (SELECT 1 FROM early_help_child ec JOIN early_help_referral er ON er.episode_id = ec.episode_id
              WHERE ec.child_id = ${c}.id AND er.provider_id = ${p.add(actor.providerId)} AND er.status IN ('OFFERED', 'ACCEPTED'))`;
  }
  // A child in open early help, unless social care holds it (an open episode of need): its record is then social care's.
  const inEarlyHelp = `(EXISTS (SELECT 1 FROM early_help_child ec JOIN early_help_episode ee ON ee.id = ec.episode_id
              WHERE ec.child_id = ${c}.id AND ee.status <> 'CLOSED')
            AND NOT EXISTS (SELECT 1 FROM episode se WHERE se.child_id = ${c}.id AND se.closure_date IS NULL))`;
  if (!actor.teamId) return actor.scope === CaseScope.EARLY_HELP ? inEarlyHelp : 'FALSE';
  const team = p.add(actor.teamId);
  const mine = `EXISTS (SELECT 1 FROM allocation al WHERE al.child_id = ${c}.id AND al.ended_at IS NULL AND al.team_id = ${team})`;
  if (actor.scope === CaseScope.EARLY_HELP) return `(${mine} OR ${inEarlyHelp})`;
  if (actor.scope !== CaseScope.TEAM_AND_UNALLOCATED) return mine;
  return `(${mine} OR NOT EXISTS (SELECT 1 FROM allocation al WHERE al.child_id = ${c}.id AND al.ended_at IS NULL))`;
}

/**
 * The actor may see (READ) or change (WRITE) the child's full record: an unrestricted child in their case scope, or a
 * restricted child they are named on (or, for reading, hold live break-glass access to).
 */
export function childFullScope(actor: Actor, p: Params, c = 'c', access: Access = Access.READ): string {
  if (actor.scope === CaseScope.NONE) return 'FALSE';
  return `((NOT ${c}.restricted AND ${childCaseScope(actor, p, c)}) OR (${c}.restricted AND ${namedOn(actor, p, c, access)}))`;
}

/** The actor may find the child by search and see its identity summary (restricted children: named people only). */
export function childSearchScope(actor: Actor, p: Params, c = 'c', access: Access = Access.READ): string {
  if (!actor.permissions.has('child:search')) return 'FALSE';
  return `(NOT ${c}.restricted OR ${namedOn(actor, p, c, access)})`;
}

/**
 * A family is visible (READ) or changeable (WRITE) when it is not restricted (or the actor is named on it) and one of
 * its children is in the actor's full scope for the same access. Provider staff see only the household an early help
 * episode referred to their organisation (OFFERED or ACCEPTED) is about, never another household of its children.
 */
export function familyScope(actor: Actor, p: Params, f = 'f', access: Access = Access.READ): string {
  if (actor.scope === CaseScope.NONE) return 'FALSE';
  if (actor.scope === CaseScope.PROVIDER && !actor.providerId) return 'FALSE';
  const me = p.add(actor.id);
  const notRestricted = `(NOT ${f}.restricted OR EXISTS (SELECT 1 FROM restriction_grant g WHERE g.family_id = ${f}.id AND g.account_id = ${me}))`;
  const referred = actor.scope === CaseScope.PROVIDER
    ? ` AND EXISTS (SELECT 1 FROM early_help_episode fe JOIN early_help_referral fr ON fr.episode_id = fe.id
                    WHERE fe.family_id = ${f}.id AND fr.provider_id = ${p.add(actor.providerId)} AND fr.status IN ('OFFERED', 'ACCEPTED'))`
    : '';
  return `(${notRestricted}${referred} AND EXISTS (SELECT 1 FROM family_member fm JOIN child c2 ON c2.id = fm.child_id
            WHERE fm.family_id = ${f}.id AND ${childFullScope(actor, p, 'c2', access)}))`;
}

import type { Actor } from '../identity/actor';
import type { Params } from '../../shared/db/sql';
import { childFullScope } from '../child/child.scope';
import { Access } from '../child/child.scope';

/**
 * Record-level scope of early help episodes, as a SQL predicate over an `early_help_episode` row aliased `e`:
 * - provider staff (`earlyhelp:shared`): episodes with an OFFERED or ACCEPTED referral to their organisation (access
 *   ends when the referral is declined or closed), never another provider's;
 * - `earlyhelp:all` (council early help practitioners and managers): every episode;
 * - `earlyhelp:read`: episodes of a child in the actor's full scope (e.g. a social worker after a step-up);
 * and in every case, an episode about a restricted child (or of a restricted family) only for people named on it.
 * WRITE uses the same reach; services check the status a change needs (e.g. a provider submits only once ACCEPTED).
 */
export function earlyHelpScope(actor: Actor, p: Params, e = 'e', access: Access = Access.READ): string {
  const perms = actor.permissions;
  const unrestricted = () => earlyHelpUnrestricted(actor, p, e);
  if (actor.providerId) {
    if (!perms.has('earlyhelp:shared')) return 'FALSE';
    return `(EXISTS (SELECT 1 FROM early_help_referral pr WHERE pr.episode_id = ${e}.id
                   AND pr.provider_id = ${p.add(actor.providerId)} AND pr.status IN ('OFFERED', 'ACCEPTED'))
             AND ${unrestricted()})`;
  }
  if (perms.has('earlyhelp:all')) return unrestricted();
  if (!perms.has('earlyhelp:read')) return 'FALSE';
  return `(EXISTS (SELECT 1 FROM early_help_child sc JOIN child scc ON scc.id = sc.child_id
                 WHERE sc.episode_id = ${e}.id AND ${childFullScope(actor, p, 'scc', access)})
           AND ${unrestricted()})`;
}

/**
 * No child of the episode (alias `e`) is restricted, nor its family, unless the actor is named on it. Part of every
 * early help scope; used alone where access rests on something else (a provider's retried closure, which ended its
 * referral).
 */
export function earlyHelpUnrestricted(actor: Actor, p: Params, e = 'e'): string {
  const id = p.add(actor.id);
  return `(NOT EXISTS (SELECT 1 FROM early_help_child rc JOIN child rcc ON rcc.id = rc.child_id
               WHERE rc.episode_id = ${e}.id AND rcc.restricted
                 AND NOT EXISTS (SELECT 1 FROM restriction_grant g WHERE g.child_id = rcc.id AND g.account_id = ${id}))
           AND NOT EXISTS (SELECT 1 FROM family rf WHERE rf.id = ${e}.family_id AND rf.restricted
                 AND NOT EXISTS (SELECT 1 FROM restriction_grant g WHERE g.family_id = rf.id AND g.account_id = ${id})))`;
}

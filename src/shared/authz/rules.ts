import { allow, rule } from 'graphql-shield';
import type { IRule } from 'graphql-shield';
import type { Ctx } from '../../context';
import type { Permission } from '../../modules/identity/permissions';
import { forbidden, unauthenticated } from '../errors';

/** A shield rule or logic rule (`allow`). */
export type AnyRule = IRule | typeof allow;

const cache = new Map<string, IRule>();

/**
 * `can(p)`: the actor's roles carry permission p. Reads only the actor, so the per-request `contextual` cache is
 * safe (STACK.md: never cache a rule that reads args or parent). A denial is audited.
 */
export function can(p: Permission): IRule {
  let r = cache.get(p);
  if (!r) {
    r = rule(`can:${p}`, { cache: 'contextual' })(async (_parent, _args, ctx: Ctx, info) => {
      if (!ctx.actor) return unauthenticated();
      if (ctx.actor.permissions.has(p)) return true;
      await ctx.recordDenial({ action: 'access.denied', entity: `${info.parentType.name}.${info.fieldName}` });
      return forbidden();
    });
    cache.set(p, r);
  }
  return r;
}

/** For fields of objects that only reach the client through an already-guarded, scoped parent (edges, page info). */
export const viaParent = allow;

/** Every listed field gets the same rule; fields not listed fall to `deny`. */
export function fields(r: AnyRule, names: string[]): Record<string, AnyRule> {
  return Object.fromEntries(names.map((n) => [n, r]));
}

/** Rules for a Relay connection and its edge type. */
export function connection(name: string): Record<string, Record<string, AnyRule>> {
  return {
    [`${name}Connection`]: fields(viaParent, ['edges', 'pageInfo', 'totalCount']),
    [`${name}Edge`]: fields(viaParent, ['cursor', 'node']),
  };
}

/** Any one of the permissions (e.g. a council read permission, or the provider's shared view). A denial is audited. */
export function canAny(...ps: Permission[]): IRule {
  const name = `canAny:${ps.join('|')}`;
  let r = cache.get(name);
  if (!r) {
    r = rule(name, { cache: 'contextual' })(async (_parent, _args, ctx: Ctx, info) => {
      if (!ctx.actor) return unauthenticated();
      if (ps.some((p) => ctx.actor!.permissions.has(p))) return true;
      await ctx.recordDenial({ action: 'access.denied', entity: `${info.parentType.name}.${info.fieldName}` });
      return forbidden();
    });
    cache.set(name, r);
  }
  return r;
}

/**
 * Permission p, or (provider staff) the field `Type.field` is in their data sharing agreement. Reads the field's
 * name, so it is not cached across fields. A denial is audited.
 */
export function canOrAgreed(p: Permission): IRule {
  const name = `canOrAgreed:${p}`;
  let r = cache.get(name);
  if (!r) {
    r = rule(name, { cache: 'no_cache' })(async (_parent, _args, ctx: Ctx, info) => {
      if (!ctx.actor) return unauthenticated();
      if (ctx.actor.permissions.has(p)) return true;
      if (ctx.actor.agreement?.visible.has(`${info.parentType.name}.${info.fieldName}`)) return true;
      await ctx.recordDenial({ action: 'access.denied', entity: `${info.parentType.name}.${info.fieldName}` });
      return forbidden();
    });
    cache.set(name, r);
  }
  return r;
}

/**
 * Permission p and, for provider staff, the mutation is one of the submissions their data sharing agreement allows.
 * A denial is audited.
 */
export function canSubmit(p: Permission): IRule {
  const name = `canSubmit:${p}`;
  let r = cache.get(name);
  if (!r) {
    r = rule(name, { cache: 'no_cache' })(async (_parent, _args, ctx: Ctx, info) => {
      if (!ctx.actor) return unauthenticated();
      const a = ctx.actor;
      if (a.permissions.has(p) && (!a.providerId || a.agreement?.submissions.has(info.fieldName))) return true;
      await ctx.recordDenial({ action: 'access.denied', entity: `${info.parentType.name}.${info.fieldName}` });
      return forbidden();
    });
    cache.set(name, r);
  }
  return r;
}

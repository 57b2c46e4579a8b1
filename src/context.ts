import type { Logger } from 'pino';
import type { Actor } from './modules/identity/actor';
import type { Loaders } from './loaders';
import type { AuditEvent } from './modules/audit/audit.writer';

/** Per-request context: the actor (null when anonymous), fresh loaders, the request id. */
export interface Ctx {
  actor: Actor | null;
  requestId: string;
  loaders: Loaders;
  log: Logger;
  /** Audits a refusal (outside any transaction, so it is kept): permission rules and lookups out of scope call it. */
  recordDenial(event: Omit<AuditEvent, 'result'>): Promise<void>;
}

/** For resolvers behind a shield rule that already required an actor. */
export function actorOf(ctx: Ctx): Actor {
  if (!ctx.actor) throw new Error('resolver reached without an actor: a permission rule is missing');
  return ctx.actor;
}

import type { DataSource } from 'typeorm';
import type { Actor } from './modules/identity/actor';
import { childLoaders } from './modules/child/child.loaders';
import { familyLoaders } from './modules/family/family.loaders';
import { frontDoorLoaders } from './modules/front-door/front-door.loaders';
import { identityLoaders } from './modules/identity/identity.loaders';
import { ViewAudit } from './modules/audit/view-audit';

/** Fresh per request, never at module scope: nothing is cached across requests or users. */
export function createLoaders(db: DataSource, actor: Actor | null) {
  const views = new ViewAudit(db, actor);
  return {
    ...childLoaders(db, actor, views),
    ...familyLoaders(db, actor, views),
    ...frontDoorLoaders(db, actor, views),
    ...identityLoaders(db),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

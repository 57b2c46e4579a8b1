import type { DataSource } from 'typeorm';
import type { Actor } from './modules/identity/actor';
import { childLoaders } from './modules/child/child.loaders';
import { familyLoaders } from './modules/family/family.loaders';
import { frontDoorLoaders } from './modules/front-door/front-door.loaders';
import { identityLoaders } from './modules/identity/identity.loaders';

/** Fresh per request, never at module scope: nothing is cached across requests or users. */
export function createLoaders(db: DataSource, actor: Actor | null) {
  return {
    ...childLoaders(db, actor),
    ...familyLoaders(db, actor),
    ...frontDoorLoaders(db, actor),
    ...identityLoaders(db),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

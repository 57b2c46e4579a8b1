import type { DataSource } from 'typeorm';
import type { Actor } from './modules/identity/actor';
import { childLoaders } from './modules/child/child.loaders';
import { familyLoaders } from './modules/family/family.loaders';
import { frontDoorLoaders } from './modules/front-door/front-door.loaders';
import { identityLoaders } from './modules/identity/identity.loaders';
import { ViewAudit } from './modules/audit/view-audit';
import { episodeLoaders } from './modules/episode/episode.loaders';
import { caseloadLoaders } from './modules/caseload/caseload.loaders';
import { assessmentLoaders } from './modules/assessment/assessment.loaders';
import { childProtectionLoaders } from './modules/child-protection/child-protection.loaders';
import { planLoaders } from './modules/plan/plan.loaders';
import { visitLoaders } from './modules/visit/visit.loaders';
import { supervisionLoaders } from './modules/supervision/supervision.loaders';
import { earlyHelpLoaders } from './modules/early-help/early-help.loaders';

/** Fresh per request, never at module scope: nothing is cached across requests or users. */
export function createLoaders(db: DataSource, actor: Actor | null) {
  const views = new ViewAudit(db, actor);
  return {
    /** The per-request view audit, for queries that read a child's record outside a loader (chronology). */
    views,
    ...childLoaders(db, actor, views),
    ...familyLoaders(db, actor, views),
    ...frontDoorLoaders(db, actor, views),
    ...identityLoaders(db),
    ...caseloadLoaders(db, actor, views),
    ...episodeLoaders(db, actor, views),
    ...assessmentLoaders(db, actor, views),
    ...childProtectionLoaders(db, actor, views),
    ...planLoaders(db, actor, views),
    ...visitLoaders(db, actor, views),
    ...supervisionLoaders(db, actor, views),
    ...earlyHelpLoaders(db, actor),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

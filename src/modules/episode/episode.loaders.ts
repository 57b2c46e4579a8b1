import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { ViewAudit } from '../audit/view-audit';
import { childRecordsLoader } from '../child/child-records.loader';
import type { Episode } from './episode.entity';

export function episodeLoaders(db: DataSource, actor: Actor | null, views: ViewAudit) {
  return {
    episodesByChildId: childRecordsLoader<Episode>(db, actor, views, 'episode', 'x.start_date DESC, x.created_at DESC, x.id'),
  };
}

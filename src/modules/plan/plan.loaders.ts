import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { ViewAudit } from '../audit/view-audit';

export function planLoaders(_db: DataSource, _actor: Actor | null, _views: ViewAudit) {
  return {};
}

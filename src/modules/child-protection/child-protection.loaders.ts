import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { ViewAudit } from '../audit/view-audit';
import { scopedByChild } from '../plan';
import type { ChildProtectionConference, Section47, StrategyDiscussion } from './child-protection.entity';

/** A child's strategy discussions, enquiries and conferences, newest first: one scoped statement per batch, after the view audit. */
export function childProtectionLoaders(db: DataSource, actor: Actor | null, views: ViewAudit) {
  return {
    strategyDiscussionsByChildId: new DataLoader<string, StrategyDiscussion[]>(
      scopedByChild<StrategyDiscussion>(db, actor, views, 'strategy_discussion', 'x.held_on DESC, x.created_at DESC, x.id'),
    ),
    section47sByChildId: new DataLoader<string, Section47[]>(
      scopedByChild<Section47>(db, actor, views, 'section47', 'x.start_date DESC, x.created_at DESC, x.id'),
    ),
    conferencesByChildId: new DataLoader<string, ChildProtectionConference[]>(
      scopedByChild<ChildProtectionConference>(db, actor, views, 'child_protection_conference', 'x.held_on DESC, x.created_at DESC, x.id'),
    ),
  };
}

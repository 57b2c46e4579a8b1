import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { ViewAudit } from '../audit/view-audit';
import { childRecordsLoader } from '../child/child-records.loader';
import type { ChildProtectionConference, Section47, StrategyDiscussion } from './child-protection.entity';

const NEWEST = (date: string) => `x.${date} DESC, x.created_at DESC, x.id`;

/** A child's strategy discussions, enquiries and conferences, newest first: one scoped statement per batch, after the view audit. */
export function childProtectionLoaders(db: DataSource, actor: Actor | null, views: ViewAudit) {
  return {
    strategyDiscussionsByChildId: childRecordsLoader<StrategyDiscussion>(db, actor, views, 'strategy_discussion', NEWEST('held_on')),
    section47sByChildId: childRecordsLoader<Section47>(db, actor, views, 'section47', NEWEST('start_date')),
    conferencesByChildId: childRecordsLoader<ChildProtectionConference>(db, actor, views, 'child_protection_conference', NEWEST('held_on')),
  };
}

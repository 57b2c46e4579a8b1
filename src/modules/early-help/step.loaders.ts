import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import { auditedRead } from '../audit/audited-read';
import { childFullScope } from '../child/child.scope';
import type { Episode } from '../episode/episode.entity';
import type { Referral } from '../front-door/front-door.entity';
import { camelRows, groupInOrder, oneInOrder, Params } from '../../shared/db/sql';

/**
 * Step-up and step-down links, each one statement per batch, scoped by the child (childFullScope) and audited in the
 * same statement (auditedRead): the social care episode an early help episode was stepped down from, and the
 * referrals (source 5D) an early help episode was stepped up with.
 */
export function stepLoaders(db: DataSource, actor: Actor | null) {
  return {
    socialCareEpisodeById: new DataLoader<string, Episode | null>(async (ids) => {
      if (!actor) return ids.map(() => null);
      const p = new Params();
      const visible = `SELECT x.* FROM episode x JOIN child c ON c.id = x.child_id
                       WHERE x.id = ANY(${p.add(ids)}::uuid[]) AND ${childFullScope(actor, p, 'c')}`;
      const rows = await db.query(auditedRead(actor, p, visible, 'episode.viewed', 'episode', 'v.child_id'), p.values);
      return oneInOrder(ids, camelRows<Episode>(rows), (r) => r.id);
    }),
    steppedUpReferralsByEarlyHelpEpisodeId: new DataLoader<string, Referral[]>(async (episodeIds) => {
      if (!actor) return episodeIds.map(() => []);
      const p = new Params();
      const visible = `SELECT x.* FROM referral x JOIN child c ON c.id = x.child_id
                       WHERE x.early_help_episode_id = ANY(${p.add(episodeIds)}::uuid[]) AND ${childFullScope(actor, p, 'c')}`;
      const rows = await db.query(
        `${auditedRead(actor, p, visible, 'referral.viewed', 'referral', 'v.child_id')} ORDER BY v.received_at, v.id`,
        p.values,
      );
      return groupInOrder(episodeIds, camelRows<Referral & { earlyHelpEpisodeId: string }>(rows), (r) => r.earlyHelpEpisodeId);
    }),
  };
}

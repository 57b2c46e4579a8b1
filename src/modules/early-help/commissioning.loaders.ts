import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import { auditedRead } from '../audit/audited-read';
import { camelRows, groupInOrder, Params } from '../../shared/db/sql';
import type { EarlyHelpConcern, EarlyHelpConsent, EarlyHelpEpisode, EarlyHelpReferral } from './early-help.entity';
import { episodeRecordsLoader } from './early-help.loaders';
import { earlyHelpScope } from './early-help.scope';

/** Consents, provider referrals and concerns of episodes, and children's episodes (one statement per batch, scoped). */
export function commissioningLoaders(db: DataSource, actor: Actor | null) {
  return {
    /** In the order given. */
    earlyHelpConsentsByEpisodeId: episodeRecordsLoader<EarlyHelpConsent>(db, actor, 'early_help_consent', 'x.given_on, x.created_at, x.id'),
    /** Oldest first; provider staff see the council's and their own organisation's only. */
    earlyHelpConcernsByEpisodeId: episodeRecordsLoader<EarlyHelpConcern>(db, actor, 'early_help_concern', 'x.raised_at, x.id', {
      ownWork: true,
    }),

    /** The history of offers to providers, oldest first; provider staff see only their own organisation's. */
    earlyHelpReferralsByEpisodeId: new DataLoader<string, EarlyHelpReferral[]>(async (episodeIds) => {
      if (!actor) return episodeIds.map(() => []);
      const p = new Params();
      const own = actor.providerId ? `AND x.provider_id = ${p.add(actor.providerId)}` : '';
      const rows = await db.query(
        `SELECT x.* FROM early_help_referral x JOIN early_help_episode e ON e.id = x.episode_id
         WHERE x.episode_id = ANY(${p.add(episodeIds)}::uuid[]) ${own} AND ${earlyHelpScope(actor, p, 'e')}
         ORDER BY x.offered_at, x.id`,
        p.values,
      );
      return groupInOrder(episodeIds, camelRows<EarlyHelpReferral>(rows), (r) => r.episodeId);
    }),

    /** Each child's early help episodes, newest first: scoped, and each episode's view audited in the same statement. */
    earlyHelpEpisodesByChildId: new DataLoader<string, EarlyHelpEpisode[]>(async (childIds) => {
      if (!actor) return childIds.map(() => []);
      const p = new Params();
      const visible = `SELECT e.*, ec.child_id AS subject_child_id FROM early_help_child ec JOIN early_help_episode e ON e.id = ec.episode_id
        WHERE ec.child_id = ANY(${p.add(childIds)}::uuid[]) AND ${earlyHelpScope(actor, p, 'e')}`;
      const rows = camelRows<EarlyHelpEpisode & { subjectChildId: string }>(
        await db.query(auditedRead(actor, p, visible, 'earlyHelpEpisode.viewed', 'early_help_episode', 'v.subject_child_id'), p.values),
      );
      rows.sort((a, b) => b.requestedAt.getTime() - a.requestedAt.getTime() || (a.id < b.id ? -1 : 1));
      return groupInOrder(childIds, rows, (r) => r.subjectChildId);
    }),
  };
}

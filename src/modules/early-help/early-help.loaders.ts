import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import { camelRows, groupInOrder, oneInOrder, Params } from '../../shared/db/sql';
import type { EarlyHelpEpisode } from './early-help.entity';
import { findEarlyHelpEpisodes } from './early-help.service';
import { earlyHelpScope } from './early-help.scope';
import { providerLoaders } from './provider.loaders';
import { commissioningLoaders } from './commissioning.loaders';
import { workLoaders } from './work.loaders';
import { stepLoaders } from './step.loaders';

const TABLE = /^[a-z_][a-z0-9_]*$/;

/**
 * `<records>ByEpisodeId`: a batch of episodes' rows of `table` (a table with `episode_id`), in `order` (SQL over alias
 * `x`), one statement per batch, scoped by the episode (earlyHelpScope). Only reached from an episode already read
 * (and audited) in this request. `table` and `order` are code, never client input. With `ownWork`, provider staff get
 * only the rows written by council staff or by their own organisation (never another provider's notes on the family).
 */
export function episodeRecordsLoader<T extends { episodeId: string }>(
  db: DataSource,
  actor: Actor | null,
  table: string,
  order: string,
  opts: { ownWork?: boolean } = {},
): DataLoader<string, T[]> {
  if (!TABLE.test(table)) throw new Error(`bad table ${table}`);
  return new DataLoader<string, T[]>(async (episodeIds) => {
    if (!actor) return episodeIds.map(() => []);
    const p = new Params();
    const own = opts.ownWork && actor.providerId
      ? `AND EXISTS (SELECT 1 FROM account w WHERE w.id = x.created_by_id
                       AND (w.provider_id IS NULL OR w.provider_id = ${p.add(actor.providerId)}))`
      : '';
    const rows = await db.query(
      `SELECT x.* FROM ${table} x JOIN early_help_episode e ON e.id = x.episode_id
       WHERE x.episode_id = ANY(${p.add(episodeIds)}::uuid[]) AND ${earlyHelpScope(actor, p, 'e')} ${own} ORDER BY ${order}`,
      p.values,
    );
    return groupInOrder(episodeIds, camelRows<T>(rows), (r) => r.episodeId);
  });
}

export function earlyHelpLoaders(db: DataSource, actor: Actor | null) {
  return {
    ...providerLoaders(db, actor),
    ...commissioningLoaders(db, actor),
    ...workLoaders(db, actor),
    ...stepLoaders(db, actor),
    /** Episodes by id: scoped and audited in one statement. */
    earlyHelpEpisodeById: new DataLoader<string, EarlyHelpEpisode | null>(async (ids) =>
      actor ? oneInOrder(ids, await findEarlyHelpEpisodes(db, actor, ids), (r) => r.id) : ids.map(() => null),
    ),
    /** The children each episode is about (ids; the Child records come through the audited childById loader). */
    earlyHelpChildIdsByEpisodeId: new DataLoader<string, string[]>(async (episodeIds) => {
      if (!actor) return episodeIds.map(() => []);
      const p = new Params();
      const rows = await db.query(
        `SELECT x.episode_id, x.child_id FROM early_help_child x JOIN early_help_episode e ON e.id = x.episode_id
         WHERE x.episode_id = ANY(${p.add(episodeIds)}::uuid[]) AND ${earlyHelpScope(actor, p, 'e')} ORDER BY x.child_id`,
        p.values,
      );
      return groupInOrder(episodeIds, camelRows<{ episodeId: string; childId: string }>(rows), (r) => r.episodeId).map((g) =>
        g.map((r) => r.childId),
      );
    }),
  };
}

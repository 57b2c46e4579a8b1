import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import { camelRow, camelRows, Params } from '../../shared/db/sql';
import type { Plan } from '../plan/plan.entity';
import type { EarlyHelpAssessment, EarlyHelpSetting, TeamAroundFamilyMeeting } from './early-help.entity';
import { episodeRecordsLoader } from './early-help.loaders';
import { earlyHelpScope } from './early-help.scope';

/** The early help work's relations of an episode (each one statement per batch, scoped by the episode). */
export function workLoaders(db: DataSource, actor: Actor | null) {
  return {
    /** Newest first. */
    earlyHelpAssessmentsByEpisodeId: episodeRecordsLoader<EarlyHelpAssessment>(
      db, actor, 'early_help_assessment', 'x.created_at DESC, x.id',
    ),
    /** Newest first; provider staff see the council's and their own organisation's only. */
    teamAroundFamilyMeetingsByEpisodeId: episodeRecordsLoader<TeamAroundFamilyMeeting>(
      db, actor, 'team_around_family_meeting', 'x.held_on DESC, x.created_at DESC, x.id', { ownWork: true },
    ),
    /** The episode's family plan: the active one, else the latest ended. */
    familyPlanByEarlyHelpEpisodeId: new DataLoader<string, Plan | null>(async (episodeIds) => {
      if (!actor) return episodeIds.map(() => null);
      const p = new Params();
      const rows = await db.query(
        `SELECT DISTINCT ON (pl.early_help_episode_id) pl.* FROM plan pl JOIN early_help_episode e ON e.id = pl.early_help_episode_id
         WHERE pl.early_help_episode_id = ANY(${p.add(episodeIds)}::uuid[]) AND ${earlyHelpScope(actor, p, 'e')}
         ORDER BY pl.early_help_episode_id, pl.status = 'ACTIVE' DESC, pl.start_date DESC, pl.created_at DESC`,
        p.values,
      );
      const byEpisode = new Map(camelRows<Plan>(rows).map((r) => [r.earlyHelpEpisodeId, r]));
      return episodeIds.map((id) => byEpisode.get(id) ?? null);
    }),
    /** The local early help settings (one row; key 1). */
    earlyHelpWorkSetting: new DataLoader<number, EarlyHelpSetting>(async (keys) => {
      const [row] = await db.query(`SELECT * FROM early_help_setting WHERE id = 1`);
      return keys.map(() => camelRow<EarlyHelpSetting>(row));
    }),
  };
}

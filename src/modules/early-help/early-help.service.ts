import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { AuditWriter } from '../audit/audit.writer';
import { AuditResult } from '../audit/audit.entity';
import { auditedRead } from '../audit/audited-read';
import { Access } from '../child/child.scope';
import { camelRow, camelRows, Params } from '../../shared/db/sql';
import { notFound } from '../../shared/errors';
import type { EarlyHelpEpisode } from './early-help.entity';
import { earlyHelpScope } from './early-help.scope';

/** Episodes by id, scoped and audited in one statement ('earlyHelpEpisode.viewed', on the primary child). */
export async function findEarlyHelpEpisodes(
  runner: Pick<EntityManager, 'query'>,
  actor: Actor,
  ids: readonly string[],
): Promise<EarlyHelpEpisode[]> {
  const p = new Params();
  const visible = `SELECT e.* FROM early_help_episode e WHERE e.id = ANY(${p.add(ids)}::uuid[]) AND ${earlyHelpScope(actor, p, 'e')}`;
  const rows = await runner.query(auditedRead(actor, p, visible, 'earlyHelpEpisode.viewed', 'early_help_episode', 'v.primary_child_id'), p.values);
  return camelRows<EarlyHelpEpisode>(rows);
}

/**
 * The early help episode record: scoped, audited reads and the locked read a change starts from. The workflows
 * (commissioning, the work, step-up and step-down) build on it.
 */
export class EarlyHelpEpisodes {
  constructor(
    readonly db: DataSource,
    readonly audit: AuditWriter,
  ) {}

  /** Episodes by id, scoped and audited in one statement (findEarlyHelpEpisodes). */
  findMany(runner: Pick<EntityManager, 'query'>, actor: Actor, ids: readonly string[]): Promise<EarlyHelpEpisode[]> {
    return findEarlyHelpEpisodes(runner, actor, ids);
  }

  /**
   * The episode, locked for a change, if the actor may change it; otherwise NOT_FOUND (exactly like a missing id),
   * the denial audited outside the transaction.
   */
  async forChange(tx: EntityManager, actor: Actor, id: string): Promise<EarlyHelpEpisode> {
    const p = new Params();
    const rows = await tx.query(
      `SELECT e.* FROM early_help_episode e WHERE e.id = ${p.add(id)} AND ${earlyHelpScope(actor, p, 'e', Access.WRITE)} FOR UPDATE OF e`,
      p.values,
    );
    if (!rows.length) {
      await this.audit.record(this.db, actor, {
        action: 'earlyHelpEpisode.changed', entity: 'early_help_episode', entityId: id, result: AuditResult.DENIED,
      });
      throw notFound();
    }
    return camelRow<EarlyHelpEpisode>(rows[0]);
  }

  /** The children the episode is about. */
  async childIds(runner: Pick<EntityManager, 'query'>, episodeId: string): Promise<string[]> {
    const rows = await runner.query(`SELECT child_id FROM early_help_child WHERE episode_id = $1 ORDER BY child_id`, [episodeId]);
    return rows.map((r: { child_id: string }) => r.child_id);
  }
}

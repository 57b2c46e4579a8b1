import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { Referral } from '../front-door/front-door.entity';
import type { AuditWriter } from '../audit/audit.writer';
import type { CalendarService } from '../calendar/calendar.service';
import type { ChildService } from '../child/child.service';
import { camelRow, camelRows } from '../../shared/db/sql';
import { updateVersioned } from '../../shared/db/versioned';
import { badInput, DomainError, FieldProblem } from '../../shared/errors';
import type { Episode } from './episode.entity';
import { EpisodeError } from './episode.errors';
import { CLOSED_AFTER_ASSESSMENT, CLOSURE_REASONS, isExclusionViolation } from './episode.rules';
import type { CloseEpisodeInput } from './episode.types';

/** SQL: the episode ($1) had a section 47 or a CP or CIN plan. */
const HAD_STATUTORY_WORK = `(EXISTS (SELECT 1 FROM section47 WHERE episode_id = $1)
  OR EXISTS (SELECT 1 FROM plan WHERE episode_id = $1 AND type IN ('CHILD_PROTECTION', 'CHILD_IN_NEED')))`;

/** Episodes of need: opened by a referral decision, closed with a reason once no work is open. */
export class EpisodeService {
  constructor(
    readonly db: DataSource,
    readonly audit: AuditWriter,
    readonly calendar: CalendarService,
    readonly children: ChildService,
  ) {}

  /**
   * Called in the decideReferral transaction when a referral is not closed at decision (ASSESSMENT or
   * STRATEGY_DISCUSSION): opens the child's episode of need, unless one is already open. A referral dated inside an
   * earlier episode is refused (EPISODE_OVERLAPS), and with it the decision.
   */
  async openForReferralInTx(tx: EntityManager, actor: Actor, referral: Referral): Promise<void> {
    // Serialise openings per child, so two decisions at the same moment open one episode, not two (or an overlap error).
    await tx.query(`SELECT 1 FROM child WHERE id = $1 FOR NO KEY UPDATE`, [referral.childId]);
    if (await this.openEpisodeOf(tx, referral.childId)) return;
    let episode: Episode;
    try {
      const [row] = await tx.query(
        `INSERT INTO episode (child_id, referral_id, start_date, referral_source, primary_need_code, created_by_id, updated_by_id)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING *`,
        [referral.childId, referral.id, referral.referralDate, referral.sourceCode, referral.primaryNeedCode, actor.id],
      );
      episode = camelRow<Episode>(row);
    } catch (err) {
      if (isExclusionViolation(err, 'episode_no_overlap')) {
        throw new DomainError(EpisodeError.OVERLAPS, "The referral date falls inside another of the child's episodes of need");
      }
      throw err;
    }
    await this.audit.record(tx, actor, {
      action: 'episode.opened', entity: 'episode', entityId: episode.id, childId: episode.childId,
      fields: ['referralId', 'startDate', 'referralSource', 'primaryNeedCode'],
    });
  }

  /** The child's open episode (closure date not set), if any; `lock` holds it for the rest of the transaction. */
  /** Whether the episode had a section 47 or a CP or CIN plan (then RC8/RC9 are not valid closure reasons). */
  async hadStatutoryWork(tx: EntityManager, episodeId: string): Promise<boolean> {
    const [row] = await tx.query(`SELECT ${HAD_STATUTORY_WORK} AS had FROM (SELECT $1::uuid) x`, [episodeId]);
    return row.had;
  }

  async openEpisodeOf(tx: EntityManager, childId: string, lock = false): Promise<Episode | null> {
    const rows = await tx.query(
      `SELECT * FROM episode WHERE child_id = $1 AND closure_date IS NULL ${lock ? 'FOR UPDATE' : ''}`,
      [childId],
    );
    return rows.length ? camelRow<Episode>(rows[0]) : null;
  }

  async closeEpisode(actor: Actor, input: CloseEpisodeInput): Promise<Episode> {
    return this.db.transaction(async (tx) => {
      const episode = await this.children.recordForChange<Episode>(tx, actor, 'episode', input.id, 'episode');
      return this.closeInTx(tx, actor, episode, input.closureDate, input.reason, input.expectedVersion);
    });
  }

  /**
   * Closes an episode inside the caller's transaction (also used by an assessment's authorisation): the date within
   * the episode and not in the future, no open plan, section 47 or unauthorised assessment, and RC8/RC9 only for an
   * episode that had no section 47, CP or CIN plan. The version is checked by the UPDATE.
   */
  async closeInTx(
    tx: EntityManager, actor: Actor, episode: Episode, date: string, reason: string, expectedVersion = episode.version,
  ): Promise<Episode> {
    if (episode.closureDate) throw new DomainError(EpisodeError.ALREADY_CLOSED, 'This episode of need is already closed');
    const problems: FieldProblem[] = [];
    if (date < episode.startDate) {
      problems.push({ field: 'closureDate', message: `must not be before the episode's start (${episode.startDate})` });
    }
    if (date > this.calendar.today()) problems.push({ field: 'closureDate', message: 'must not be in the future' });
    if (!(CLOSURE_REASONS as readonly string[]).includes(reason)) problems.push({ field: 'reason', message: 'must be RC1-RC9' });
    if (problems.length) throw badInput(problems);

    const [work] = camelRows<{ openPlan: boolean; openSection47: boolean; openAssessment: boolean; hadStatutoryWork: boolean }>(
      await tx.query(
        `SELECT EXISTS (SELECT 1 FROM plan WHERE episode_id = $1 AND status = 'ACTIVE') AS open_plan,
                EXISTS (SELECT 1 FROM section47 WHERE episode_id = $1 AND status = 'OPEN') AS open_section47,
                EXISTS (SELECT 1 FROM assessment WHERE episode_id = $1 AND status <> 'AUTHORISED') AS open_assessment,
                ${HAD_STATUTORY_WORK} AS had_statutory_work`,
        [episode.id],
      ),
    );
    if (work.openPlan) throw new DomainError(EpisodeError.HAS_OPEN_PLAN, 'End the active plan before closing the episode');
    if (work.openSection47) {
      throw new DomainError(EpisodeError.HAS_OPEN_SECTION47, 'Conclude the section 47 enquiry before closing the episode');
    }
    if (work.openAssessment) {
      throw new DomainError(EpisodeError.HAS_OPEN_ASSESSMENT, 'Complete and authorise the assessment before closing the episode');
    }
    if (CLOSED_AFTER_ASSESSMENT.includes(reason) && work.hadStatutoryWork) {
      throw new DomainError(
        EpisodeError.CLOSURE_REASON_INVALID,
        'RC8 and RC9 (closed after assessment) cannot be used for an episode with a section 47 enquiry or a CP or CIN plan',
      );
    }
    const closed = await updateVersioned<Episode>(tx, 'episode', episode.id, expectedVersion, {
      closureDate: date, closureReason: reason,
    }, actor.id);
    await this.audit.record(tx, actor, {
      action: 'episode.closed', entity: 'episode', entityId: episode.id, childId: episode.childId,
      fields: ['closureDate', 'closureReason'],
    });
    return closed;
  }

}

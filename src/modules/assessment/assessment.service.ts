import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { AuditWriter } from '../audit/audit.writer';
import type { CalendarService } from '../calendar/calendar.service';
import type { ChildService } from '../child/child.service';
import type { EpisodeService } from '../episode/episode.service';
import type { Episode } from '../episode/episode.entity';
import { camelRow } from '../../shared/db/sql';
import { updateVersioned } from '../../shared/db/versioned';
import { badInput, DomainError, FieldProblem } from '../../shared/errors';
import { isLate, TIMESCALES } from '../../shared/clock/timescales';
import { Assessment, AssessmentStatus } from './assessment.entity';
import { AssessmentError } from './assessment.errors';
import { closureOnAuthorisation } from './assessment.rules';
import type { AuthoriseAssessmentInput, CompleteAssessmentInput, StartAssessmentInput } from './assessment.types';

/** An assessment as read: with its episode's start (the referral date), from which working days taken are counted. */
export type AssessmentRow = Assessment & { episodeStartDate: string };

const COMPLETION_FIELDS = ['factors', 'risks', 'strengths', 'protectiveFactors', 'childsViews', 'analysis', 'outcome'] as const;

/** Child and family assessments: started in the open episode, completed with a structured analysis, authorised by a manager. */
export class AssessmentService {
  constructor(
    readonly db: DataSource,
    readonly audit: AuditWriter,
    readonly calendar: CalendarService,
    readonly children: ChildService,
    readonly episodes: EpisodeService,
  ) {}

  async start(actor: Actor, input: StartAssessmentInput): Promise<AssessmentRow> {
    return this.db.transaction(async (tx) => {
      const child = await this.children.forChange(tx, actor, input.childId);
      // Locking the open episode serialises starts, so two at once cannot both pass the check below.
      const episode = await this.episodes.openEpisodeOf(tx, child.id, true);
      if (!episode) {
        throw new DomainError(AssessmentError.NEEDS_OPEN_EPISODE, 'An assessment needs an open episode of need (decide a referral first)');
      }
      const problems: FieldProblem[] = [];
      if (input.startDate < episode.startDate) {
        problems.push({ field: 'startDate', message: `must not be before the referral date (${episode.startDate})` });
      }
      if (input.startDate > this.calendar.today()) problems.push({ field: 'startDate', message: 'must not be in the future' });
      if (problems.length) throw badInput(problems);
      const open = await tx.query(`SELECT 1 FROM assessment WHERE episode_id = $1 AND status <> $2`, [
        episode.id, AssessmentStatus.AUTHORISED,
      ]);
      if (open.length) {
        throw new DomainError(AssessmentError.ALREADY_IN_PROGRESS, 'This episode already has an assessment that is not yet authorised');
      }
      // 45 working days from the referral that prompted it: the latest referral into this episode decided for
      // assessment or a strategy discussion on or before the start (a re-referral during an open episode restarts it).
      const [{ referral_date: referralDate }] = await tx.query(
        `SELECT coalesce(max(r.referral_date), $3::date) AS referral_date FROM referral r
         WHERE r.child_id = $1 AND r.decision IN ('ASSESSMENT', 'STRATEGY_DISCUSSION') AND r.referral_date BETWEEN $3 AND $2`,
        [child.id, input.startDate, episode.startDate],
      );
      const dueDate = this.calendar.addWorkingDays(referralDate, TIMESCALES.assessmentWorkingDays);
      const [row] = await tx.query(
        `INSERT INTO assessment (child_id, episode_id, status, start_date, due_date, created_by_id, updated_by_id)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
        [child.id, episode.id, AssessmentStatus.IN_PROGRESS, input.startDate, dueDate, actor.id],
      );
      await this.audit.record(tx, actor, {
        action: 'assessment.started', entity: 'assessment', entityId: row.id, childId: child.id,
        fields: ['episodeId', 'startDate', 'dueDate'],
      });
      return this.read(tx, row.id);
    });
  }

  async complete(actor: Actor, input: CompleteAssessmentInput): Promise<AssessmentRow> {
    return this.db.transaction(async (tx) => {
      const current = await this.children.recordForChange<Assessment>(tx, actor, 'assessment', input.id, 'assessment');
      if (current.status !== AssessmentStatus.IN_PROGRESS) {
        throw new DomainError(AssessmentError.NOT_IN_PROGRESS, 'This assessment has already been completed');
      }
      const problems: FieldProblem[] = [];
      if (input.completedDate < current.startDate) {
        problems.push({ field: 'completedDate', message: `must not be before the start (${current.startDate})` });
      }
      if (input.completedDate > this.calendar.today()) problems.push({ field: 'completedDate', message: 'must not be in the future' });
      const late = isLate(current.dueDate, input.completedDate);
      const lateReason = input.lateReason ?? null;
      if (late && !lateReason) {
        problems.push({ field: 'lateReason', message: `is required: the assessment was due on ${current.dueDate}` });
      }
      if (!late && lateReason) problems.push({ field: 'lateReason', message: 'is only recorded when the assessment is late' });
      if (problems.length) throw badInput(problems);
      await updateVersioned(tx, 'assessment', current.id, input.expectedVersion, {
        status: AssessmentStatus.COMPLETED,
        completedDate: input.completedDate,
        factors: input.factors,
        risks: input.risks,
        strengths: input.strengths,
        protectiveFactors: input.protectiveFactors,
        childsViews: input.childsViews,
        analysis: input.analysis,
        outcome: input.outcome,
        lateReason,
      }, actor.id);
      await this.audit.record(tx, actor, {
        action: 'assessment.completed', entity: 'assessment', entityId: current.id, childId: current.childId,
        fields: ['status', 'completedDate', ...COMPLETION_FIELDS, ...(lateReason ? ['lateReason'] : [])],
      });
      return this.read(tx, current.id);
    });
  }

  /**
   * A manager signs the assessment off (authoriser and date from the session and the service clock), then its outcome is
   * acted on: CLOSE closes the episode with RC8 and EARLY_HELP with RC9, on the authorisation date, in the same transaction
   * (unless the episode had a section 47 or a plan, for which those reasons are not valid).
   */
  async authorise(actor: Actor, input: AuthoriseAssessmentInput): Promise<AssessmentRow> {
    return this.db.transaction(async (tx) => {
      const current = await this.children.recordForChange<Assessment>(tx, actor, 'assessment', input.id, 'assessment');
      if (current.status !== AssessmentStatus.COMPLETED) {
        throw new DomainError(
          AssessmentError.NOT_COMPLETED,
          current.status === AssessmentStatus.AUTHORISED ? 'This assessment is already authorised' : 'Only a completed assessment can be authorised',
        );
      }
      const today = this.calendar.today();
      await updateVersioned(tx, 'assessment', current.id, input.expectedVersion, {
        status: AssessmentStatus.AUTHORISED, authorisedDate: today, authorisedById: actor.id,
      }, actor.id);
      await this.audit.record(tx, actor, {
        action: 'assessment.authorised', entity: 'assessment', entityId: current.id, childId: current.childId,
        fields: ['status', 'authorisedDate', 'authorisedById'],
      });
      const reason = closureOnAuthorisation(current.outcome);
      if (reason) {
        const [row] = await tx.query(`SELECT * FROM episode WHERE id = $1 FOR UPDATE`, [current.episodeId]);
        const episode = camelRow<Episode>(row);
        // RC8/RC9 are only valid for an episode without statutory work (DfE rule 2990). Otherwise the episode stays
        // open for the worker to close with the reason that fits, now that the assessment is authorised.
        if (!(await this.episodes.hadStatutoryWork(tx, episode.id))) {
          await this.episodes.closeInTx(tx, actor, episode, today, reason);
        }
      }
      return this.read(tx, current.id);
    });
  }

  private async read(tx: EntityManager, id: string): Promise<AssessmentRow> {
    const [row] = await tx.query(
      `SELECT a.*, e.start_date AS episode_start_date FROM assessment a JOIN episode e ON e.id = a.episode_id WHERE a.id = $1`,
      [id],
    );
    return camelRow<AssessmentRow>(row);
  }

}

import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { AuditWriter } from '../audit/audit.writer';
import type { CalendarService } from '../calendar/calendar.service';
import type { ChildService } from '../child/child.service';
import type { EpisodeService } from '../episode/episode.service';
import { camelRow, camelRows } from '../../shared/db/sql';
import { isUniqueViolation, updateVersioned } from '../../shared/db/versioned';
import { badInput, DomainError } from '../../shared/errors';
import { addMonths } from '../../shared/clock/timescales';
import type { IsoDate } from '../../shared/clock/calendar';
import { Plan, PlanOutcome, PlanStatus, PlanType, PlanTypeSetting, ReviewDecision } from './plan.entity';
import { PlanError } from './plan.errors';
import { contentProblems, eventDateProblems, PlanContent, revisionContent } from './plan.rules';
import type { EndPlanInput, ReviewPlanInput, StartPlanInput, UpdatePlanInput } from './plan.types';

type Runner = Pick<EntityManager, 'query'>;

const CONTENT_FIELDS = ['outcomes', 'actions', 'contingency', 'familySummary'];

export interface StartInTx {
  childId: string;
  episodeId: string | null;
  type: PlanType;
  startDate: IsoDate;
  content: PlanContent;
  category?: string | null;
  nextReviewDue: IsoDate | null;
  /** Early help family plans: the early help episode (episodeId is then null). */
  earlyHelpEpisodeId?: string | null;
}

/** A review as reviewInTx takes it (ReviewPlanInput without the plan's id). */
export type ReviewInTx = Omit<ReviewPlanInput, 'id'>;

/** Plans (CIN, CP and early help): start, change with every version kept, review, end. */
export class PlanService {
  constructor(
    readonly db: DataSource,
    readonly audit: AuditWriter,
    readonly calendar: CalendarService,
    readonly children: ChildService,
    readonly episodes: EpisodeService,
  ) {}

  /** A child in need plan (CP plans start at an initial conference). */
  async startPlan(actor: Actor, input: StartPlanInput): Promise<Plan> {
    const problems = [
      ...eventDateProblems('startDate', input.startDate, this.calendar.today()),
      ...contentProblems(input.content, input.startDate, 'content'),
    ];
    if (problems.length) throw badInput(problems);
    return this.db.transaction(async (tx) => {
      const child = await this.children.forChange(tx, actor, input.childId);
      const episode = await this.episodes.openEpisodeOf(tx, child.id, true);
      if (!episode) throw new DomainError(PlanError.NEEDS_OPEN_EPISODE, 'The child has no open episode of need');
      if (input.startDate < episode.startDate) {
        throw badInput([{ field: 'startDate', message: `must not be before the episode of need started (${episode.startDate})` }]);
      }
      const setting = await this.setting(tx, input.type);
      return this.startInTx(tx, actor, {
        childId: child.id,
        episodeId: episode.id,
        type: input.type,
        startDate: input.startDate,
        content: input.content,
        nextReviewDue: addMonths(input.startDate, setting.reviewEveryMonths),
      });
    });
  }

  /** Replaces the current outcomes and actions (old rows kept, not current) and saves the new version in plan_revision. */
  async updatePlan(actor: Actor, input: UpdatePlanInput): Promise<Plan> {
    return this.db.transaction(async (tx) => {
      const plan = await this.children.recordForChange<Plan>(tx, actor, 'plan', input.id, 'plan');
      this.assertActive(plan);
      const problems = contentProblems(input.content, plan.startDate, 'content');
      if (problems.length) throw badInput(problems);
      const updated = await updateVersioned<Plan>(tx, 'plan', plan.id, input.expectedVersion, {
        contingency: input.content.contingency,
        familySummary: input.content.familySummary,
      }, actor.id);
      await tx.query(`UPDATE plan_outcome SET current = false, updated_at = now(), updated_by_id = $2 WHERE plan_id = $1 AND current`, [
        plan.id, actor.id,
      ]);
      await tx.query(`UPDATE plan_action SET current = false, updated_at = now(), updated_by_id = $2 WHERE plan_id = $1 AND current`, [
        plan.id, actor.id,
      ]);
      await this.insertContent(tx, actor, updated, input.content);
      await this.audit.record(tx, actor, {
        action: 'plan.updated', entity: 'plan', entityId: plan.id, childId: plan.childId, fields: CONTENT_FIELDS,
      });
      return updated;
    });
  }

  /** A plan review (CIN and early help; CP plans are reviewed by conference): progress on every current outcome. */
  async reviewPlan(actor: Actor, input: ReviewPlanInput): Promise<Plan> {
    return this.db.transaction(async (tx) => {
      const plan = await this.children.recordForChange<Plan>(tx, actor, 'plan', input.id, 'plan');
      return this.reviewInTx(tx, actor, plan, input);
    });
  }

  /** Ends a CIN or early help plan (a CP plan ends only at a review conference). */
  async endPlan(actor: Actor, input: EndPlanInput): Promise<Plan> {
    return this.db.transaction(async (tx) => {
      const plan = await this.children.recordForChange<Plan>(tx, actor, 'plan', input.id, 'plan');
      this.assertActive(plan);
      if (plan.type === PlanType.CHILD_PROTECTION) {
        throw new DomainError(PlanError.ENDS_AT_CONFERENCE, 'A child protection plan ends only at a review conference');
      }
      const problems = eventDateProblems('endDate', input.endDate, this.calendar.today(), { date: plan.startDate, what: 'the plan started' });
      if (problems.length) throw badInput(problems);
      const updated = await updateVersioned<Plan>(tx, 'plan', plan.id, input.expectedVersion, {
        status: PlanStatus.ENDED, endDate: input.endDate, endReason: input.reason,
      }, actor.id);
      await this.audit.record(tx, actor, {
        action: 'plan.ended', entity: 'plan', entityId: plan.id, childId: plan.childId, fields: ['status', 'endDate', 'endReason'],
      });
      return updated;
    });
  }

  // ---- for the conference and early help code (same transaction, the caller has checked scope and input) ----

  /**
   * Starts a plan in the caller's transaction: refuses PLAN_OVERLAPS_CP (a CIN plan and a CP plan at the same time) and
   * PLAN_ALREADY_ACTIVE; writes the plan, its outcomes and actions, revision 1, and the audit row.
   */
  async startInTx(tx: EntityManager, actor: Actor, input: StartInTx): Promise<Plan> {
    if (input.type === PlanType.CHILD_IN_NEED || input.type === PlanType.CHILD_PROTECTION) {
      const other = input.type === PlanType.CHILD_IN_NEED ? PlanType.CHILD_PROTECTION : PlanType.CHILD_IN_NEED;
      const overlapping = await tx.query(
        `SELECT 1 FROM plan WHERE child_id = $1 AND type = $2 AND (status = 'ACTIVE' OR end_date > $3)`,
        [input.childId, other, input.startDate],
      );
      if (overlapping.length) {
        throw new DomainError(PlanError.OVERLAPS_CP, 'A child in need plan cannot run at the same time as a child protection plan');
      }
    }
    const active = await tx.query(`SELECT 1 FROM plan WHERE child_id = $1 AND type = $2 AND status = 'ACTIVE'`, [input.childId, input.type]);
    if (active.length) throw new DomainError(PlanError.ALREADY_ACTIVE, 'The child already has an active plan of this type');
    // The unique index plan_one_active_per_type backs the check above against a concurrent start.
    const [row] = await tx
      .query(
        `INSERT INTO plan (child_id, episode_id, early_help_episode_id, type, start_date, contingency, family_summary, next_review_due,
                           initial_category, latest_category, created_by_id, updated_by_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $10) RETURNING *`,
        [
          input.childId, input.episodeId, input.earlyHelpEpisodeId ?? null, input.type, input.startDate, input.content.contingency,
          input.content.familySummary, input.nextReviewDue, input.category ?? null, actor.id,
        ],
      )
      .catch((err: unknown) => {
        if (isUniqueViolation(err)) throw new DomainError(PlanError.ALREADY_ACTIVE, 'The child already has an active plan of this type');
        throw err;
      });
    const plan = camelRow<Plan>(row);
    await this.insertContent(tx, actor, plan, input.content);
    await this.audit.record(tx, actor, {
      action: 'plan.started', entity: 'plan', entityId: plan.id, childId: plan.childId,
      fields: ['type', 'startDate', ...CONTENT_FIELDS, 'nextReviewDue', ...(input.category ? ['initialCategory', 'latestCategory'] : [])],
    });
    return plan;
  }

  /**
   * Reviews a plan (the caller's transaction, the plan read and locked in the caller's scope): refuses an ended plan and
   * a CP plan, checks the date and the progress on every current outcome, and writes the review and its audit row.
   */
  async reviewInTx(tx: EntityManager, actor: Actor, plan: Plan, input: ReviewInTx): Promise<Plan> {
    this.assertActive(plan);
    if (plan.type === PlanType.CHILD_PROTECTION) {
      throw new DomainError(PlanError.REVIEWED_AT_CONFERENCE, 'A child protection plan is reviewed at a review conference');
    }
    const dateProblems = eventDateProblems('heldOn', input.heldOn, this.calendar.today(), {
      date: plan.startDate, what: 'the plan started',
    });
    if (dateProblems.length) throw badInput(dateProblems);
    const outcomes = camelRows<PlanOutcome>(
      await tx.query(`SELECT id FROM plan_outcome WHERE plan_id = $1 AND current ORDER BY position`, [plan.id]),
    );
    const current = new Set(outcomes.map((o) => o.id));
    const unknown = input.progress
      .map((p, i) => ({ p, i }))
      .filter(({ p }) => !current.has(p.outcomeId))
      .map(({ i }) => ({ field: `progress.${i}.outcomeId`, message: 'is not a current outcome of this plan' }));
    if (unknown.length) throw badInput(unknown);
    const rated = new Set(input.progress.map((p) => p.outcomeId));
    if (rated.size !== input.progress.length || rated.size !== current.size) {
      throw new DomainError(PlanError.REVIEW_PROGRESS_INCOMPLETE, 'Rate the progress on every current outcome, once each');
    }
    const ends = input.decision === ReviewDecision.END;
    const setting = await this.setting(tx, plan.type);
    const patch = ends
      ? { status: PlanStatus.ENDED, endDate: input.heldOn, endReason: input.summary }
      : { nextReviewDue: addMonths(input.heldOn, setting.reviewEveryMonths) };
    const updated = await updateVersioned<Plan>(tx, 'plan', plan.id, input.expectedVersion, patch, actor.id);
    await tx.query(
      `INSERT INTO plan_review (plan_id, held_on, progress, decision, summary, due_by, reviewer_id, created_by_id, updated_by_id)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $7, $7)`,
      [
        plan.id, input.heldOn,
        JSON.stringify(input.progress.map((p) => ({ outcomeId: p.outcomeId, rating: p.rating, comment: p.comment }))),
        input.decision, input.summary, plan.nextReviewDue, actor.id,
      ],
    );
    await this.audit.record(tx, actor, {
      action: 'plan.reviewed', entity: 'plan', entityId: plan.id, childId: plan.childId,
      fields: ['heldOn', 'progress', 'decision', 'summary', 'dueBy', ...Object.keys(patch)],
    });
    return updated;
  }

  /** Ends a plan (any type) in the caller's transaction, at the version the caller read. */
  async endInTx(tx: EntityManager, actor: Actor, plan: Plan, endDate: IsoDate, reason: string): Promise<Plan> {
    const updated = await updateVersioned<Plan>(tx, 'plan', plan.id, plan.version, {
      status: PlanStatus.ENDED, endDate, endReason: reason,
    }, actor.id);
    await this.audit.record(tx, actor, {
      action: 'plan.ended', entity: 'plan', entityId: plan.id, childId: plan.childId, fields: ['status', 'endDate', 'endReason'],
    });
    return updated;
  }

  async setLatestCategoryInTx(tx: EntityManager, actor: Actor, plan: Plan, category: string): Promise<Plan> {
    const updated = await updateVersioned<Plan>(tx, 'plan', plan.id, plan.version, { latestCategory: category }, actor.id);
    await this.audit.record(tx, actor, {
      action: 'plan.updated', entity: 'plan', entityId: plan.id, childId: plan.childId, fields: ['latestCategory'],
    });
    return updated;
  }

  async setNextReviewDueInTx(tx: EntityManager, actor: Actor, plan: Plan, nextReviewDue: IsoDate): Promise<Plan> {
    const updated = await updateVersioned<Plan>(tx, 'plan', plan.id, plan.version, { nextReviewDue }, actor.id);
    await this.audit.record(tx, actor, {
      action: 'plan.updated', entity: 'plan', entityId: plan.id, childId: plan.childId, fields: ['nextReviewDue'],
    });
    return updated;
  }

  /** The active plan of a type on the child, locked, or null. */
  async activeInTx(tx: EntityManager, childId: string, type: PlanType): Promise<Plan | null> {
    const rows = await tx.query(`SELECT * FROM plan WHERE child_id = $1 AND type = $2 AND status = 'ACTIVE' FOR UPDATE`, [childId, type]);
    return rows.length ? camelRow<Plan>(rows[0]) : null;
  }

  /** A plan of the child, locked, or null. */
  async ofChildInTx(tx: EntityManager, childId: string, planId: string): Promise<Plan | null> {
    const rows = await tx.query(`SELECT * FROM plan WHERE id = $1 AND child_id = $2 FOR UPDATE`, [planId, childId]);
    return rows.length ? camelRow<Plan>(rows[0]) : null;
  }

  /** The local settings of a plan type (visit and review frequencies). */
  async setting(tx: Runner, type: PlanType): Promise<PlanTypeSetting> {
    const [row] = await tx.query(`SELECT * FROM plan_type_setting WHERE plan_type = $1`, [type]);
    if (!row) throw new Error(`no plan_type_setting for ${type}`);
    return camelRow<PlanTypeSetting>(row);
  }

  // ---- internals ----

  private assertActive(plan: Plan) {
    if (plan.status !== PlanStatus.ACTIVE) throw new DomainError(PlanError.NOT_ACTIVE, 'The plan has ended');
  }

  /** Writes the outcomes and actions as the current ones, and the content as the revision of the plan's version. */
  private async insertContent(tx: EntityManager, actor: Actor, plan: Plan, content: PlanContent): Promise<void> {
    const outcomeIds: string[] = [];
    for (const [i, o] of content.outcomes.entries()) {
      const [row] = await tx.query(
        `INSERT INTO plan_outcome (plan_id, position, need_to_change, measure, by_when, created_by_id, updated_by_id)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
        [plan.id, i, o.needToChange, o.measure, o.byWhen, actor.id],
      );
      outcomeIds.push(row.id);
    }
    for (const a of content.actions) {
      await tx.query(
        `INSERT INTO plan_action (plan_id, outcome_id, who, what, by_when, created_by_id, updated_by_id)
         VALUES ($1, $2, $3, $4, $5, $6, $6)`,
        [plan.id, a.outcomeIndex === undefined || a.outcomeIndex === null ? null : outcomeIds[a.outcomeIndex], a.who, a.what, a.byWhen, actor.id],
      );
    }
    await tx.query(`INSERT INTO plan_revision (plan_id, version, content, changed_by_id) VALUES ($1, $2, $3::jsonb, $4)`, [
      plan.id, plan.version, JSON.stringify(revisionContent(content)), actor.id,
    ]);
  }

}

import type { EntityManager } from 'typeorm';
import type { Actor } from '../identity/actor';
import { camelRow, camelRows, Params } from '../../shared/db/sql';
import { updateVersioned } from '../../shared/db/versioned';
import { Idempotent, idempotent } from '../../shared/db/idempotency';
import { badInput, DomainError, FieldProblem, notFound } from '../../shared/errors';
import { addCalendarDays, addMonths } from '../../shared/clock/timescales';
import type { IsoDate } from '../../shared/clock/calendar';
import { AuditResult } from '../audit/audit.entity';
import { Access } from '../child/child.scope';
import { contentProblems, eventDateProblems } from '../plan';
import { Plan, PlanType } from '../plan/plan.entity';
import type { EarlyHelpDeps } from './early-help.deps';
import {
  EarlyHelpAssessment, EarlyHelpEpisode, EarlyHelpOutcome, EarlyHelpSetting, EarlyHelpStatus, SupportingFamiliesNeed,
  TeamAroundFamilyMeeting,
} from './early-help.entity';
import { EarlyHelpError } from './early-help.errors';
import { earlyHelpScope, earlyHelpUnrestricted } from './early-help.scope';
import type {
  CloseEarlyHelpEpisodeInput, RecordTeamAroundFamilyMeetingInput, ReviewFamilyPlanInput, StartFamilyPlanInput,
  SubmitEarlyHelpAssessmentInput,
} from './work.types';

/** Rows of an `UPDATE … RETURNING` (TypeORM answers [rows, affected] on PostgreSQL). */
const returned = (result: unknown[]) => (Array.isArray(result[0]) ? result[0] : result) as Record<string, unknown>[];

/**
 * Closes an early help episode in the caller's transaction (closeEarlyHelpEpisode, and stepUpToSocialCare with
 * STEPPED_UP): the episode CLOSED with its date, outcome, summary and progress (at `expectedVersion`, else
 * STALE_VERSION), the open provider referral CLOSED (so the provider's access ends), the active family plan ended, each
 * audited. The caller has read the episode with forChange and validated the closure (closedOn not before the work or
 * the family plan started).
 */
export async function closeEarlyHelpEpisodeInTx(
  deps: EarlyHelpDeps,
  tx: EntityManager,
  actor: Actor,
  episode: EarlyHelpEpisode,
  closure: {
    closedOn: string;
    outcome: EarlyHelpOutcome;
    summary: string;
    progress: { need: SupportingFamiliesNeed; rating: string; comment: string }[];
    expectedVersion: number;
  },
): Promise<EarlyHelpEpisode> {
  const closed = await updateVersioned<EarlyHelpEpisode>(tx, 'early_help_episode', episode.id, closure.expectedVersion, {
    status: EarlyHelpStatus.CLOSED,
    closedOn: closure.closedOn,
    outcome: closure.outcome,
    closureSummary: closure.summary,
    closureProgress: JSON.stringify(closure.progress.map((p) => ({ need: p.need, rating: p.rating, comment: p.comment }))),
  }, actor.id);
  const referrals = returned(await tx.query(
    `UPDATE early_help_referral SET status = 'CLOSED', closed_on = $2, version = version + 1, updated_at = now(), updated_by_id = $3
     WHERE episode_id = $1 AND status IN ('OFFERED', 'ACCEPTED') RETURNING id`,
    [episode.id, closure.closedOn, actor.id],
  ));
  const [plan] = camelRows<Plan>(
    await tx.query(`SELECT * FROM plan WHERE early_help_episode_id = $1 AND status = 'ACTIVE' FOR UPDATE`, [episode.id]),
  );
  if (plan) await deps.plans.endInTx(tx, actor, plan, closure.closedOn, `Early help closed (${closure.outcome})`);
  await deps.audit.recordMany(tx, actor, [
    {
      action: 'earlyHelp.closed', entity: 'early_help_episode', entityId: episode.id, childId: episode.primaryChildId,
      fields: ['status', 'closedOn', 'outcome', 'closureSummary', 'closureProgress'],
    },
    ...referrals.map((r) => ({
      action: 'earlyHelpReferral.closed', entity: 'early_help_referral', entityId: r.id as string, childId: episode.primaryChildId,
      fields: ['status', 'closedOn'],
    })),
  ]);
  return closed;
}

/** Outcomes a family never worked with (REQUESTED or OFFERED) may close with. */
const BEFORE_WORK_OUTCOMES: readonly EarlyHelpOutcome[] = [
  EarlyHelpOutcome.CONSENT_WITHDRAWN, EarlyHelpOutcome.MOVED_AWAY, EarlyHelpOutcome.NO_FURTHER_ACTION,
];

/**
 * The early help work, once a provider (or the council) has taken the family on: the assessment, team-around-the-family
 * meetings, the family plan and its reviews, and closure. Every change is one transaction and a provider submission:
 * it runs once per idempotency key, and a retry with the same key and content gets the first result back, read again
 * through a scoped predicate. The episode is read (scoped) before the key is looked at, so a retry after the provider's
 * access ended is NOT_FOUND; closure alone answers its own retry, as it is what ends the access (still not past a
 * restriction).
 */
export class EarlyHelpWorkService {
  constructor(readonly deps: EarlyHelpDeps) {}

  /** A new assessment, or (assessmentId with expectedVersion) a change to one; the reason is required (by the input). */
  async submitAssessment(actor: Actor, input: SubmitEarlyHelpAssessmentInput): Promise<Idempotent<EarlyHelpAssessment>> {
    const today = this.deps.calendar.today();
    const problems = [
      ...eventDateProblems('startedOn', input.startedOn, today),
      ...(input.completedOn
        ? eventDateProblems('completedOn', input.completedOn, today, { date: input.startedOn, what: 'the assessment started' })
        : []),
      ...input.needs
        .map((n, i) => ({ n, i }))
        .filter(({ n, i }) => input.needs.findIndex((o) => o.need === n.need) !== i)
        .map(({ i }) => ({ field: `needs.${i}.need`, message: 'is named twice' })),
    ];
    if (input.assessmentId && !input.expectedVersion) problems.push({ field: 'expectedVersion', message: 'is required to change an assessment' });
    if (problems.length) throw badInput(problems);
    return this.deps.db.transaction(async (tx) => {
      const episode = await this.deps.earlyHelp.forChange(tx, actor, input.episodeId);
      const load = this.ofEpisode<EarlyHelpAssessment>(tx, 'early_help_assessment', 'episode_id', episode.id);
      return this.once(tx, actor, input, 'submitEarlyHelpAssessment', 'early_help_assessment', () => episode.primaryChildId, load, async () => {
        await this.assertInWork(tx, actor, episode);
        if (input.startedOn < episode.requestedOn) {
          throw badInput([{ field: 'startedOn', message: `must not be before the request for support (${episode.requestedOn})` }]);
        }
        const values = {
          reason: input.reason, needs: JSON.stringify(input.needs.map((n) => ({ need: n.need, description: n.description }))),
          strengths: input.strengths, livedExperience: input.livedExperience, childVoice: input.childVoice, analysis: input.analysis,
          startedOn: input.startedOn, completedOn: input.completedOn ?? null,
        };
        const completedByProviderId = actor.providerId ?? null;
        let assessment: EarlyHelpAssessment;
        let fields = Object.keys(values);
        if (input.assessmentId) {
          // Only the organisation that wrote it (the council: none) changes it, and it stays theirs.
          const own = await tx.query(
            `SELECT 1 FROM early_help_assessment WHERE id = $1 AND episode_id = $2 AND completed_by_provider_id IS NOT DISTINCT FROM $3`,
            [input.assessmentId, episode.id, completedByProviderId],
          );
          if (!own.length) {
            await this.deps.audit.record(this.deps.db, actor, {
              action: 'earlyHelpAssessment.changeDenied', entity: 'early_help_assessment', entityId: input.assessmentId,
              result: AuditResult.DENIED,
            });
            throw notFound();
          }
          assessment = await updateVersioned<EarlyHelpAssessment>(
            tx, 'early_help_assessment', input.assessmentId, input.expectedVersion as number, values, actor.id,
          );
        } else {
          fields = [...fields, 'completedByProviderId'];
          const [row] = await tx.query(
            `INSERT INTO early_help_assessment (episode_id, reason, needs, strengths, lived_experience, child_voice, analysis, started_on,
                                                completed_on, completed_by_provider_id, created_by_id, updated_by_id)
             VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING *`,
            [
              episode.id, values.reason, values.needs, values.strengths, values.livedExperience, values.childVoice, values.analysis,
              values.startedOn, values.completedOn, completedByProviderId, actor.id,
            ],
          );
          assessment = camelRow<EarlyHelpAssessment>(row);
        }
        await this.deps.audit.record(tx, actor, {
          action: 'earlyHelpAssessment.submitted', entity: 'early_help_assessment', entityId: assessment.id, childId: episode.primaryChildId,
          fields,
        });
        // Needs the assessment identifies join the episode's: closure reports progress against every one of them.
        const found = input.needs.map((n) => n.need).filter((n) => !episode.needs.includes(n));
        if (found.length) {
          await updateVersioned(tx, 'early_help_episode', episode.id, episode.version, { needs: [...episode.needs, ...found] }, actor.id);
          await this.deps.audit.record(tx, actor, {
            action: 'earlyHelp.needsUpdated', entity: 'early_help_episode', entityId: episode.id, childId: episode.primaryChildId,
            fields: ['needs'],
          });
        }
        return assessment;
      });
    });
  }

  /** A team-around-the-family meeting (append-only). */
  async recordMeeting(actor: Actor, input: RecordTeamAroundFamilyMeetingInput): Promise<Idempotent<TeamAroundFamilyMeeting>> {
    const problems = eventDateProblems('heldOn', input.heldOn, this.deps.calendar.today());
    if (input.nextMeetingOn && input.nextMeetingOn <= input.heldOn) problems.push({ field: 'nextMeetingOn', message: 'must be after the meeting' });
    if (problems.length) throw badInput(problems);
    return this.deps.db.transaction(async (tx) => {
      const episode = await this.deps.earlyHelp.forChange(tx, actor, input.episodeId);
      const load = this.ofEpisode<TeamAroundFamilyMeeting>(tx, 'team_around_family_meeting', 'episode_id', episode.id);
      return this.once(tx, actor, input, 'recordTeamAroundFamilyMeeting', 'team_around_family_meeting', () => episode.primaryChildId, load, async () => {
        await this.assertInWork(tx, actor, episode);
        this.assertNotBeforeWork(episode, 'heldOn', input.heldOn);
        const [row] = await tx.query(
          `INSERT INTO team_around_family_meeting (episode_id, held_on, attendees, family_present, decisions, next_meeting_on,
                                                   created_by_id, updated_by_id)
           VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $7) RETURNING *`,
          [
            episode.id, input.heldOn, JSON.stringify(input.attendees.map((a) => ({ name: a.name, agency: a.agency, role: a.role ?? null }))),
            input.familyPresent, input.decisions, input.nextMeetingOn ?? null, actor.id,
          ],
        );
        const meeting = camelRow<TeamAroundFamilyMeeting>(row);
        await this.deps.audit.record(tx, actor, {
          action: 'teamAroundFamilyMeeting.recorded', entity: 'team_around_family_meeting', entityId: meeting.id,
          childId: episode.primaryChildId, fields: ['heldOn', 'attendees', 'familyPresent', 'decisions', 'nextMeetingOn'],
        });
        return meeting;
      });
    });
  }

  /** The family plan (the plan model, type EARLY_HELP, on the episode's primary child); first review per plan_type_setting. */
  async startFamilyPlan(actor: Actor, input: StartFamilyPlanInput): Promise<Idempotent<Plan>> {
    const problems = [
      ...eventDateProblems('startDate', input.startDate, this.deps.calendar.today()),
      ...contentProblems(input.content, input.startDate, 'content'),
    ];
    if (problems.length) throw badInput(problems);
    return this.deps.db.transaction(async (tx) => {
      const episode = await this.deps.earlyHelp.forChange(tx, actor, input.episodeId);
      const load = this.ofEpisode<Plan>(tx, 'plan', 'early_help_episode_id', episode.id);
      return this.once(tx, actor, input, 'startFamilyPlan', 'plan', (p) => p.childId, load, async () => {
        await this.assertInWork(tx, actor, episode);
        this.assertNotBeforeWork(episode, 'startDate', input.startDate);
        const setting = await this.deps.plans.setting(tx, PlanType.EARLY_HELP);
        return this.deps.plans.startInTx(tx, actor, {
          childId: episode.primaryChildId,
          episodeId: null,
          earlyHelpEpisodeId: episode.id,
          type: PlanType.EARLY_HELP,
          startDate: input.startDate,
          content: input.content,
          nextReviewDue: addMonths(input.startDate, setting.reviewEveryMonths),
        });
      });
    });
  }

  /** A review of the family plan (PlanService.reviewInTx), while the early help work is in progress. */
  async reviewFamilyPlan(actor: Actor, input: ReviewFamilyPlanInput): Promise<Idempotent<Plan>> {
    return this.deps.db.transaction(async (tx) => {
      const [link] = await tx.query(`SELECT early_help_episode_id FROM plan WHERE id = $1 AND type = 'EARLY_HELP'`, [input.planId]);
      if (!link?.early_help_episode_id) {
        await this.deps.audit.record(this.deps.db, actor, {
          action: 'plan.changeDenied', entity: 'plan', entityId: input.planId, result: AuditResult.DENIED,
        });
        throw notFound();
      }
      const episode = await this.deps.earlyHelp.forChange(tx, actor, link.early_help_episode_id);
      const plan = camelRow<Plan>((await tx.query(`SELECT * FROM plan WHERE id = $1 FOR UPDATE`, [input.planId]))[0]);
      const load = this.ofEpisode<Plan>(tx, 'plan', 'early_help_episode_id', episode.id);
      return this.once(tx, actor, input, 'reviewFamilyPlan', 'plan', (p) => p.childId, load, async () => {
        await this.assertInWork(tx, actor, episode);
        const { planId: _id, idempotencyKey: _key, ...review } = input;
        return this.deps.plans.reviewInTx(tx, actor, plan, review);
      });
    });
  }

  /**
   * Closure with an outcome (not STEPPED_UP) and progress on every need of the episode, once each. A family never
   * worked with (REQUESTED or OFFERED) closes only as consent withdrawn, moved away or no further action, with no
   * progress needed. The council closes from REQUESTED, OFFERED or IN_WORK; a provider only its own work in progress.
   * The key is taken before the episode is read: the provider's access ends with the closure, and its retry still gets
   * the closed episode back, unless a child or the family has since been restricted to others (NOT_FOUND).
   */
  async closeEpisode(actor: Actor, input: CloseEarlyHelpEpisodeInput): Promise<Idempotent<EarlyHelpEpisode>> {
    const problems = eventDateProblems('closedOn', input.closedOn, this.deps.calendar.today());
    if (problems.length) throw badInput(problems);
    return this.deps.db.transaction(async (tx) => {
      const load = (id: string) => this.closedForReplay(tx, actor, id);
      return this.once(tx, actor, input, 'closeEarlyHelpEpisode', 'early_help_episode', (e) => e.primaryChildId, load, async () => {
        const episode = await this.deps.earlyHelp.forChange(tx, actor, input.episodeId);
        if (actor.providerId) await this.assertInWork(tx, actor, episode);
        else if (episode.status === EarlyHelpStatus.CLOSED) throw new DomainError(EarlyHelpError.WRONG_STAGE, 'The episode is already closed');
        if (this.beforeWork(episode) && !BEFORE_WORK_OUTCOMES.includes(input.outcome)) {
          throw badInput([{ field: 'outcome', message: `a family never worked with closes only as ${BEFORE_WORK_OUTCOMES.join(', ')}` }]);
        }
        const [plan] = await tx.query(`SELECT start_date FROM plan WHERE early_help_episode_id = $1 AND status = 'ACTIVE'`, [episode.id]);
        if (plan && input.closedOn < plan.start_date) {
          throw badInput([{ field: 'closedOn', message: `must not be before the family plan started (${plan.start_date})` }]);
        }
        this.assertNotBeforeWork(episode, 'closedOn', input.closedOn);
        this.assertProgress(episode, input);
        return closeEarlyHelpEpisodeInTx(this.deps, tx, actor, episode, input);
      });
    });
  }

  // ---- due dates (episode relations) ----

  /** The assessment is due `assessmentDueWorkingDays` working days after work started, until one is completed. */
  assessmentDueOn(episode: EarlyHelpEpisode, assessments: EarlyHelpAssessment[], setting: EarlyHelpSetting): IsoDate | null {
    if (episode.status !== EarlyHelpStatus.IN_WORK || !episode.workStartedOn || assessments.some((a) => a.completedOn)) return null;
    return this.deps.calendar.addWorkingDays(episode.workStartedOn, setting.assessmentDueWorkingDays);
  }

  /** The next team-around-the-family meeting: `meetingEveryWeeks` after the last one (or after work started). */
  nextMeetingDueOn(episode: EarlyHelpEpisode, meetingsNewestFirst: TeamAroundFamilyMeeting[], setting: EarlyHelpSetting): IsoDate | null {
    if (episode.status !== EarlyHelpStatus.IN_WORK || !episode.workStartedOn) return null;
    return addCalendarDays(meetingsNewestFirst[0]?.heldOn ?? episode.workStartedOn, setting.meetingEveryWeeks * 7);
  }

  // ---- internals ----

  /**
   * `write` once per idempotency key (shared/db/idempotency.ts). A retry gets the first result, read again by the scoped
   * `load` (null: NOT_FOUND, the denial audited outside the transaction); it writes nothing but a `submission.replayed`
   * audit row (the record is shown again).
   */
  private async once<T extends { id: string }>(
    tx: EntityManager,
    actor: Actor,
    input: { idempotencyKey: string },
    operation: string,
    table: string,
    childOf: (value: T) => string,
    load: (id: string) => Promise<T | null>,
    write: () => Promise<T>,
  ): Promise<Idempotent<T>> {
    const { idempotencyKey, ...content } = input;
    const reload = async (id: string) => {
      const found = await load(id);
      if (found) return found;
      await this.deps.audit.record(this.deps.db, actor, {
        action: 'submission.replayDenied', entity: table, entityId: id, result: AuditResult.DENIED, fields: [operation],
      });
      throw notFound();
    };
    const result = await idempotent(tx, actor, idempotencyKey, operation, content, write, reload);
    if (result.replayed) {
      await this.deps.audit.record(tx, actor, {
        action: 'submission.replayed', entity: table, entityId: result.value.id, childId: childOf(result.value), fields: [operation],
      });
    }
    return result;
  }

  /** A record of `table` by id, only if it belongs to the episode the actor has just read with forChange. */
  private ofEpisode<T>(tx: EntityManager, table: string, episodeColumn: string, episodeId: string) {
    return async (id: string): Promise<T | null> => {
      const [row] = await tx.query(`SELECT * FROM ${table} WHERE id = $1 AND ${episodeColumn} = $2`, [id, episodeId]);
      return row ? camelRow<T>(row) : null;
    };
  }

  /**
   * A closure's retry: the episode if in the actor's scope or, for provider staff whose closure ended their referral,
   * if it is closed with their organisation's referral and no child or family of it is restricted to others.
   */
  private async closedForReplay(tx: EntityManager, actor: Actor, id: string): Promise<EarlyHelpEpisode | null> {
    const p = new Params();
    const ended = actor.providerId
      ? `OR (e.status = 'CLOSED' AND ${earlyHelpUnrestricted(actor, p, 'e')}
             AND EXISTS (SELECT 1 FROM early_help_referral r WHERE r.episode_id = e.id AND r.provider_id = ${p.add(actor.providerId)}
                           AND r.status = 'CLOSED'))`
      : '';
    const [row] = await tx.query(
      `SELECT e.* FROM early_help_episode e WHERE e.id = ${p.add(id)} AND (${earlyHelpScope(actor, p, 'e', Access.READ)} ${ended})`,
      p.values,
    );
    return row ? camelRow<EarlyHelpEpisode>(row) : null;
  }

  private beforeWork(episode: EarlyHelpEpisode): boolean {
    return episode.status === EarlyHelpStatus.REQUESTED || episode.status === EarlyHelpStatus.OFFERED;
  }

  /** Work in progress: IN_WORK and, for provider staff, the referral to their organisation ACCEPTED (not just offered). */
  private async assertInWork(tx: EntityManager, actor: Actor, episode: EarlyHelpEpisode): Promise<void> {
    if (episode.status !== EarlyHelpStatus.IN_WORK) {
      throw new DomainError(EarlyHelpError.WRONG_STAGE, 'The early help work is not in progress (not yet accepted, or closed)');
    }
    if (actor.providerId) {
      const accepted = await tx.query(
        `SELECT 1 FROM early_help_referral WHERE episode_id = $1 AND provider_id = $2 AND status = 'ACCEPTED'`,
        [episode.id, actor.providerId],
      );
      if (!accepted.length) throw new DomainError(EarlyHelpError.WRONG_STAGE, 'Your organisation has not accepted this family');
    }
  }

  private assertNotBeforeWork(episode: EarlyHelpEpisode, field: string, date: IsoDate): void {
    const started = episode.workStartedOn ?? episode.requestedOn;
    if (date < started) {
      const what = episode.workStartedOn ? 'the work started' : 'the request for support';
      throw badInput([{ field, message: `must not be before ${what} (${started})` }]);
    }
  }

  /** Progress on every need of the episode, once each; none needed before work started. */
  private assertProgress(episode: EarlyHelpEpisode, input: CloseEarlyHelpEpisodeInput): void {
    if (this.beforeWork(episode) && input.progress.length === 0) return;
    const needs = new Set(episode.needs);
    const unknown: FieldProblem[] = input.progress
      .map((p, i) => ({ p, i }))
      .filter(({ p }) => !needs.has(p.need))
      .map(({ i }) => ({ field: `progress.${i}.need`, message: 'is not one of the episode’s needs' }));
    if (unknown.length) throw badInput(unknown);
    const rated = new Set(input.progress.map((p) => p.need));
    if (rated.size !== input.progress.length || rated.size !== needs.size) {
      throw new DomainError(EarlyHelpError.PROGRESS_INCOMPLETE, `Report progress on every need of the episode, once each (${[...needs].join(', ')})`);
    }
  }
}

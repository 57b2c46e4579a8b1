import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { AuditWriter } from '../audit/audit.writer';
import type { CalendarService } from '../calendar/calendar.service';
import type { ChildService } from '../child/child.service';
import type { EpisodeService } from '../episode/episode.service';
import { contentProblems, eventDateProblems, PlanService } from '../plan';
import { Plan, PlanStatus, PlanType } from '../plan/plan.entity';
import { camelRow } from '../../shared/db/sql';
import { isUniqueViolation, updateVersioned } from '../../shared/db/versioned';
import { badInput, DomainError, FieldProblem } from '../../shared/errors';
import { initialConferenceTarget, reviewConferenceDue } from '../../shared/clock/timescales';
import {
  ChildProtectionConference, ConferenceDecision, ConferenceKind, Section47, Section47Status, StrategyDecision, StrategyDiscussion,
} from './child-protection.entity';
import { ChildProtectionError } from './child-protection.errors';
import { Section47Outcome } from './child-protection.types';
import type {
  ConcludeSection47Input, RecordChildProtectionConferenceInput, RecordStrategyDiscussionInput, StartSection47Input,
} from './child-protection.types';

const INITIAL_DECISIONS = [ConferenceDecision.PLAN, ConferenceDecision.NO_PLAN];
const REVIEW_DECISIONS = [ConferenceDecision.CONTINUE, ConferenceDecision.END_PLAN];
const CP_PLAN_STARTED = 'Child protection plan started';
const CP_PLAN_ENDED = 'Ended at a review child protection conference';

/** Strategy discussions, section 47 enquiries and child protection conferences. */
export class ChildProtectionService {
  constructor(
    readonly db: DataSource,
    readonly audit: AuditWriter,
    readonly calendar: CalendarService,
    readonly children: ChildService,
    readonly episodes: EpisodeService,
    readonly plans: PlanService,
  ) {}

  async recordStrategyDiscussion(actor: Actor, input: RecordStrategyDiscussionInput): Promise<StrategyDiscussion> {
    const problems = eventDateProblems('heldOn', input.heldOn, this.calendar.today());
    const agencies = new Set(input.participants.map((x) => x.agency.trim().toLowerCase()));
    if (agencies.size < 2) problems.push({ field: 'participants', message: 'a strategy discussion needs at least two agencies' });
    if (problems.length) throw badInput(problems);
    return this.db.transaction(async (tx) => {
      const child = await this.children.forChange(tx, actor, input.childId);
      const episode = await this.openEpisode(tx, child.id);
      const before = eventDateProblems('heldOn', input.heldOn, this.calendar.today(), {
        date: episode.startDate, what: 'the episode of need started',
      });
      if (before.length) throw badInput(before);
      const [row] = await tx.query(
        `INSERT INTO strategy_discussion (child_id, episode_id, held_on, participants, decision, rationale, created_by_id, updated_by_id)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $7) RETURNING *`,
        [
          child.id, episode.id, input.heldOn,
          JSON.stringify(input.participants.map((x) => ({ agency: x.agency, name: x.name, role: x.role ?? null }))),
          input.decision, input.rationale, actor.id,
        ],
      );
      const discussion = camelRow<StrategyDiscussion>(row);
      await this.audit.record(tx, actor, {
        action: 'strategyDiscussion.recorded', entity: 'strategy_discussion', entityId: discussion.id, childId: child.id,
        fields: ['heldOn', 'participants', 'decision', 'rationale'],
      });
      return discussion;
    });
  }

  /** Starts the enquiry a strategy discussion decided on; the initial conference is due 15 working days after the discussion. */
  async startSection47(actor: Actor, input: StartSection47Input): Promise<Section47> {
    const future = eventDateProblems('startDate', input.startDate, this.calendar.today());
    if (future.length) throw badInput(future);
    return this.db.transaction(async (tx) => {
      const discussion = await this.children.recordForChange<StrategyDiscussion>(
        tx, actor, 'strategy_discussion', input.strategyDiscussionId, 'strategyDiscussion',
      );
      if (discussion.decision !== StrategyDecision.START_SECTION_47) {
        throw new DomainError(ChildProtectionError.SECTION47_NOT_DECIDED, 'The strategy discussion did not decide to start a section 47 enquiry');
      }
      const existing = await tx.query(`SELECT 1 FROM section47 WHERE strategy_discussion_id = $1`, [discussion.id]);
      if (existing.length) throw this.alreadyStarted();
      const episode = await this.openEpisode(tx, discussion.childId);
      if (episode.id !== discussion.episodeId) {
        throw new DomainError(ChildProtectionError.NEEDS_OPEN_EPISODE, 'The episode of need of the strategy discussion is closed');
      }
      const before = eventDateProblems('startDate', input.startDate, this.calendar.today(), {
        date: discussion.heldOn, what: 'the strategy discussion',
      });
      if (before.length) throw badInput(before);
      const icpcTargetDate = initialConferenceTarget(this.calendar, discussion.heldOn);
      let row: Record<string, unknown>;
      try {
        [row] = await tx.query(
          `INSERT INTO section47 (child_id, episode_id, strategy_discussion_id, start_date, icpc_target_date, created_by_id, updated_by_id)
           VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING *`,
          [discussion.childId, discussion.episodeId, discussion.id, input.startDate, icpcTargetDate, actor.id],
        );
      } catch (err) {
        if (isUniqueViolation(err)) throw this.alreadyStarted();
        throw err;
      }
      const s47 = camelRow<Section47>(row);
      await this.audit.record(tx, actor, {
        action: 'section47.started', entity: 'section47', entityId: s47.id, childId: s47.childId,
        fields: ['strategyDiscussionId', 'startDate', 'icpcTargetDate'],
      });
      return s47;
    });
  }

  /** Concludes an open enquiry without a conference (ICPCnotRequired), with the reason. */
  async concludeSection47(actor: Actor, input: ConcludeSection47Input): Promise<Section47> {
    return this.db.transaction(async (tx) => {
      const s47 = await this.children.recordForChange<Section47>(tx, actor, 'section47', input.id, 'section47');
      if (s47.status !== Section47Status.OPEN) throw this.notOpen();
      const updated = await updateVersioned<Section47>(tx, 'section47', s47.id, input.expectedVersion, {
        status: Section47Status.CONCLUDED,
        // The one way an enquiry concludes without a conference; a conference concludes it by recording the ICPC.
        conferenceNotRequired: input.outcome === Section47Outcome.CONFERENCE_NOT_REQUIRED,
        notRequiredReason: input.reason,
        concludedOn: this.calendar.today(),
      }, actor.id);
      await this.audit.record(tx, actor, {
        action: 'section47.concluded', entity: 'section47', entityId: s47.id, childId: s47.childId,
        fields: ['status', 'conferenceNotRequired', 'notRequiredReason', 'concludedOn'],
      });
      return updated;
    });
  }

  /**
   * An initial conference (concludes the enquiry; PLAN starts the CP plan on the day, ending a CIN plan) or a review
   * conference (CONTINUE: next review in 6 months; END_PLAN: the plan ends on the day). The chair is the session actor.
   */
  async recordConference(actor: Actor, input: RecordChildProtectionConferenceInput): Promise<ChildProtectionConference> {
    const problems = this.conferenceInputProblems(input);
    if (problems.length) throw badInput(problems);
    return this.db.transaction(async (tx) => {
      const child = await this.children.forChange(tx, actor, input.childId);
      const episode = await this.openEpisode(tx, child.id);
      let dueBy: string | null;
      let planId: string | null = null;
      let category: string | null = input.category ?? null;
      if (input.kind === ConferenceKind.INITIAL) {
        const [row] = await tx.query(`SELECT * FROM section47 WHERE id = $1 AND child_id = $2 FOR UPDATE`, [input.section47Id, child.id]);
        if (!row) throw badInput([{ field: 'section47Id', message: "is not a section 47 enquiry on this child's record" }]);
        const s47 = camelRow<Section47>(row);
        if (s47.status !== Section47Status.OPEN) throw this.notOpen();
        this.assertHeldOn(input.heldOn, s47.startDate, 'the section 47 enquiry started');
        await updateVersioned<Section47>(tx, 'section47', s47.id, s47.version, {
          icpcDate: input.heldOn, status: Section47Status.CONCLUDED, concludedOn: input.heldOn,
        }, actor.id);
        await this.audit.record(tx, actor, {
          action: 'section47.concluded', entity: 'section47', entityId: s47.id, childId: child.id, fields: ['icpcDate', 'status', 'concludedOn'],
        });
        dueBy = s47.icpcTargetDate;
        if (input.decision === ConferenceDecision.PLAN) {
          const content = input.plan!;
          const cin = await this.plans.activeInTx(tx, child.id, PlanType.CHILD_IN_NEED);
          if (cin) {
            if (cin.startDate > input.heldOn) {
              throw badInput([{ field: 'heldOn', message: `must not be before the child in need plan started (${cin.startDate})` }]);
            }
            await this.plans.endInTx(tx, actor, cin, input.heldOn, CP_PLAN_STARTED);
          }
          const plan = await this.plans.startInTx(tx, actor, {
            childId: child.id,
            episodeId: episode.id,
            type: PlanType.CHILD_PROTECTION,
            startDate: input.heldOn,
            content,
            category,
            nextReviewDue: reviewConferenceDue(input.heldOn, 'INITIAL'),
          });
          planId = plan.id;
        }
      } else {
        let plan: Plan | null = await this.plans.ofChildInTx(tx, child.id, input.planId!);
        if (!plan) throw badInput([{ field: 'planId', message: "is not a plan on this child's record" }]);
        if (plan.type !== PlanType.CHILD_PROTECTION || plan.status !== PlanStatus.ACTIVE) {
          throw new DomainError(ChildProtectionError.CONFERENCE_PLAN_NOT_ACTIVE, 'A review conference needs an active child protection plan');
        }
        this.assertHeldOn(input.heldOn, plan.startDate, 'the plan started');
        dueBy = plan.nextReviewDue;
        planId = plan.id;
        if (input.decision === ConferenceDecision.CONTINUE) {
          if (category && category !== plan.latestCategory) plan = await this.plans.setLatestCategoryInTx(tx, actor, plan, category);
          await this.plans.setNextReviewDueInTx(tx, actor, plan, reviewConferenceDue(input.heldOn, 'REVIEW'));
        } else {
          await this.plans.endInTx(tx, actor, plan, input.heldOn, CP_PLAN_ENDED);
        }
        category = category ?? plan.latestCategory;
      }
      const [row] = await tx.query(
        `INSERT INTO child_protection_conference (child_id, episode_id, kind, section47_id, plan_id, held_on, chair_id, attendees, decision,
                                                  category, rationale, due_by, created_by_id, updated_by_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $7, $7) RETURNING *`,
        [
          child.id, episode.id, input.kind, input.kind === ConferenceKind.INITIAL ? input.section47Id : null, planId, input.heldOn, actor.id,
          JSON.stringify(input.attendees.map((a) => ({ agency: a.agency, name: a.name, role: a.role ?? null, attended: a.attended }))),
          input.decision, category, input.rationale, dueBy,
        ],
      );
      const conference = camelRow<ChildProtectionConference>(row);
      await this.audit.record(tx, actor, {
        action: 'conference.recorded', entity: 'child_protection_conference', entityId: conference.id, childId: child.id,
        fields: [
          'kind', input.kind === ConferenceKind.INITIAL ? 'section47Id' : 'planId', 'heldOn', 'chairId', 'attendees', 'decision',
          ...(category ? ['category'] : []), 'rationale', 'dueBy',
        ],
      });
      return conference;
    });
  }

  // ---- internals ----

  /** Problems with the input alone (before anything is read). */
  private conferenceInputProblems(input: RecordChildProtectionConferenceInput): FieldProblem[] {
    const problems = eventDateProblems('heldOn', input.heldOn, this.calendar.today());
    const initial = input.kind === ConferenceKind.INITIAL;
    if (initial && !input.section47Id) problems.push({ field: 'section47Id', message: 'an initial conference needs the section 47 enquiry' });
    if (!initial && !input.planId) problems.push({ field: 'planId', message: 'a review conference needs the child protection plan' });
    if (!(initial ? INITIAL_DECISIONS : REVIEW_DECISIONS).includes(input.decision)) {
      problems.push({ field: 'decision', message: `must be ${(initial ? INITIAL_DECISIONS : REVIEW_DECISIONS).join(' or ')} at this conference` });
    }
    const startsPlan = initial && input.decision === ConferenceDecision.PLAN;
    if (startsPlan && !input.category) problems.push({ field: 'category', message: 'a child protection plan needs a category of abuse' });
    if (startsPlan && !input.plan) problems.push({ field: 'plan', message: 'a child protection plan needs its content' });
    if (!startsPlan && input.plan) problems.push({ field: 'plan', message: 'only an initial conference deciding PLAN starts a plan' });
    if (initial && input.decision === ConferenceDecision.NO_PLAN && input.category) {
      problems.push({ field: 'category', message: 'no category of abuse without a plan' });
    }
    if (startsPlan && input.plan) problems.push(...contentProblems(input.plan, input.heldOn, 'plan'));
    return problems;
  }

  private assertHeldOn(heldOn: string, earliest: string, what: string) {
    const problems = eventDateProblems('heldOn', heldOn, this.calendar.today(), { date: earliest, what });
    if (problems.length) throw badInput(problems);
  }

  private async openEpisode(tx: EntityManager, childId: string) {
    const episode = await this.episodes.openEpisodeOf(tx, childId, true);
    if (!episode) throw new DomainError(ChildProtectionError.NEEDS_OPEN_EPISODE, 'The child has no open episode of need');
    return episode;
  }

  private alreadyStarted() {
    return new DomainError(ChildProtectionError.SECTION47_ALREADY_STARTED, 'A section 47 enquiry was already started from this strategy discussion');
  }

  private notOpen() {
    return new DomainError(ChildProtectionError.SECTION47_NOT_OPEN, 'The section 47 enquiry is concluded');
  }
}


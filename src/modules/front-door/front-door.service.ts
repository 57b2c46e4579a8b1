import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../identity/actor';
import { CaseScope } from '../identity/permissions';
import { AuditWriter } from '../audit/audit.writer';
import { AuditResult } from '../audit/audit.entity';
import type { ChildAllocator, ChildService } from '../child/child.service';
import { Access, childFullScope } from '../child/child.scope';
import type { CalendarService } from '../calendar/calendar.service';
import { camelRow, camelRows, Params } from '../../shared/db/sql';
import { isUniqueViolation, updateVersioned } from '../../shared/db/versioned';
import { badInput, DomainError, ErrorCode, notFound, staleVersion } from '../../shared/errors';
import { londonDate } from '../../shared/clock/calendar';
import { Allocation, Contact, Referral, ReferralDecision } from './front-door.entity';
import type { AllocateCaseInput, CreateReferralInput, DecideReferralInput, RecordContactInput } from './front-door.types';

/** Decisions that keep the referral open as an episode of need (the others close it at decision). */
const OPENS_EPISODE: ReferralDecision[] = [ReferralDecision.ASSESSMENT, ReferralDecision.STRATEGY_DISCUSSION];

export interface EpisodeOpener {
  openForReferralInTx(tx: EntityManager, actor: Actor, referral: Referral): Promise<void>;
}
const EARLIEST_RECEIPT = Date.parse('2000-01-01T00:00:00Z');

/** The front door: contacts, referrals and their decision within 1 working day, and allocation with history. */
export class FrontDoorService implements ChildAllocator {
  private children!: ChildService;

  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditWriter,
    private readonly calendar: CalendarService,
  ) {}

  private episodes!: EpisodeOpener;

  /** Wired after construction: the child service and this one call each other. */
  useChildService(children: ChildService) {
    this.children = children;
  }

  /** Wired after construction: a referral that is not closed at decision opens an episode of need. */
  useEpisodes(episodes: EpisodeOpener) {
    this.episodes = episodes;
  }

  async recordContact(actor: Actor, input: RecordContactInput): Promise<Contact> {
    this.checkReceivedAt(input.receivedAt, 'receivedAt');
    return this.db.transaction(async (tx) => {
      const child = await this.recordable(tx, actor, input.childId);
      const [row] = await tx.query(
        `INSERT INTO contact (child_id, received_at, source_code, summary, outcome, created_by_id, updated_by_id)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING *`,
        [child.id, input.receivedAt, input.sourceCode, input.summary, input.outcome, actor.id],
      );
      const contact = camelRow<Contact>(row);
      await this.audit.record(tx, actor, {
        action: 'contact.recorded', entity: 'contact', entityId: contact.id, childId: child.id,
        fields: ['receivedAt', 'sourceCode', 'summary', 'outcome'],
      });
      return contact;
    });
  }

  async createReferral(actor: Actor, input: CreateReferralInput): Promise<Referral> {
    this.checkReceivedAt(input.receivedAt, 'receivedAt');
    return this.db.transaction(async (tx) => {
      const child = await this.recordable(tx, actor, input.childId);
      return this.createReferralInTx(tx, actor, child.id, input, { holdForTeam: true });
    });
  }

  /**
   * Records a referral in the caller's transaction, on a child the caller has checked the actor may record on: the
   * contact (if any) must be on the child's record, the decision is due 1 working day after receipt, audited.
   * `holdForTeam`: an unallocated child is held by the actor's team until the referral is decided and allocated (a
   * step-up from early help passes false: the referral waits in the front door's queue). `earlyHelpEpisodeId`: the
   * early help episode a step-up (source 5D) carries to the front door.
   */
  async createReferralInTx(
    tx: EntityManager,
    actor: Actor,
    childId: string,
    input: Omit<CreateReferralInput, 'childId'> & { earlyHelpEpisodeId?: string | null },
    opts: { holdForTeam: boolean },
  ): Promise<Referral> {
    if (input.contactId) {
      const found = await tx.query(`SELECT 1 FROM contact WHERE id = $1 AND child_id = $2`, [input.contactId, childId]);
      if (!found.length) throw badInput([{ field: 'contactId', message: "is not a contact on this child's record" }]);
    }
    const referralDate = londonDate(input.receivedAt);
    const decisionDueOn = this.calendar.addWorkingDays(referralDate, 1);
    const [row] = await tx.query(
      `INSERT INTO referral (child_id, contact_id, received_at, referral_date, source_code, primary_need_code, reason,
                             decision_due_on, early_help_episode_id, created_by_id, updated_by_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING *`,
      [childId, input.contactId ?? null, input.receivedAt, referralDate, input.sourceCode, input.primaryNeedCode, input.reason,
        decisionDueOn, input.earlyHelpEpisodeId ?? null, actor.id],
    );
    const referral = camelRow<Referral>(row);
    await this.audit.record(tx, actor, {
      action: 'referral.created', entity: 'referral', entityId: referral.id, childId,
      fields: ['receivedAt', 'sourceCode', 'primaryNeedCode', 'reason', 'contactId', ...(input.earlyHelpEpisodeId ? ['earlyHelpEpisodeId'] : [])],
    });
    if (opts.holdForTeam) {
      // An unallocated child is held by the team that received the referral until it is decided and allocated.
      const current = await tx.query(`SELECT 1 FROM allocation WHERE child_id = $1 AND ended_at IS NULL`, [childId]);
      if (!current.length && actor.teamId) await this.allocateInTx(tx, actor, childId, actor.teamId, 'Referral received');
    }
    return referral;
  }

  async decideReferral(actor: Actor, input: DecideReferralInput): Promise<Referral> {
    return this.db.transaction(async (tx) => {
      const current = await this.referralInScope(tx, actor, input.id);
      if (current.decision) throw new DomainError(ErrorCode.REFERRAL_ALREADY_DECIDED, 'This referral has already been decided');
      const updated = await updateVersioned<Referral>(tx, 'referral', current.id, input.expectedVersion, {
        decision: input.decision,
        decisionReason: input.reason,
        decidedAt: this.calendar.clock.now(),
        decidedById: actor.id,
      }, actor.id);
      await this.audit.record(tx, actor, {
        action: 'referral.decided', entity: 'referral', entityId: current.id, childId: current.childId,
        fields: ['decision', 'decisionReason'],
      });
      if (OPENS_EPISODE.includes(input.decision)) await this.episodes.openForReferralInTx(tx, actor, updated);
      return updated;
    });
  }

  async allocateCase(actor: Actor, input: AllocateCaseInput): Promise<Allocation> {
    return this.db.transaction(async (tx) => {
      await this.children.forChange(tx, actor, input.childId);
      const team = await tx.query(`SELECT id FROM team WHERE id = $1`, [input.teamId]);
      if (!team.length) throw badInput([{ field: 'teamId', message: 'is not a team' }]);
      if (input.workerId) {
        const worker = await tx.query(`SELECT id FROM account WHERE id = $1 AND team_id = $2 AND NOT disabled`, [
          input.workerId, input.teamId,
        ]);
        if (!worker.length) throw new DomainError(ErrorCode.ALLOCATION_WORKER_NOT_IN_TEAM, 'That worker is not in the team');
      }
      const [current] = camelRows<Allocation>(
        await tx.query(`SELECT * FROM allocation WHERE child_id = $1 AND ended_at IS NULL FOR UPDATE`, [input.childId]),
      );
      if ((current?.version ?? 0) !== input.expectedVersion) throw staleVersion();
      if (current && current.teamId === input.teamId && current.workerId === (input.workerId ?? null)) {
        throw new DomainError(ErrorCode.ALLOCATION_UNCHANGED, 'The case is already allocated to that team and worker');
      }
      if (current) {
        await updateVersioned(tx, 'allocation', current.id, input.expectedVersion, { endedAt: this.calendar.clock.now() }, actor.id);
      }
      // The new allocation carries the next version, so a client still holding the old one gets STALE_VERSION
      // (a fresh row at version 1 would match a stale expectedVersion of 1 again).
      const allocation = await this.insertAllocation(
        tx, actor, input.childId, input.teamId, input.workerId ?? null, input.reason, input.expectedVersion + 1,
      );
      await this.audit.record(tx, actor, {
        action: 'case.allocated', entity: 'allocation', entityId: allocation.id, childId: input.childId,
        fields: ['teamId', 'workerId', 'reason'],
      });
      return allocation;
    });
  }

  async allocateInTx(tx: EntityManager, actor: Actor, childId: string, teamId: string, reason: string): Promise<void> {
    const allocation = await this.insertAllocation(tx, actor, childId, teamId, null, reason);
    await this.audit.record(tx, actor, {
      action: 'case.allocated', entity: 'allocation', entityId: allocation.id, childId, fields: ['teamId', 'reason'],
    });
  }

  /**
   * Where new information may be recorded: the front door takes contacts and referrals on any child it can find
   * (that is its job, and the case may be open elsewhere); everyone else only on children in their own scope.
   */
  private recordable(tx: EntityManager, actor: Actor, childId: string) {
    return actor.scope === CaseScope.TEAM_AND_UNALLOCATED
      ? this.children.forChange(tx, actor, childId, 'find')
      : this.children.forChange(tx, actor, childId);
  }

  private async referralInScope(tx: EntityManager, actor: Actor, id: string): Promise<Referral> {
    const p = new Params();
    const rows = await tx.query(
      `SELECT r.* FROM referral r JOIN child c ON c.id = r.child_id WHERE r.id = ${p.add(id)} AND ${childFullScope(actor, p, 'c', Access.WRITE)}`,
      p.values,
    );
    if (rows.length !== 1) {
      // Outside the transaction, so the denial is kept when the mutation fails.
      await this.audit.record(this.db, actor, {
        action: 'referral.changeDenied', entity: 'referral', entityId: id, result: AuditResult.DENIED,
      });
      throw notFound();
    }
    return camelRow<Referral>(rows[0]);
  }

  private async insertAllocation(
    tx: EntityManager, actor: Actor, childId: string, teamId: string, workerId: string | null, reason: string, version = 1,
  ) {
    try {
      const [row] = await tx.query(
        `INSERT INTO allocation (child_id, team_id, worker_id, started_at, reason, version, created_by_id, updated_by_id)
         VALUES ($1, $2, $3, now(), $4, $5, $6, $6) RETURNING *`,
        [childId, teamId, workerId, reason, version, actor.id],
      );
      return camelRow<Allocation>(row);
    } catch (err) {
      // Another allocation was made at the same moment: the one-open-allocation index refuses the second.
      if (isUniqueViolation(err)) throw staleVersion();
      throw err;
    }
  }

  /** A receipt time in the calendar's range, and not in the future by the service clock (the one due dates use). */
  checkReceivedAt(at: Date, field: string) {
    if (at.getTime() < EARLIEST_RECEIPT) throw badInput([{ field, message: 'must not be before 2000' }]);
    if (at.getTime() > this.calendar.clock.now().getTime() + 5 * 60_000) throw badInput([{ field, message: 'must not be in the future' }]);
  }
}

import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../identity/actor';
import { CaseScope } from '../identity/permissions';
import type { AuditEvent, AuditWriter } from '../audit/audit.writer';
import { AuditResult } from '../audit/audit.entity';
import type { CalendarService } from '../calendar/calendar.service';
import type { ChildService } from '../child/child.service';
import { nextDueAfter, urgencyOf } from '../../shared/clock/timescales';
import { camelRow, camelRows } from '../../shared/db/sql';
import { badInput, DomainError, FieldProblem, forbidden, notFound } from '../../shared/errors';
import type { ManagementDecision, Supervision, SupervisionCase } from './supervision.entity';
import { SupervisionError } from './supervision.errors';
import { EARLIEST_OVERSIGHT, SupervisionClockRow } from './supervision.rules';
import type {
  RecordManagementDecisionInput, RecordSupervisionInput, SupervisionEntryType, SupervisionRecordType, SupervisionStatusType,
  WorkerSupervisionStatusType,
} from './supervision.types';

const CLOCK_COLUMNS = `a.id, a.display_name, a.team_id, a.newly_qualified, a.supervision_every_working_days AS every_working_days,
  (a.created_at AT TIME ZONE 'Europe/London')::date AS since,
  (SELECT max(s.held_on) FROM supervision s WHERE s.supervisee_id = a.id) AS last_held_on`;

/** Supervision of workers (with the cases discussed, each on its child's record) and management decisions on children. */
export class SupervisionService {
  constructor(
    readonly db: DataSource,
    readonly audit: AuditWriter,
    readonly calendar: CalendarService,
    readonly children: ChildService,
  ) {}

  async recordSupervision(actor: Actor, input: RecordSupervisionInput): Promise<SupervisionRecordType> {
    this.checkSupervision(actor, input);
    return this.db.transaction(async (tx) => {
      const supervisee = await this.superviseeFor(tx, actor, input.superviseeId);
      for (const c of input.cases) {
        await this.children.forChange(tx, actor, c.childId);
        if (actor.scope !== CaseScope.SERVICE) await this.checkHeldBySupervisee(tx, c.childId, supervisee);
      }
      const [row] = await tx.query(
        `INSERT INTO supervision (supervisor_id, supervisee_id, held_on, general_notes, created_by_id, updated_by_id)
         VALUES ($1, $2, $3, $4, $1, $1) RETURNING *`,
        [actor.id, supervisee.id, input.heldOn, input.generalNotes ?? null],
      );
      const session = camelRow<Supervision>(row);
      const cases: SupervisionEntryType[] = [];
      for (const c of input.cases) {
        const [caseRow] = await tx.query(
          `INSERT INTO supervision_case (supervision_id, child_id, reflection, decisions, actions, created_by_id, updated_by_id)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6, $6) RETURNING *`,
          [session.id, c.childId, c.reflection, c.decisions, JSON.stringify(c.actions.map((a) => ({ ...a }))), actor.id],
        );
        const entry = camelRow<SupervisionCase>(caseRow);
        cases.push({ ...entry, heldOn: session.heldOn, supervisorId: session.supervisorId, superviseeId: session.superviseeId });
      }
      const events: AuditEvent[] = [
        {
          action: 'supervision.recorded',
          entity: 'supervision',
          entityId: session.id,
          fields: ['superviseeId', 'heldOn', ...(input.generalNotes ? ['generalNotes'] : []), ...(cases.length ? ['cases'] : [])],
        },
        // Each case's part is on that child's access log.
        ...cases.map((c) => ({
          action: 'supervision.caseDiscussed',
          entity: 'supervision_case',
          entityId: c.id,
          childId: c.childId,
          fields: ['reflection', 'decisions', 'actions'],
        })),
      ];
      await this.audit.recordMany(tx, actor, events);
      return { ...session, cases };
    });
  }

  async recordManagementDecision(actor: Actor, input: RecordManagementDecisionInput): Promise<ManagementDecision> {
    this.checkDate('decidedOn', input.decidedOn);
    return this.db.transaction(async (tx) => {
      const child = await this.children.forChange(tx, actor, input.childId);
      if (child.dateOfBirth && input.decidedOn < child.dateOfBirth) {
        throw badInput([{ field: 'decidedOn', message: "must not be before the child's date of birth" }]);
      }
      const [row] = await tx.query(
        `INSERT INTO management_decision (child_id, decided_by_id, decided_on, decision, rationale, created_by_id, updated_by_id)
         VALUES ($1, $2, $3, $4, $5, $2, $2) RETURNING *`,
        [child.id, actor.id, input.decidedOn, input.decision, input.rationale],
      );
      const decision = camelRow<ManagementDecision>(row);
      await this.audit.record(tx, actor, {
        action: 'decision.recorded',
        entity: 'management_decision',
        entityId: decision.id,
        childId: child.id,
        fields: ['decidedOn', 'decision', 'rationale'],
      });
      return decision;
    });
  }

  /** The actor's own supervision clock. */
  async mySupervision(actor: Actor): Promise<SupervisionStatusType> {
    const rows = camelRows<SupervisionClockRow>(await this.db.query(`SELECT ${CLOCK_COLUMNS} FROM account a WHERE a.id = $1`, [actor.id]));
    if (!rows.length) throw notFound();
    return this.statusOf(rows[0]);
  }

  /**
   * Every (enabled) worker of a team with their supervision clock, in one statement. A team manager sees only their own
   * team (anything else is FORBIDDEN and the refusal audited); a service manager any team.
   */
  async teamSupervision(
    actor: Actor,
    teamId: string,
    recordDenial: (event: Omit<AuditEvent, 'result'>) => Promise<void>,
  ): Promise<WorkerSupervisionStatusType[]> {
    if (actor.scope !== CaseScope.SERVICE && actor.teamId !== teamId) {
      await recordDenial({ action: 'supervision.teamViewed', entity: 'team', entityId: teamId });
      throw forbidden();
    }
    const rows = camelRows<SupervisionClockRow & { teamFound: string }>(
      await this.db.query(
        `SELECT t.id AS team_found, ${CLOCK_COLUMNS}
         FROM team t LEFT JOIN account a ON a.team_id = t.id AND NOT a.disabled
         WHERE t.id = $1 ORDER BY a.display_name, a.id`,
        [teamId],
      ),
    );
    if (!rows.length) throw notFound();
    return rows
      .filter((r) => r.id !== null)
      .map((r) => ({ ...this.statusOf(r), worker: { id: r.id, displayName: r.displayName, teamId: r.teamId } }));
  }

  private statusOf(row: SupervisionClockRow): SupervisionStatusType {
    const cal = this.calendar;
    const nextDueOn = nextDueAfter(cal, row.lastHeldOn ?? row.since, row.everyWorkingDays);
    return {
      everyWorkingDays: row.everyWorkingDays,
      lastHeldOn: row.lastHeldOn,
      nextDueOn,
      status: urgencyOf(cal, nextDueOn, this.calendar.today()),
      newlyQualified: row.newlyQualified,
    };
  }

  /**
   * The worker to be supervised: an enabled council account (one with a team), and for a team manager one of their own
   * team. Anyone else answers NOT_FOUND, like a missing account, and the refusal is audited (outside the transaction).
   */
  private async superviseeFor(tx: EntityManager, actor: Actor, superviseeId: string): Promise<{ id: string; teamId: string }> {
    const ownTeamOnly = actor.scope !== CaseScope.SERVICE;
    const rows = camelRows<{ id: string; teamId: string }>(
      await tx.query(
        `SELECT a.id, a.team_id FROM account a
         WHERE a.id = $1 AND NOT a.disabled AND a.team_id IS NOT NULL ${ownTeamOnly ? 'AND a.team_id = $2' : ''}`,
        ownTeamOnly ? [superviseeId, actor.teamId] : [superviseeId],
      ),
    );
    if (!rows.length) {
      await this.audit.record(this.db, actor, {
        action: 'supervision.changeDenied', entity: 'account', entityId: superviseeId, result: AuditResult.DENIED,
      });
      throw notFound();
    }
    return rows[0];
  }

  private async checkHeldBySupervisee(tx: EntityManager, childId: string, supervisee: { id: string; teamId: string }) {
    const held = await tx.query(
      `SELECT 1 FROM allocation al WHERE al.child_id = $1 AND al.ended_at IS NULL AND (al.team_id = $2 OR al.worker_id = $3)`,
      [childId, supervisee.teamId, supervisee.id],
    );
    if (!held.length) {
      throw new DomainError(SupervisionError.CASE_NOT_HELD, "A case discussed must be held by the supervisee or their team", { childId });
    }
  }

  private checkSupervision(actor: Actor, input: RecordSupervisionInput) {
    const problems: FieldProblem[] = [];
    if (input.superviseeId === actor.id) problems.push({ field: 'superviseeId', message: 'you cannot supervise yourself' });
    problems.push(...this.dateProblems('heldOn', input.heldOn));
    const seen = new Set<string>();
    input.cases.forEach((c, i) => {
      if (seen.has(c.childId)) problems.push({ field: `cases.${i}.childId`, message: 'each child is discussed once per session' });
      seen.add(c.childId);
      c.actions.forEach((a, j) => {
        if (a.byWhen < input.heldOn) problems.push({ field: `cases.${i}.actions.${j}.byWhen`, message: 'must not be before the session' });
      });
    });
    if (problems.length) throw badInput(problems);
  }

  private checkDate(field: string, date: string) {
    const problems = this.dateProblems(field, date);
    if (problems.length) throw badInput(problems);
  }

  private dateProblems(field: string, date: string): FieldProblem[] {
    if (date > this.calendar.today()) return [{ field, message: 'must not be in the future' }];
    if (date < EARLIEST_OVERSIGHT) return [{ field, message: `must not be before ${EARLIEST_OVERSIGHT}` }];
    return [];
  }
}

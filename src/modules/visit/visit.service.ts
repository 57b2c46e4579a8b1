import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { AuditWriter } from '../audit/audit.writer';
import type { CalendarService } from '../calendar/calendar.service';
import type { ChildService } from '../child/child.service';
import { camelRow } from '../../shared/db/sql';
import { badInput, FieldProblem } from '../../shared/errors';
import { nextDueAfter, Urgency, urgencyOf } from '../../shared/clock/timescales';
import type { Visit } from './visit.entity';
import type { RecordVisitInput, VisitStatusType } from './visit.types';
import { ACTIVE_PLAN_ORDER, EARLIEST_VISIT, type VisitClockRow } from './visit.rules';

/** Visits to children: records of fact (append only), linked to the child's active plan. */
export class VisitService {
  constructor(
    readonly db: DataSource,
    readonly audit: AuditWriter,
    readonly calendar: CalendarService,
    readonly children: ChildService,
  ) {}

  async recordVisit(actor: Actor, input: RecordVisitInput): Promise<Visit> {
    this.checkInput(input);
    return this.db.transaction(async (tx) => {
      const child = await this.children.forChange(tx, actor, input.childId);
      if (child.dateOfBirth && input.visitedOn < child.dateOfBirth) {
        throw badInput([{ field: 'visitedOn', message: "must not be before the child's date of birth" }]);
      }
      const planId = await this.activePlanOn(tx, child.id, input.visitedOn);
      const [row] = await tx.query(
        `INSERT INTO visit (child_id, plan_id, visited_on, type, seen, seen_alone, present, note, created_by_id, updated_by_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING *`,
        [child.id, planId, input.visitedOn, input.type, input.seen, input.seenAlone, input.present ?? [], input.note, actor.id],
      );
      const visit = camelRow<Visit>(row);
      await this.audit.record(tx, actor, {
        action: 'visit.recorded',
        entity: 'visit',
        entityId: visit.id,
        childId: child.id,
        fields: ['visitedOn', 'type', 'seen', 'seenAlone', 'present', 'note', ...(planId ? ['planId'] : [])],
      });
      return visit;
    });
  }

  /** The visit clock of one child, from its loader row (active plan, its frequency, the last time the child was seen). */
  visitStatus(row: VisitClockRow | null): VisitStatusType {
    if (!row || !row.planType || row.everyWorkingDays === null || !row.planStart) {
      return { requiredEveryWorkingDays: null, lastSeenOn: row?.lastSeenOn ?? null, nextDueOn: null, status: null, planType: null };
    }
    // Seen since the plan started: count from that visit; otherwise from the plan's start.
    const from = row.lastSeenOn && row.lastSeenOn >= row.planStart ? row.lastSeenOn : row.planStart;
    const nextDueOn = nextDueAfter(this.calendar, from, row.everyWorkingDays);
    return {
      requiredEveryWorkingDays: row.everyWorkingDays,
      lastSeenOn: row.lastSeenOn,
      nextDueOn,
      status: this.urgency(nextDueOn),
      planType: row.planType,
    };
  }

  private urgency(dueOn: string): Urgency {
    return urgencyOf(this.calendar, dueOn, this.calendar.today());
  }

  /** The child's active plan on the day of the visit (CP before CIN before early help), or null. */
  private async activePlanOn(tx: EntityManager, childId: string, on: string): Promise<string | null> {
    const rows: { id: string }[] = await tx.query(
      `SELECT p.id FROM plan p WHERE p.child_id = $1 AND p.status = 'ACTIVE' AND p.start_date <= $2
       ORDER BY ${ACTIVE_PLAN_ORDER('p')}, p.start_date DESC, p.id LIMIT 1`,
      [childId, on],
    );
    return rows[0]?.id ?? null;
  }

  private checkInput(input: RecordVisitInput) {
    const problems: FieldProblem[] = [];
    if (input.visitedOn > this.calendar.today()) problems.push({ field: 'visitedOn', message: 'must not be in the future' });
    else if (input.visitedOn < EARLIEST_VISIT) problems.push({ field: 'visitedOn', message: `must not be before ${EARLIEST_VISIT}` });
    if (input.seenAlone && !input.seen) problems.push({ field: 'seenAlone', message: 'a child can only be seen alone when seen' });
    if (problems.length) throw badInput(problems);
  }
}

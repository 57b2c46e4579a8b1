import type { FieldProblem } from '../../shared/errors';
import { addMonths, Urgency, urgencyOf } from '../../shared/clock/timescales';
import type { IsoDate } from '../../shared/clock/calendar';
import type { CalendarService } from '../calendar/calendar.service';
import { Plan, PlanStatus, PlanType } from './plan.entity';

/** What a plan says (the content a revision saves). */
export interface PlanContent {
  outcomes: { needToChange: string; measure?: string | null; byWhen?: string | null }[];
  actions: { outcomeIndex?: number | null; who: string; what: string; byWhen: string }[];
  contingency?: string | null;
  familySummary?: string | null;
}

/**
 * Cross-field rules the decorators cannot express: every outcome and action is due on or after the plan's start, and an
 * action's outcome index points at one of the outcomes. `prefix` is the input path of the content (`content`, `plan`).
 */
export function contentProblems(content: PlanContent, startDate: IsoDate, prefix: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  content.outcomes.forEach((o, i) => {
    if (o.byWhen && o.byWhen < startDate) {
      problems.push({ field: `${prefix}.outcomes.${i}.byWhen`, message: `must not be before the plan starts (${startDate})` });
    }
  });
  content.actions.forEach((a, i) => {
    if (a.byWhen < startDate) {
      problems.push({ field: `${prefix}.actions.${i}.byWhen`, message: `must not be before the plan starts (${startDate})` });
    }
    if (a.outcomeIndex !== undefined && a.outcomeIndex !== null && a.outcomeIndex >= content.outcomes.length) {
      problems.push({ field: `${prefix}.actions.${i}.outcomeIndex`, message: 'is not one of the outcomes' });
    }
  });
  return problems;
}

/** A date of something that happened: not after today (by the service clock), not before `earliest`. */
export function eventDateProblems(field: string, date: IsoDate, today: IsoDate, earliest?: { date: IsoDate; what: string }): FieldProblem[] {
  if (date > today) return [{ field, message: 'must not be in the future' }];
  if (earliest && date < earliest.date) return [{ field, message: `must not be before ${earliest.what} (${earliest.date})` }];
  return [];
}

/** The content as saved in a revision (plain JSON). */
export function revisionContent(content: PlanContent): Record<string, unknown> {
  return {
    outcomes: content.outcomes.map((o) => ({ needToChange: o.needToChange, measure: o.measure, byWhen: o.byWhen })),
    actions: content.actions.map((a) => ({ outcomeIndex: a.outcomeIndex ?? null, who: a.who, what: a.what, byWhen: a.byWhen })),
    contingency: content.contingency,
    familySummary: content.familySummary,
  };
}

const daysBetween = (a: IsoDate, b: IsoDate) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/** Calendar days the plan has run (to its end, or to today while active). */
export const durationDays = (plan: Pick<Plan, 'startDate' | 'endDate'>, today: IsoDate) => Math.max(0, daysBetween(plan.startDate, plan.endDate ?? today));

/** Running (or ran) for more than 2 years. */
export const over2Years = (plan: Pick<Plan, 'startDate' | 'endDate'>, today: IsoDate) => (plan.endDate ?? today) > addMonths(plan.startDate, 24);

/** CP plans of the child that ended before `plan` started (on or before its start date). */
export function previousCpPlans<P extends Pick<Plan, 'id' | 'type' | 'startDate' | 'endDate'>>(plan: P, childPlans: P[]): P[] {
  return childPlans.filter(
    (o) => o.id !== plan.id && o.type === PlanType.CHILD_PROTECTION && o.endDate !== null && o.endDate <= plan.startDate,
  );
}

/** A previous CP plan ended within the 2 years before this one started. */
export function repeatWithin2Years<P extends Pick<Plan, 'id' | 'type' | 'startDate' | 'endDate'>>(plan: P, childPlans: P[]): boolean {
  const from = addMonths(plan.startDate, -24);
  return previousCpPlans(plan, childPlans).some((o) => (o.endDate as string) >= from);
}

/** How urgent a due date is today, by the service's calendar. */
export const urgencyFor = (calendar: CalendarService, dueOn: IsoDate, today: IsoDate): Urgency => urgencyOf(calendar, dueOn, today);

/** Review urgency while the plan is active and a review is due. */
export function reviewStatus(calendar: CalendarService, plan: Pick<Plan, 'status' | 'nextReviewDue'>, today: IsoDate): Urgency | null {
  if (plan.status !== PlanStatus.ACTIVE || !plan.nextReviewDue) return null;
  return urgencyFor(calendar, plan.nextReviewDue, today);
}


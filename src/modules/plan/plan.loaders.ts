import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { ViewAudit } from '../audit/view-audit';
import { auditedRead } from '../audit/audited-read';
import { childFullScope } from '../child/child.scope';
import { childRecordsLoader, firstChildRecordLoader } from '../child/child-records.loader';
import { ACTIVE_PLAN_ORDER } from '../visit/visit.rules';
import { camelRows, groupInOrder, oneInOrder, Params } from '../../shared/db/sql';
import type { Plan, PlanAction, PlanOutcome, PlanReview } from './plan.entity';
import { preparedQuery } from '../../shared/db/prepared';

/** A plan's rows of `table` (keyed by the plan, whose child's view is audited first), scoped through plan → child. */
function byPlan<T extends { planId: string }>(
  db: DataSource, actor: Actor | null, views: ViewAudit, table: string, where: string, order: string,
) {
  return new DataLoader<Pick<Plan, 'id' | 'childId'>, T[], string>(
    async (plans) => {
      const audited = new Set(await views.ensure(plans.map((pl) => pl.childId)));
      const ids = plans.filter((pl) => audited.has(pl.childId)).map((pl) => pl.id);
      if (!actor || !ids.length) return plans.map(() => []);
      const p = new Params();
      const rows = await preparedQuery(
        db,
        `SELECT x.* FROM ${table} x JOIN plan pl ON pl.id = x.plan_id JOIN child c ON c.id = pl.child_id
         WHERE x.plan_id = ANY(${p.add(ids)}::uuid[]) AND ${where} AND ${childFullScope(actor, p, 'c')} ORDER BY ${order}`,
        p.values,
      );
      return groupInOrder(plans.map((pl) => pl.id), camelRows<T>(rows), (r) => r.planId);
    },
    { cacheKeyFn: (pl) => pl.id },
  );
}

export function planLoaders(db: DataSource, actor: Actor | null, views: ViewAudit) {
  return {
    /** A child's plans, newest first. */
    plansByChildId: childRecordsLoader<Plan>(db, actor, views, 'plan', 'x.start_date DESC, x.created_at DESC, x.id'),
    /** The active plan that governs the case (child protection, then child in need, then early help; the latest started). */
    currentPlanByChildId: firstChildRecordLoader<Plan>(
      db, actor, views, 'plan', `x.status = 'ACTIVE'`, `${ACTIVE_PLAN_ORDER('x')}, x.start_date DESC, x.id`,
    ),
    /** A plan opened on its own: its view audited (`plan.viewed`) in the statement that reads it. */
    planById: new DataLoader<string, Plan | null>(async (ids) => {
      if (!actor) return ids.map(() => null);
      const p = new Params();
      const visible = `SELECT pl.* FROM plan pl JOIN child c ON c.id = pl.child_id
                       WHERE pl.id = ANY(${p.add(ids)}::uuid[]) AND ${childFullScope(actor, p, 'c')}`;
      const rows = await db.query(auditedRead(actor, p, visible, 'plan.viewed', 'plan', 'v.child_id'), p.values);
      return oneInOrder(ids, camelRows<Plan>(rows), (r) => r.id);
    }),
    currentOutcomesByPlan: byPlan<PlanOutcome>(db, actor, views, 'plan_outcome', 'x.current', 'x.position, x.id'),
    currentActionsByPlan: byPlan<PlanAction>(db, actor, views, 'plan_action', 'x.current', 'x.by_when, x.created_at, x.id'),
    reviewsByPlan: byPlan<PlanReview>(db, actor, views, 'plan_review', 'TRUE', 'x.held_on DESC, x.created_at DESC, x.id'),
  };
}

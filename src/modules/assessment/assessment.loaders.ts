import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { ViewAudit } from '../audit/view-audit';
import { auditedRead } from '../audit/audited-read';
import { childFullScope } from '../child/child.scope';
import { camelRows, groupInOrder, oneInOrder, Params } from '../../shared/db/sql';
import type { AssessmentRow } from './assessment.service';

const SELECT = `SELECT a.*, e.start_date AS episode_start_date, c.restricted AS child_restricted
                FROM assessment a JOIN episode e ON e.id = a.episode_id JOIN child c ON c.id = a.child_id`;

/**
 * `assessmentsByChildId` (newest first, after the children's views are audited) and `assessmentById` (an assessment
 * opened on its own: its `assessment.viewed` row is written by the same statement that reads it). Scoped in SQL.
 */
export function assessmentLoaders(db: DataSource, actor: Actor | null, views: ViewAudit) {
  return {
    assessmentsByChildId: new DataLoader<string, AssessmentRow[]>(async (childIds) => {
      const audited = await views.ensure(childIds);
      if (!actor || !audited.length) return childIds.map(() => []);
      const p = new Params();
      const rows = await db.query(
        `${SELECT} WHERE a.child_id = ANY(${p.add(audited)}::uuid[]) AND ${childFullScope(actor, p, 'c')}
         ORDER BY a.start_date DESC, a.created_at DESC, a.id`,
        p.values,
      );
      return groupInOrder(childIds, camelRows<AssessmentRow>(rows), (a) => a.childId);
    }),
    assessmentById: new DataLoader<string, AssessmentRow | null>(async (ids) => {
      if (!actor) return ids.map(() => null);
      const p = new Params();
      const visible = `${SELECT} WHERE a.id = ANY(${p.add(ids)}::uuid[]) AND ${childFullScope(actor, p, 'c')}`;
      const rows = await db.query(auditedRead(actor, p, visible, 'assessment.viewed', 'assessment', 'v.child_id'), p.values);
      return oneInOrder(ids, camelRows<AssessmentRow>(rows), (a) => a.id);
    }),
  };
}

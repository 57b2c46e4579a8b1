import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import { camelRows, groupInOrder, oneInOrder, Params } from '../../shared/db/sql';
import { childFullScope, childSearchScope, familyScope } from '../child/child.scope';
import { auditedRead } from '../audit/audited-read';
import type { ViewAudit } from '../audit/view-audit';
import type { Family, FamilyMember } from './family.entity';

export function familyLoaders(db: DataSource, actor: Actor | null, views: ViewAudit) {
  return {
    /** A household opened on its own (audited; its children are audited when their records are read). */
    familyById: new DataLoader<string, Family | null>(async (ids) => {
      if (!actor) return ids.map(() => null);
      const p = new Params();
      const visible = `SELECT f.* FROM family f WHERE f.id = ANY(${p.add(ids)}::uuid[]) AND ${familyScope(actor, p, 'f')}`;
      const rows = await db.query(auditedRead(actor, p, visible, 'family.viewed', 'family', 'NULL::uuid'), p.values);
      return oneInOrder(ids, camelRows<Family>(rows), (r) => r.id);
    }),
    familiesByChildId: new DataLoader<string, Family[]>(async (childIds) => {
      const audited = await views.ensure(childIds);
      if (!actor || !audited.length) return childIds.map(() => []);
      const p = new Params();
      const rows = await db.query(
        `SELECT f.*, m.child_id AS member_child_id FROM family f JOIN family_member m ON m.family_id = f.id
         WHERE m.child_id = ANY(${p.add(audited)}::uuid[]) AND ${familyScope(actor, p, 'f')} ORDER BY f.name, f.id`,
        p.values,
      );
      return groupInOrder(childIds, camelRows<Family & { memberChildId: string }>(rows), (r) => r.memberChildId);
    }),
    /** Members of families the actor already holds (families come only from the scoped loaders above). */
    membersByFamilyId: new DataLoader<string, FamilyMember[]>(async (familyIds) => {
      if (!actor) return familyIds.map(() => []);
      const p = new Params();
      // A child the actor may neither find nor read (restricted, or for provider staff not referred to them) stays a
      // CHILD member with no id: the household shows a child, never which one.
      const known = `(${childSearchScope(actor, p, 'c')} OR ${childFullScope(actor, p, 'c')})`;
      const rows = await db.query(
        `SELECT m.id, m.family_id, m.kind, m.first_name, m.last_name, m.date_of_birth, m.relationship, m.parental_responsibility,
                m.version, CASE WHEN c.id IS NULL OR ${known} THEN m.child_id END AS child_id
         FROM family_member m JOIN family f ON f.id = m.family_id LEFT JOIN child c ON c.id = m.child_id
         WHERE m.family_id = ANY(${p.add(familyIds)}::uuid[]) AND ${familyScope(actor, p, 'f')}
         ORDER BY m.kind, m.date_of_birth NULLS LAST, m.id`,
        p.values,
      );
      return groupInOrder(familyIds, camelRows<FamilyMember>(rows), (r) => r.familyId);
    }),
  };
}

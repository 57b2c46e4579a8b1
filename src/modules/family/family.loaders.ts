import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import { camelRows, groupInOrder, oneInOrder, Params } from '../../shared/db/sql';
import { childFullScope, childSearchScope, familyScope } from '../child/child.scope';
import { auditedRead } from '../audit/audited-read';
import type { ViewAudit } from '../audit/view-audit';
import type { Family, FamilyMember } from './family.entity';
import { preparedQuery } from '../../shared/db/prepared';

/**
 * A family member's columns over `family_member` `m` LEFT JOIN `child` `c`, as JSON with the entity's keys. A child
 * the actor may neither find nor read (restricted, or for provider staff not referred to them) stays a CHILD member
 * with no id: the household shows a child, never which one.
 */
function memberJson(actor: Actor, p: Params, m: string, c: string): string {
  const known = `(${childSearchScope(actor, p, c)} OR ${childFullScope(actor, p, c)})`;
  return `json_build_object('id', ${m}.id, 'familyId', ${m}.family_id, 'kind', ${m}.kind, 'firstName', ${m}.first_name,
    'lastName', ${m}.last_name, 'dateOfBirth', ${m}.date_of_birth, 'relationship', ${m}.relationship,
    'parentalResponsibility', ${m}.parental_responsibility, 'version', ${m}.version,
    'childId', CASE WHEN ${c}.id IS NULL OR ${known} THEN ${m}.child_id END)`;
}

const MEMBER_ORDER = (m: string) => `${m}.kind, ${m}.date_of_birth NULLS LAST, ${m}.id`;

export function familyLoaders(db: DataSource, actor: Actor | null, views: ViewAudit) {
  /** Members of families the actor already holds (families come only from the scoped loaders below). */
  const membersByFamilyId = new DataLoader<string, FamilyMember[]>(async (familyIds) => {
    if (!actor) return familyIds.map(() => []);
    const p = new Params();
    const rows = await preparedQuery<{ member: FamilyMember }>(
      db,
      `SELECT ${memberJson(actor, p, 'm', 'c')} AS member
       FROM family_member m JOIN family f ON f.id = m.family_id LEFT JOIN child c ON c.id = m.child_id
       WHERE m.family_id = ANY(${p.add(familyIds)}::uuid[]) AND ${familyScope(actor, p, 'f')}
       ORDER BY ${MEMBER_ORDER('m')}`,
      p.values,
    );
    return groupInOrder(familyIds, rows.map((r) => r.member), (r) => r.familyId);
  });

  return {
    /** A household opened on its own (audited; its children are audited when their records are read). */
    familyById: new DataLoader<string, Family | null>(async (ids) => {
      if (!actor) return ids.map(() => null);
      const p = new Params();
      const visible = `SELECT f.* FROM family f WHERE f.id = ANY(${p.add(ids)}::uuid[]) AND ${familyScope(actor, p, 'f')}`;
      const rows = await db.query(auditedRead(actor, p, visible, 'family.viewed', 'family', 'NULL::uuid'), p.values);
      return oneInOrder(ids, camelRows<Family>(rows), (r) => r.id);
    }),
    /** A batch of children's households, each read with its members (primed into membersByFamilyId: no second round trip). */
    familiesByChildId: new DataLoader<string, Family[]>(async (childIds) => {
      const audited = await views.ensure(childIds);
      if (!actor || !audited.length) return childIds.map(() => []);
      const p = new Params();
      const rows = await preparedQuery(
        db,
        `SELECT f.*, m.child_id AS member_child_id,
                (SELECT coalesce(json_agg(${memberJson(actor, p, 'x', 'xc')} ORDER BY ${MEMBER_ORDER('x')}), '[]')
                 FROM family_member x LEFT JOIN child xc ON xc.id = x.child_id WHERE x.family_id = f.id) AS members
         FROM family f JOIN family_member m ON m.family_id = f.id
         WHERE m.child_id = ANY(${p.add(audited)}::uuid[]) AND ${familyScope(actor, p, 'f')} ORDER BY f.name, f.id`,
        p.values,
      );
      const families = camelRows<Family & { memberChildId: string; members: FamilyMember[] }>(rows).map(({ members, ...family }) => {
        membersByFamilyId.prime(family.id, members);
        return family;
      });
      return groupInOrder(childIds, families, (r) => r.memberChildId);
    }),
    membersByFamilyId,
  };
}

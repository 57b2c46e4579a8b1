import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../identity/actor';
import { AuditWriter } from '../audit/audit.writer';
import { AuditResult } from '../audit/audit.entity';
import type { ChildService } from '../child/child.service';
import { Access, familyScope } from '../child/child.scope';
import { camelRow, Params } from '../../shared/db/sql';
import { isUniqueViolation, updateVersioned } from '../../shared/db/versioned';
import { badInput, DomainError, ErrorCode, notFound } from '../../shared/errors';
import { Family, MemberKind } from './family.entity';
import type { AddFamilyMemberInput, CreateFamilyInput, FamilyMemberInput } from './family.types';

export class FamilyService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditWriter,
    private readonly children: ChildService,
  ) {}

  async create(actor: Actor, input: CreateFamilyInput): Promise<Family> {
    if (!input.members.some((m) => m.childId)) {
      throw badInput([{ field: 'members', message: 'a household needs at least one recorded child' }]);
    }
    input.members.forEach((m, i) => checkMember(m, `members.${i}`));
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query(
        `INSERT INTO family (name, address, postcode, created_by_id, updated_by_id) VALUES ($1, $2, $3, $4, $4) RETURNING *`,
        [input.name, input.address ?? null, input.postcode?.toUpperCase() ?? null, actor.id],
      );
      const family = camelRow<Family>(row);
      await this.audit.record(tx, actor, { action: 'family.created', entity: 'family', entityId: family.id, fields: ['name', 'address', 'postcode'] });
      for (const member of input.members) await this.insertMember(tx, actor, family.id, member);
      return family;
    });
  }

  async addMember(actor: Actor, input: AddFamilyMemberInput): Promise<Family> {
    checkMember(input.member, 'member');
    return this.db.transaction(async (tx) => {
      const p = new Params();
      const found = await tx.query(
        `SELECT f.id FROM family f WHERE f.id = ${p.add(input.familyId)} AND ${familyScope(actor, p, 'f', Access.WRITE)}`,
        p.values,
      );
      if (!found.length) {
        await this.audit.record(this.db, actor, {
          action: 'family.changeDenied', entity: 'family', entityId: input.familyId, result: AuditResult.DENIED,
        });
        throw notFound();
      }
      // Adding a member changes the household: bump its version so concurrent edits are caught.
      const family = await updateVersioned<Family>(tx, 'family', input.familyId, input.expectedVersion, {}, actor.id);
      await this.insertMember(tx, actor, family.id, input.member);
      return family;
    });
  }

  private async insertMember(tx: EntityManager, actor: Actor, familyId: string, m: FamilyMemberInput) {
    if (m.childId) await this.children.forChange(tx, actor, m.childId);
    try {
      const [row] = await tx.query(
        `INSERT INTO family_member (family_id, kind, child_id, first_name, last_name, date_of_birth, relationship,
                                    parental_responsibility, created_by_id, updated_by_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
        [familyId, m.childId ? MemberKind.CHILD : MemberKind.ADULT, m.childId ?? null, m.childId ? null : m.firstName,
          m.childId ? null : m.lastName, m.childId ? null : m.dateOfBirth ?? null, m.relationship, m.parentalResponsibility, actor.id],
      );
      await this.audit.record(tx, actor, {
        action: 'family.memberAdded', entity: 'family_member', entityId: row.id, childId: m.childId ?? null,
        fields: ['relationship', 'parentalResponsibility'],
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new DomainError(ErrorCode.FAMILY_MEMBER_ALREADY_ADDED, 'That child is already in this household');
      throw err;
    }
  }
}

function checkMember(m: FamilyMemberInput, path: string) {
  if (!m.childId && (!m.firstName || !m.lastName)) {
    throw badInput([{ field: `${path}.firstName`, message: 'an adult member needs a first and last name' }]);
  }
  if (m.childId && (m.firstName || m.lastName || m.dateOfBirth)) {
    throw badInput([{ field: `${path}.childId`, message: "a child member's details come from the child's record" }]);
  }
}

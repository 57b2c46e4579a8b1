import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../identity/actor';
import { RoleCode } from '../identity/roles';
import { AuditWriter } from '../audit/audit.writer';
import { AuditResult } from '../audit/audit.entity';
import type { ChildService } from '../child/child.service';
import { Access, childCaseScope, familyScope } from '../child/child.scope';
import { Params } from '../../shared/db/sql';
import { updateVersioned } from '../../shared/db/versioned';
import { badInput, DomainError, ErrorCode, notFound } from '../../shared/errors';
import {
  BreakGlassGrantType, BreakGlassInput, RestrictedRecordType, RestrictionType, RestrictRecordInput,
} from './restriction.types';

/** Restricted records (seen only by named people) and break-glass access to them. */
export class RestrictionService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditWriter,
    private readonly children: ChildService,
    private readonly breakGlassMinutes: number,
  ) {}

  async restrict(actor: Actor, input: RestrictRecordInput): Promise<RestrictionType> {
    if (!!input.childId === !!input.familyId) {
      throw badInput([{ field: 'childId', message: 'give exactly one of childId and familyId' }]);
    }
    if (input.restricted && input.namedAccountIds.length === 0) {
      throw new DomainError(ErrorCode.RESTRICTION_NEEDS_NAMED_PEOPLE, 'Name at least one person who may see the restricted record');
    }
    return this.db.transaction(async (tx) => {
      const known = await tx.query(`SELECT id FROM account WHERE id = ANY($1::uuid[]) AND NOT disabled`, [input.namedAccountIds]);
      if (known.length !== input.namedAccountIds.length) {
        throw badInput([{ field: 'namedAccountIds', message: 'every named person must be an active account' }]);
      }
      const isChild = !!input.childId;
      const recordId = (input.childId ?? input.familyId) as string;
      await this.assertCanRestrict(tx, actor, isChild, recordId);
      const table = isChild ? 'child' : 'family';
      const row = await updateVersioned<{ version: number }>(tx, table, recordId, input.expectedVersion, {
        restricted: input.restricted,
        restrictionReason: input.reason,
      }, actor.id);
      const column = isChild ? 'child_id' : 'family_id';
      await tx.query(`DELETE FROM restriction_grant WHERE ${column} = $1`, [recordId]);
      const named = input.restricted ? input.namedAccountIds : [];
      if (named.length) {
        await tx.query(
          `INSERT INTO restriction_grant (${column}, account_id, granted_by_id) SELECT $1, unnest($2::uuid[]), $3`,
          [recordId, named, actor.id],
        );
      }
      await this.audit.record(tx, actor, {
        action: input.restricted ? `${table}.restricted` : `${table}.unrestricted`,
        entity: table,
        entityId: recordId,
        childId: input.childId ?? null,
        fields: ['restricted', 'restrictionReason', 'namedAccountIds'],
        reason: input.reason,
      });
      return {
        recordType: isChild ? RestrictedRecordType.CHILD : RestrictedRecordType.FAMILY,
        recordId,
        restricted: input.restricted,
        namedAccountIds: named,
        version: row.version,
      };
    });
  }

  /**
   * Emergency read access to a restricted child the actor would hold were it not restricted (their team's child, or
   * any child for a service manager): time-limited, with a reason, flagged. It never lets anyone change the record.
   * A child outside that scope, or missing, answers NOT_FOUND (audited), so break-glass cannot probe for records.
   */
  async breakGlass(actor: Actor, input: BreakGlassInput): Promise<BreakGlassGrantType> {
    return this.db.transaction(async (tx) => {
      const p = new Params();
      const me = p.add(actor.id);
      const rows = await tx.query(
        `SELECT c.restricted, EXISTS (SELECT 1 FROM restriction_grant g WHERE g.child_id = c.id AND g.account_id = ${me}) AS named
         FROM child c WHERE c.id = ${p.add(input.childId)} AND ${childCaseScope(actor, p, 'c')}`,
        p.values,
      );
      if (!rows.length) {
        await this.audit.record(this.db, actor, {
          action: 'child.breakGlass', entity: 'child', entityId: input.childId, childId: input.childId, result: AuditResult.DENIED,
          breakGlass: true, reason: input.reason,
        });
        throw notFound();
      }
      if (!rows[0].restricted || rows[0].named) {
        throw new DomainError(ErrorCode.BREAK_GLASS_NOT_NEEDED, 'This record is not restricted from you');
      }
      const [grant] = await tx.query(
        `INSERT INTO break_glass_access (child_id, account_id, reason, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(mins => $4)) RETURNING expires_at`,
        [input.childId, actor.id, input.reason, this.breakGlassMinutes],
      );
      await this.audit.record(tx, actor, {
        action: 'child.breakGlass', entity: 'child', entityId: input.childId, childId: input.childId, breakGlass: true,
        reason: input.reason,
      });
      return { childId: input.childId, expiresAt: grant.expires_at };
    });
  }

  /** Managers restrict records in their scope; information governance may restrict any record. Refusals are audited. */
  private async assertCanRestrict(tx: EntityManager, actor: Actor, isChild: boolean, id: string) {
    const governance = actor.roles.includes(RoleCode.INFORMATION_GOVERNANCE);
    if (isChild && !governance) {
      await this.children.forChange(tx, actor, id);
      return;
    }
    const p = new Params();
    const sql = isChild
      ? `SELECT 1 FROM child c WHERE c.id = ${p.add(id)}`
      : `SELECT 1 FROM family f WHERE f.id = ${p.add(id)} AND ${governance ? 'TRUE' : familyScope(actor, p, 'f', Access.WRITE)}`;
    if ((await tx.query(sql, p.values)).length) return;
    const entity = isChild ? 'child' : 'family';
    await this.audit.record(this.db, actor, {
      action: `${entity}.changeDenied`, entity, entityId: id, childId: isChild ? id : null, result: AuditResult.DENIED,
    });
    throw notFound();
  }
}

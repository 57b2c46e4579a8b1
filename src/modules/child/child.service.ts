import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../identity/actor';
import { CaseScope } from '../identity/permissions';
import { AuditWriter, changedFields } from '../audit/audit.writer';
import { AuditResult } from '../audit/audit.entity';
import { camelRow, camelRows, Params } from '../../shared/db/sql';
import { isUniqueViolation, updateVersioned } from '../../shared/db/versioned';
import { badInput, DomainError, ErrorCode, FieldProblem, notFound } from '../../shared/errors';
import { decodeCursor, Page, pagedSql, toPage } from '../../shared/graphql/pagination';
import { Child, Sex } from './child.entity';
import { Access, childFullScope, childSearchScope } from './child.scope';
import type { ChildSearchInput, ChildSummaryType, CreateChildInput, UpdateChildInput } from './child.types';

/** Hook so the front door can allocate a child created by a team (the allocation service owns allocations). */
export interface ChildAllocator {
  allocateInTx(tx: EntityManager, actor: Actor, childId: string, teamId: string, reason: string): Promise<void>;
}

interface SummaryRow {
  id: string;
  laChildId: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string | null;
  expectedDateOfBirth: string | null;
  nhsNumber: string | null;
  upn: string | null;
  teamId: string | null;
  teamName: string | null;
  inScope: boolean;
  score: number;
  totalCount: number;
}

const EDITABLE: (keyof Child)[] = [
  'firstName', 'lastName', 'dateOfBirth', 'expectedDateOfBirth', 'sex', 'ethnicity', 'disabilities', 'nhsNumber', 'upn',
  'upnUnknownReason', 'formerUpn', 'dateOfDeath',
];

export class ChildService {
  constructor(
    private readonly db: DataSource,
    private readonly audit: AuditWriter,
    private readonly allocator: ChildAllocator,
  ) {}

  /** Identity summaries for every child the actor may find; `inScope` says whether the full record is theirs to open. */
  async search(actor: Actor, input: ChildSearchInput, first: number, after?: string): Promise<Page<ChildSummaryType>> {
    const p = new Params();
    const where: string[] = [childSearchScope(actor, p, 'c')];
    const scoreParts: string[] = [];
    // LA child IDs are stored upper-case, so the unique index serves this.
    if (input.laChildId) where.push(`c.la_child_id = upper(${p.add(input.laChildId)})`);
    if (input.nhsNumber) where.push(`c.nhs_number = ${p.add(input.nhsNumber)}`);
    if (input.upn) where.push(`c.upn = ${p.add(input.upn.toUpperCase())}`);
    if (input.dateOfBirth) {
      const dob = p.add(input.dateOfBirth);
      where.push(`(c.date_of_birth = ${dob} OR c.expected_date_of_birth = ${dob})`);
    }
    if (input.name) {
      const q = input.name.trim().toLowerCase().replace(/\s+/g, ' ');
      const tokens = q.split(' ');
      const qp = `${p.add(q)}::text`;
      const name = `lower(c.first_name || ' ' || c.last_name)`;
      const firstTok = `${p.add(tokens[0])}::text`;
      // One word may be either name; several: the last is the surname, the first the first name.
      const phonetic =
        tokens.length === 1
          ? `(dmetaphone(c.last_name) = dmetaphone(${firstTok}) OR dmetaphone(c.first_name) = dmetaphone(${firstTok}))`
          : `(dmetaphone(c.last_name) = dmetaphone(${p.add(tokens[tokens.length - 1])}::text)
               AND (dmetaphone(c.first_name) = dmetaphone(${firstTok}) OR similarity(lower(c.first_name), ${firstTok}) >= 0.3))`;
      // Word similarity (trigram index) catches typos inside a name; double metaphone catches sound-alike spellings.
      where.push(`(${qp} <% ${name} OR ${phonetic})`);
      scoreParts.push(`greatest(word_similarity(${qp}, ${name}), similarity(${name}, ${qp}),
                                CASE WHEN ${phonetic} THEN 0.5 ELSE 0 END)`);
    }
    if (where.length === 1) {
      throw badInput([{ field: 'search', message: 'give a name, a date of birth or an identifier' }]);
    }
    const score = scoreParts.length ? `round(${scoreParts[0]}::numeric, 4)::float8` : '1::float8';
    const inScope = childFullScope(actor, p, 'c');
    const cursor = decodeCursor(after, ['number', 'uuid']);
    const matches = `
      SELECT c.id, c.la_child_id, c.first_name, c.last_name, c.date_of_birth, c.expected_date_of_birth, c.nhs_number, c.upn,
             t.id AS team_id, t.name AS team_name, ${inScope} AS in_scope, ${score} AS score
      FROM child c
      LEFT JOIN allocation a ON a.child_id = c.id AND a.ended_at IS NULL
      LEFT JOIN team t ON t.id = a.team_id
      WHERE ${where.join(' AND ')}`;
    const afterSql = cursor
      ? `(score < ${p.add(cursor[0])} OR (score = ${p.add(cursor[0])} AND id > ${p.add(cursor[1])}::uuid))`
      : null;
    const sql = pagedSql(matches, 'score DESC, id', afterSql, p.add(first + 1));
    const rows = camelRows<SummaryRow>(await this.db.query(sql, p.values));
    await this.audit.record(this.db, actor, {
      action: 'child.searched',
      entity: 'child',
      fields: Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined),
    });
    return toPage(rows, first, (r) => [r.score, r.id], toSummary);
  }

  async create(actor: Actor, input: CreateChildInput): Promise<{ child: Child; possibleDuplicates: ChildSummaryType[] }> {
    checkChildFields({ ...input, disabilities: input.disabilities ?? [] } as Child);
    return this.db.transaction(async (tx) => {
      const possibleDuplicates = await this.possibleDuplicates(tx, actor, input);
      const laChildId = input.laChildId?.toUpperCase() ?? (await nextLaChildId(tx));
      let row: Child;
      try {
        const rows = await tx.query(
          `INSERT INTO child (la_child_id, first_name, last_name, date_of_birth, expected_date_of_birth, sex, ethnicity,
                              disabilities, nhs_number, upn, upn_unknown_reason, former_upn, date_of_death, created_by_id, updated_by_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $13, $14, $12, $12) RETURNING *`,
          [
            laChildId, input.firstName, input.lastName, input.dateOfBirth ?? null, input.expectedDateOfBirth ?? null, input.sex,
            input.ethnicity ?? null, input.disabilities ?? [], input.nhsNumber ?? null, input.upn ?? null,
            input.upnUnknownReason ?? null, actor.id, input.formerUpn ?? null, input.dateOfDeath ?? null,
          ],
        );
        row = camelRow<Child>(rows[0]);
      } catch (err) {
        if (isUniqueViolation(err)) throw new DomainError(ErrorCode.CHILD_LA_ID_TAKEN, 'That LA child ID is already in use');
        throw err;
      }
      await this.audit.record(tx, actor, {
        action: 'child.created',
        entity: 'child',
        entityId: row.id,
        childId: row.id,
        fields: Object.keys(input).filter((k) => (input as unknown as Record<string, unknown>)[k] !== undefined),
      });
      // A team that records a child holds it; the front door and service managers leave it with the front door.
      if (actor.scope === CaseScope.TEAM && actor.teamId) {
        await this.allocator.allocateInTx(tx, actor, row.id, actor.teamId, 'Recorded by the team');
      }
      return { child: row, possibleDuplicates };
    });
  }

  async update(actor: Actor, input: UpdateChildInput): Promise<Child> {
    return this.db.transaction(async (tx) => {
      const current = await this.forChange(tx, actor, input.id);
      const patch: Partial<Child> = {};
      for (const key of EDITABLE) {
        const value = (input as unknown as Record<string, unknown>)[key];
        if (value !== undefined) (patch as Record<string, unknown>)[key] = value;
      }
      checkChildFields({ ...current, ...patch });
      const fields = changedFields(current, patch);
      const updated = await updateVersioned<Child>(tx, 'child', current.id, input.expectedVersion, patch, actor.id);
      await this.audit.record(tx, actor, { action: 'child.updated', entity: 'child', entityId: current.id, childId: current.id, fields });
      return updated;
    });
  }

  /** A child the actor may not see: record the denial (outside any transaction, so it survives the error). */
  async recordDenied(actor: Actor, childId: string, action = 'child.viewed'): Promise<void> {
    await this.audit.record(this.db, actor, { action, entity: 'child', entityId: childId, childId, result: AuditResult.DENIED });
  }

  /**
   * The child's row for a change, or NOT_FOUND (a missing and a forbidden child look alike; the refusal is audited).
   * `record`: the actor may change the full record (break-glass does not count: it is for reading).
   * `find`: the actor may find the child by search (the front door records contacts and referrals on such children).
   */
  async forChange(tx: EntityManager, actor: Actor, childId: string, reach: 'record' | 'find' = 'record'): Promise<Child> {
    const p = new Params();
    const scope = reach === 'record' ? childFullScope(actor, p, 'c', Access.WRITE) : childSearchScope(actor, p, 'c', Access.WRITE);
    const rows = await tx.query(`SELECT c.* FROM child c WHERE c.id = ${p.add(childId)} AND ${scope}`, p.values);
    if (rows.length !== 1) {
      await this.recordDenied(actor, childId, 'child.changeDenied');
      throw notFound();
    }
    return camelRow<Child>(rows[0]);
  }

  /**
   * A case record (a row of `table`, which has `child_id`) for a change, locked for the transaction: NOT_FOUND unless
   * its child is in the actor's write scope, the refusal audited as `<area>.changeDenied` (and `child.changeDenied`
   * when the record exists). `table` and `area` are code, never client input.
   */
  async recordForChange<T>(tx: EntityManager, actor: Actor, table: string, id: string, area: string): Promise<T> {
    if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`bad table ${table}`);
    const rows = await tx.query(`SELECT * FROM ${table} WHERE id = $1 FOR UPDATE`, [id]);
    const denied = () =>
      this.audit.record(this.db, actor, { action: `${area}.changeDenied`, entity: table, entityId: id, result: AuditResult.DENIED });
    if (rows.length !== 1) {
      await denied();
      throw notFound();
    }
    const record = camelRow<T & { childId: string }>(rows[0]);
    try {
      await this.forChange(tx, actor, record.childId);
    } catch (err) {
      await denied();
      throw err;
    }
    return record;
  }

  private async possibleDuplicates(tx: EntityManager, actor: Actor, input: CreateChildInput): Promise<ChildSummaryType[]> {
    const p = new Params();
    const ors: string[] = [];
    if (input.nhsNumber) ors.push(`c.nhs_number = ${p.add(input.nhsNumber)}`);
    if (input.upn) ors.push(`c.upn = ${p.add(input.upn)}`);
    if (input.laChildId) ors.push(`c.la_child_id = upper(${p.add(input.laChildId)})`);
    const dob = input.dateOfBirth ?? input.expectedDateOfBirth;
    const last = p.add(input.lastName.toLowerCase());
    const first = p.add(input.firstName.toLowerCase());
    const similarName = `((dmetaphone(c.last_name) = dmetaphone(${last}) OR similarity(lower(c.last_name), ${last}) >= 0.4)
                           AND (dmetaphone(c.first_name) = dmetaphone(${first}) OR similarity(lower(c.first_name), ${first}) >= 0.4))`;
    if (dob) {
      const d = p.add(dob);
      ors.push(`((c.date_of_birth = ${d} OR c.expected_date_of_birth = ${d}) AND ${similarName})`);
    }
    if (!ors.length) return [];
    const rows = await tx.query(
      `SELECT c.id, c.la_child_id, c.first_name, c.last_name, c.date_of_birth, c.expected_date_of_birth, c.nhs_number, c.upn,
              t.id AS team_id, t.name AS team_name, ${childFullScope(actor, p, 'c')} AS in_scope, 1::float8 AS score
       FROM child c
       LEFT JOIN allocation a ON a.child_id = c.id AND a.ended_at IS NULL
       LEFT JOIN team t ON t.id = a.team_id
       WHERE (${ors.join(' OR ')}) AND ${childSearchScope(actor, p, 'c')}
       ORDER BY c.la_child_id LIMIT 10`,
      p.values,
    );
    return camelRows<SummaryRow>(rows).map(toSummary);
  }
}

function toSummary(r: SummaryRow): ChildSummaryType {
  return {
    id: r.id,
    laChildId: r.laChildId,
    firstName: r.firstName,
    lastName: r.lastName,
    dateOfBirth: r.dateOfBirth,
    expectedDateOfBirth: r.expectedDateOfBirth,
    nhsNumber: r.nhsNumber,
    upn: r.upn,
    allocatedTeam: r.teamId ? { id: r.teamId, name: r.teamName ?? '' } : null,
    inScope: r.inScope,
    score: r.score,
  };
}

async function nextLaChildId(tx: EntityManager): Promise<string> {
  const [{ n }] = await tx.query(`SELECT nextval('child_la_id_seq') AS n`);
  return `C${String(n).padStart(7, '0')}`;
}

/** Cross-field rules a single decorator cannot express (CIN census 8525Q, 8750, 8790, 8535Q). */
export function checkChildFields(
  c: Pick<Child, 'dateOfBirth' | 'expectedDateOfBirth' | 'sex' | 'upn' | 'upnUnknownReason' | 'disabilities'> & Partial<Pick<Child, 'dateOfDeath'>>,
) {
  const problems: FieldProblem[] = [];
  if (!!c.dateOfBirth === !!c.expectedDateOfBirth) {
    problems.push({ field: 'dateOfBirth', message: 'give either a date of birth or an expected date of birth, not both' });
  }
  if (c.expectedDateOfBirth && !c.dateOfBirth && c.sex !== Sex.U) {
    problems.push({ field: 'sex', message: 'must be U for an unborn child' });
  }
  if (c.upn && c.upnUnknownReason) {
    problems.push({ field: 'upnUnknownReason', message: 'give a UPN or a reason it is unknown, not both' });
  }
  if (c.dateOfDeath && c.dateOfBirth && c.dateOfDeath < c.dateOfBirth) {
    problems.push({ field: 'dateOfDeath', message: 'must not be before the date of birth' });
  }
  if (c.disabilities?.includes('NONE') && c.disabilities.length > 1) {
    problems.push({ field: 'disabilities', message: 'NONE cannot be combined with other codes' });
  }
  if (problems.length) throw badInput(problems);
}

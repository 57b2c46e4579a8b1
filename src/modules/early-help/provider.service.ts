import type { EntityManager } from 'typeorm';
import type { Actor } from '../identity/actor';
import { changedFields } from '../audit/audit.writer';
import { AuditResult } from '../audit/audit.entity';
import { camelRow, camelRows, Params } from '../../shared/db/sql';
import { isUniqueViolation, updateVersioned } from '../../shared/db/versioned';
import { badInput, FieldProblem, notFound } from '../../shared/errors';
import { decodeCursor, Page, pagedSql, toPage } from '../../shared/graphql/pagination';
import type { Provider } from '../identity/identity.entity';
import type { EarlyHelpDeps } from './early-help.deps';
import type { DataSharingAgreement, ProviderContract } from './early-help.entity';
import { SHAREABLE_FIELDS, SUBMISSIONS } from './agreement';
import type {
  AddProviderContractInput, CreateProviderAccountInput, CreateProviderInput, ProviderAccountType, SetDataSharingAgreementInput,
  UpdateProviderContractInput,
} from './provider.types';

/**
 * Which providers the actor may see, as a SQL predicate over a `provider` row aliased `pr`: provider staff their own
 * organisation only; council staff with `provider:read` (or `earlyhelp:all`) every provider.
 */
export function providerScope(actor: Actor, p: Params, pr = 'pr'): string {
  if (actor.providerId) return `${pr}.id = ${p.add(actor.providerId)}`;
  return actor.permissions.has('provider:read') || actor.permissions.has('earlyhelp:all') ? 'TRUE' : 'FALSE';
}

const dateOrderProblems = (startsOn: string, endsOn: string | null | undefined, field = 'endsOn'): FieldProblem[] =>
  endsOn && endsOn < startsOn ? [{ field, message: `must not be before the start (${startsOn})` }] : [];

/** Providers, their contracts, data sharing agreements and staff accounts (administrators); reads for everyone allowed. */
export class ProviderService {
  constructor(readonly deps: EarlyHelpDeps) {}

  async list(actor: Actor, first: number, after?: string): Promise<Page<Provider>> {
    const cursor = decodeCursor(after, ['uuid']);
    const p = new Params();
    const matches = `SELECT pr.id, pr.name, pr.version FROM provider pr WHERE ${providerScope(actor, p)}`;
    const afterSql = cursor ? `(name, id) > (SELECT c.name, c.id FROM provider c WHERE c.id = ${p.add(cursor[0])}::uuid)` : null;
    const rows = camelRows<Provider & { totalCount: number }>(
      await this.deps.db.query(pagedSql(matches, 'name, id', afterSql, p.add(first + 1)), p.values),
    );
    return toPage(rows, first, (r) => [r.id], (r) => r);
  }

  async createProvider(actor: Actor, input: CreateProviderInput): Promise<Provider> {
    return this.deps.db.transaction(async (tx) => {
      const rows = await tx
        .query(`INSERT INTO provider (name, created_by_id, updated_by_id) VALUES ($1, $2, $2) RETURNING *`, [input.name.trim(), actor.id])
        .catch((err: unknown) => {
          if (isUniqueViolation(err)) throw badInput([{ field: 'name', message: 'is already the name of a provider' }]);
          throw err;
        });
      const provider = camelRow<Provider>(rows[0]);
      await this.deps.audit.record(tx, actor, { action: 'provider.created', entity: 'provider', entityId: provider.id, fields: ['name'] });
      return provider;
    });
  }

  async addContract(actor: Actor, input: AddProviderContractInput): Promise<ProviderContract> {
    const problems = dateOrderProblems(input.startsOn, input.endsOn);
    if (problems.length) throw badInput(problems);
    return this.deps.db.transaction(async (tx) => {
      await this.providerForChange(tx, actor, input.providerId);
      const [row] = await tx.query(
        `INSERT INTO provider_contract (provider_id, service, starts_on, ends_on, capacity, created_by_id, updated_by_id)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING *`,
        [input.providerId, input.service, input.startsOn, input.endsOn, input.capacity, actor.id],
      );
      await this.deps.audit.record(tx, actor, {
        action: 'providerContract.added', entity: 'provider_contract', entityId: row.id,
        fields: ['providerId', 'service', 'startsOn', 'endsOn', 'capacity'],
      });
      return camelRow<ProviderContract>(row);
    });
  }

  async updateContract(actor: Actor, input: UpdateProviderContractInput): Promise<ProviderContract> {
    if ((input.endsOn ?? null) === null && (input.capacity ?? null) === null) {
      throw badInput([{ field: 'endsOn', message: 'give a new end date or a new capacity' }]);
    }
    return this.deps.db.transaction(async (tx) => {
      const [row] = await tx.query(`SELECT * FROM provider_contract WHERE id = $1 FOR UPDATE`, [input.id]);
      if (!row) {
        await this.denied(actor, 'providerContract.changeDenied', 'provider_contract', input.id);
        throw notFound();
      }
      const contract = camelRow<ProviderContract>(row);
      const problems = dateOrderProblems(contract.startsOn, input.endsOn);
      if (problems.length) throw badInput(problems);
      const patch = { endsOn: input.endsOn ?? undefined, capacity: input.capacity ?? undefined };
      const updated = await updateVersioned<ProviderContract>(tx, 'provider_contract', contract.id, input.expectedVersion, patch, actor.id);
      await this.deps.audit.record(tx, actor, {
        action: 'providerContract.updated', entity: 'provider_contract', entityId: contract.id, fields: changedFields(contract, patch),
      });
      return updated;
    });
  }

  /** Records a new agreement (kept as history): every field and submission must be in the shareable vocabulary. */
  async setAgreement(actor: Actor, input: SetDataSharingAgreementInput): Promise<DataSharingAgreement> {
    const shareable = new Set(SHAREABLE_FIELDS);
    const allowed = new Set(SUBMISSIONS);
    const problems = [
      ...dateOrderProblems(input.startsOn, input.endsOn),
      ...input.visibleFields.flatMap((f, i) =>
        shareable.has(f) ? [] : [{ field: `visibleFields.${i}`, message: `${f} is not a field that may be shared with a provider` }],
      ),
      ...input.submissions.flatMap((s, i) =>
        allowed.has(s) ? [] : [{ field: `submissions.${i}`, message: `${s} is not a submission a provider may make` }],
      ),
    ];
    if (problems.length) throw badInput(problems);
    return this.deps.db.transaction(async (tx) => {
      await this.providerForChange(tx, actor, input.providerId);
      const [row] = await tx.query(
        `INSERT INTO data_sharing_agreement (provider_id, reference, starts_on, ends_on, visible_fields, submissions, created_by_id, updated_by_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING *`,
        [input.providerId, input.reference, input.startsOn, input.endsOn ?? null, input.visibleFields, input.submissions, actor.id],
      );
      await this.deps.audit.record(tx, actor, {
        action: 'dataSharingAgreement.set', entity: 'data_sharing_agreement', entityId: row.id,
        fields: ['providerId', 'reference', 'startsOn', 'endsOn', 'visibleFields', 'submissions'],
      });
      return camelRow<DataSharingAgreement>(row);
    });
  }

  /** A staff account (or the provider's case system's account) with one provider role. */
  async createAccount(actor: Actor, input: CreateProviderAccountInput): Promise<ProviderAccountType> {
    return this.deps.db.transaction(async (tx) => {
      await this.providerForChange(tx, actor, input.providerId);
      const rows = await tx
        .query(
          `INSERT INTO account (email, display_name, provider_id, system, created_by_id, updated_by_id)
           VALUES (lower($1), $2, $3, $4, $5, $5) RETURNING *`,
          [input.email, input.displayName, input.providerId, input.system, actor.id],
        )
        .catch((err: unknown) => {
          if (isUniqueViolation(err)) throw badInput([{ field: 'email', message: 'is already in use' }]);
          throw err;
        });
      const account = camelRow<Omit<ProviderAccountType, 'role'>>(rows[0]);
      await tx.query(`INSERT INTO account_role (account_id, role_code) VALUES ($1, $2)`, [account.id, input.role]);
      await this.deps.audit.record(tx, actor, {
        action: 'account.created', entity: 'account', entityId: account.id,
        fields: ['email', 'displayName', 'providerId', 'role', 'system'],
      });
      return { ...account, role: input.role };
    });
  }

  /** The provider, locked, or NOT_FOUND (audited). */
  private async providerForChange(tx: EntityManager, actor: Actor, id: string): Promise<void> {
    const rows = await tx.query(`SELECT id FROM provider WHERE id = $1 FOR NO KEY UPDATE`, [id]);
    if (!rows.length) {
      await this.denied(actor, 'provider.changeDenied', 'provider', id);
      throw notFound();
    }
  }

  private denied(actor: Actor, action: string, entity: string, entityId: string) {
    return this.deps.audit.record(this.deps.db, actor, { action, entity, entityId, result: AuditResult.DENIED });
  }
}

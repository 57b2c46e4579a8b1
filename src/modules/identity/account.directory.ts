import type { DataSource } from 'typeorm';
import { camelRows } from '../../shared/db/sql';
import { AccountRow, Actor, actorFromAccount } from './actor';
import type { Principal } from './auth';

/** Finds the account behind a verified token, per request, so a disabled account is refused even with a live token. */
export class AccountDirectory {
  constructor(private readonly db: DataSource) {}

  async actorFor(principal: Principal, requestId: string): Promise<Actor | null> {
    const by = principal.accountId ? 'a.id = $1::uuid' : 'lower(a.email) = $1';
    const key = principal.accountId ?? principal.email;
    if (!key || (principal.accountId && !/^[0-9a-f-]{36}$/i.test(principal.accountId))) return null;
    const rows = camelRows<AccountRow>(
      await this.db.query(
        `SELECT a.id, a.email, a.display_name, a.team_id, a.provider_id, a.newly_qualified,
                coalesce(array_agg(r.role_code ORDER BY r.role_code) FILTER (WHERE r.role_code IS NOT NULL), '{}') AS roles
         FROM account a LEFT JOIN account_role r ON r.account_id = a.id
         WHERE ${by} AND NOT a.disabled GROUP BY a.id`,
        [key],
      ),
    );
    return rows.length ? actorFromAccount(rows[0], requestId) : null;
  }
}

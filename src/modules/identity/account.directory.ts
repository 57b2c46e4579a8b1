import type { DataSource } from 'typeorm';
import { camelRows } from '../../shared/db/sql';
import type { IsoDate } from '../../shared/clock/calendar';
import { AccountRow, Actor, actorFromAccount } from './actor';
import type { Principal } from './auth';

/**
 * Finds the account behind a verified token, per request, so a disabled account is refused even with a live token.
 * A provider's agreement is the one in force on the service calendar's today (as Provider.currentAgreement shows it).
 */
export class AccountDirectory {
  constructor(
    private readonly db: DataSource,
    private readonly calendar: { today(): IsoDate },
  ) {}

  async actorFor(principal: Principal, requestId: string): Promise<Actor | null> {
    const by = principal.accountId ? 'a.id = $1::uuid' : 'lower(a.email) = $1';
    const key = principal.accountId ?? principal.email;
    if (!key || (principal.accountId && !/^[0-9a-f-]{36}$/i.test(principal.accountId))) return null;
    const rows = camelRows<AccountRow>(
      await this.db.query(
        `SELECT a.id, a.email, a.display_name, a.team_id, t.kind AS team_kind, a.provider_id, a.newly_qualified,
                coalesce(array_agg(r.role_code ORDER BY r.role_code) FILTER (WHERE r.role_code IS NOT NULL), '{}') AS roles,
                d.visible_fields, d.submissions
         FROM account a LEFT JOIN account_role r ON r.account_id = a.id LEFT JOIN team t ON t.id = a.team_id
         LEFT JOIN LATERAL (
           SELECT visible_fields, submissions FROM data_sharing_agreement d
           WHERE d.provider_id = a.provider_id AND d.starts_on <= $2::date AND (d.ends_on IS NULL OR d.ends_on >= $2::date)
           ORDER BY d.starts_on DESC, d.created_at DESC LIMIT 1) d ON true
         WHERE ${by} AND NOT a.disabled GROUP BY a.id, t.kind, d.visible_fields, d.submissions`,
        [key, this.calendar.today()],
      ),
    );
    return rows.length ? actorFromAccount(rows[0], requestId) : null;
  }
}

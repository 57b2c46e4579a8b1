import type { DataSource } from 'typeorm';
import { RoleCode } from '../src/modules/identity/roles';
import { createTestApi, TestApi } from './api';
import { withNhsCheckDigit, withUpnCheckLetter } from '../src/modules/child/child.rules';

let n = 0;
const next = () => ++n;

export interface TestAccount {
  id: string;
  email: string;
  teamId: string | null;
  providerId: string | null;
}

/** Builds records directly in the database for test set-up (the behaviour under test always goes through GraphQL). */
export function factories(db: DataSource) {
  const given = {
    async reset() {
      await db.transaction(async (tx) => {
        await tx.query(`SET LOCAL haven.allow_audit_truncate = on`);
        await tx.query(
          `TRUNCATE audit_entry, break_glass_access, restriction_grant, allocation, referral, contact, family_member, family, child,
                    account_role, account, provider, team, idempotency_key RESTART IDENTITY CASCADE`,
        );
      });
      await db.query(`DELETE FROM bank_holiday WHERE source = 'manual'`);
    },

    async team(kind = 'CHILD_IN_NEED', name = `Team ${next()}`): Promise<{ id: string; name: string }> {
      const [row] = await db.query(`INSERT INTO team (name, kind) VALUES ($1, $2) RETURNING id, name`, [name, kind]);
      return row;
    },

    async provider(name = `Provider ${next()}`): Promise<{ id: string }> {
      const [row] = await db.query(`INSERT INTO provider (name) VALUES ($1) RETURNING id`, [name]);
      return row;
    },

    async account(role: RoleCode, opts: { teamId?: string | null; providerId?: string | null; disabled?: boolean } = {}): Promise<TestAccount> {
      const i = next();
      const [row] = await db.query(
        `INSERT INTO account (email, display_name, team_id, provider_id, disabled) VALUES ($1, $2, $3, $4, $5)
         RETURNING id, email, team_id AS "teamId", provider_id AS "providerId"`,
        [`${role.toLowerCase()}.${i}@test.example`, `Test ${role} ${i}`, opts.teamId ?? null, opts.providerId ?? null, opts.disabled ?? false],
      );
      await db.query(`INSERT INTO account_role (account_id, role_code) VALUES ($1, $2)`, [row.id, role]);
      return row;
    },

    async child(
      opts: { teamId?: string; workerId?: string; restrictedTo?: string[]; firstName?: string; lastName?: string; dateOfBirth?: string } = {},
    ): Promise<{ id: string; laChildId: string; version: number }> {
      const i = next();
      const nhs = withNhsCheckDigit(String(400000000 + i * 7).padStart(9, '0')) ?? null;
      const [row] = await db.query(
        `INSERT INTO child (la_child_id, first_name, last_name, date_of_birth, sex, ethnicity, disabilities, nhs_number, upn, restricted,
                            restriction_reason)
         VALUES ($1, $2, $3, $4, 'F', 'WBRI', '{NONE}', $5, $6, $7, $8)
         RETURNING id, la_child_id AS "laChildId", version`,
        [
          `T${String(i).padStart(6, '0')}`, opts.firstName ?? `Child${i}`, opts.lastName ?? 'Testcase', opts.dateOfBirth ?? '2015-06-01', nhs,
          withUpnCheckLetter(`2012026${String(i).padStart(5, '0')}`), !!opts.restrictedTo, opts.restrictedTo ? 'Staff relative' : null,
        ],
      );
      if (opts.teamId) {
        await db.query(`INSERT INTO allocation (child_id, team_id, worker_id, started_at, reason) VALUES ($1, $2, $3, now(), 'test')`, [
          row.id, opts.teamId, opts.workerId ?? null,
        ]);
      }
      for (const accountId of opts.restrictedTo ?? []) {
        await db.query(`INSERT INTO restriction_grant (child_id, account_id, granted_by_id) VALUES ($1, $2, $2)`, [row.id, accountId]);
      }
      return row;
    },

    async family(childIds: string[], opts: { restrictedTo?: string[] } = {}): Promise<{ id: string; version: number }> {
      const [row] = await db.query(
        `INSERT INTO family (name, restricted) VALUES ($1, $2) RETURNING id, version`,
        [`Household ${next()}`, !!opts.restrictedTo],
      );
      for (const childId of childIds) {
        await db.query(`INSERT INTO family_member (family_id, kind, child_id, relationship) VALUES ($1, 'CHILD', $2, 'CHILD')`, [row.id, childId]);
      }
      await db.query(
        `INSERT INTO family_member (family_id, kind, first_name, last_name, relationship, parental_responsibility)
         VALUES ($1, 'ADULT', 'Parent', 'Testcase', 'MOTHER', true)`,
        [row.id],
      );
      for (const accountId of opts.restrictedTo ?? []) {
        await db.query(`INSERT INTO restriction_grant (family_id, account_id, granted_by_id) VALUES ($1, $2, $2)`, [row.id, accountId]);
      }
      return row;
    },

    async referral(childId: string, opts: { receivedAt?: string; dueOn?: string; decided?: boolean } = {}): Promise<{ id: string; version: number }> {
      const received = opts.receivedAt ?? new Date().toISOString();
      const [row] = await db.query(
        `INSERT INTO referral (child_id, received_at, referral_date, source_code, primary_need_code, reason, decision_due_on, decision,
                               decision_reason, decided_at)
         VALUES ($1, $2, ($2::timestamptz AT TIME ZONE 'Europe/London')::date, '2A', 'N1', 'School is worried about bruising', $3, $4, $5, $6)
         RETURNING id, version`,
        [childId, received, opts.dueOn ?? received.slice(0, 10), opts.decided ? 'ASSESSMENT' : null, opts.decided ? 'Needs assessment' : null,
          opts.decided ? received : null],
      );
      return row;
    },

    async auditRows(action: string, entityId?: string): Promise<{ actor_id: string; child_id: string | null; fields: string[]; result: string }[]> {
      return db.query(
        `SELECT actor_id, child_id, fields, result, break_glass FROM audit_entry WHERE action = $1 ${entityId ? 'AND entity_id = $2' : ''} ORDER BY id`,
        entityId ? [action, entityId] : [action],
      );
    },

    async count(table: string): Promise<number> {
      if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error('bad table');
      const [{ n: c }] = await db.query(`SELECT count(*)::int AS n FROM ${table}`);
      return c;
    },
  };
  return given;
}

/** A small council: two social-work teams, a front door, and an account of every role. */
export async function givenCouncil(given: ReturnType<typeof factories>) {
  const teamA = await given.team('CHILD_IN_NEED', 'Team A');
  const teamB = await given.team('CHILD_PROTECTION', 'Team B');
  const frontDoorTeam = await given.team('FRONT_DOOR', 'Front Door');
  const provider = await given.provider('Provider One');
  return {
    teamA,
    teamB,
    frontDoorTeam,
    provider,
    socialWorker: await given.account(RoleCode.SOCIAL_WORKER, { teamId: teamA.id }),
    otherSocialWorker: await given.account(RoleCode.SOCIAL_WORKER, { teamId: teamB.id }),
    teamManager: await given.account(RoleCode.TEAM_MANAGER, { teamId: teamA.id }),
    frontDoor: await given.account(RoleCode.FRONT_DOOR, { teamId: frontDoorTeam.id }),
    serviceManager: await given.account(RoleCode.SERVICE_MANAGER),
    conferenceChair: await given.account(RoleCode.CONFERENCE_CHAIR, { teamId: teamA.id }),
    earlyHelp: await given.account(RoleCode.EARLY_HELP_PRACTITIONER, { teamId: teamA.id }),
    providerPractitioner: await given.account(RoleCode.PROVIDER_PRACTITIONER, { providerId: provider.id }),
    providerManager: await given.account(RoleCode.PROVIDER_MANAGER, { providerId: provider.id }),
    analyst: await given.account(RoleCode.PERFORMANCE_ANALYST),
    governance: await given.account(RoleCode.INFORMATION_GOVERNANCE),
    admin: await given.account(RoleCode.ADMIN),
  };
}
export type Council = Awaited<ReturnType<typeof givenCouncil>>;

export interface Suite {
  api: TestApi;
  given: ReturnType<typeof factories>;
  c: Council;
}

/**
 * Registers the usual hooks for an integration suite: one API per file, and before each test an empty database with
 * a small council. Read `suite.api`, `suite.given` and `suite.c` inside tests (they are set by the hooks).
 */
export function useCouncilSuite(): Suite {
  const suite = {} as Suite;
  beforeAll(async () => {
    suite.api = await createTestApi();
    suite.given = factories(suite.api.db);
  });
  afterAll(() => suite.api.close());
  beforeEach(async () => {
    await suite.given.reset();
    // reset() removes one-off holidays from the table; the app holds the calendar in memory, so reload it.
    await suite.api.haven.services.calendar.load();
    suite.c = await givenCouncil(suite.given);
  });
  return suite;
}

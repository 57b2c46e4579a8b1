import type { DataSource } from 'typeorm';
import { RoleCode } from '../src/modules/identity/roles';
import { SHAREABLE_FIELDS, SUBMISSIONS } from '../src/modules/early-help/agreement';
import { factories, TestAccount, useCouncilSuite } from './factories';
import type { Suite } from './factories';

type EpisodeStatus = 'REQUESTED' | 'OFFERED' | 'IN_WORK' | 'CLOSED';

/** Early help records built directly in the database for test set-up (behaviour under test goes through GraphQL). */
export function earlyHelpFactories(db: DataSource) {
  const eh = {
    async contract(providerId: string, opts: { capacity?: number; startsOn?: string; endsOn?: string } = {}): Promise<{ id: string }> {
      const [row] = await db.query(
        `INSERT INTO provider_contract (provider_id, service, starts_on, ends_on, capacity) VALUES ($1, 'Family support', $2, $3, $4) RETURNING id`,
        [providerId, opts.startsOn ?? '2020-01-01', opts.endsOn ?? '2035-12-31', opts.capacity ?? 10],
      );
      return row;
    },

    /** A data sharing agreement in force (by default everything shareable and every submission). */
    async agreement(providerId: string, opts: { visible?: readonly string[]; submissions?: readonly string[] } = {}): Promise<{ id: string }> {
      const [row] = await db.query(
        `INSERT INTO data_sharing_agreement (provider_id, reference, starts_on, visible_fields, submissions)
         VALUES ($1, 'DSA-TEST', '2020-01-01', $2, $3) RETURNING id`,
        [providerId, [...(opts.visible ?? SHAREABLE_FIELDS)], [...(opts.submissions ?? SUBMISSIONS)]],
      );
      return row;
    },

    /**
     * An early help episode about `childIds` (first = primary), at `status`: with consent to support and sharing
     * (unless `consent: false`), and for OFFERED/IN_WORK/CLOSED a referral to `providerId` under `contractId`.
     */
    async episode(opts: {
      childIds: string[];
      familyId?: string | null;
      status?: EpisodeStatus;
      providerId?: string;
      contractId?: string;
      leadId?: string | null;
      requestedOn?: string;
      consent?: boolean;
      needs?: string[];
    }): Promise<{ id: string; version: number; referralId: string | null; referralVersion: number | null }> {
      const status = opts.status ?? 'REQUESTED';
      const requestedOn = opts.requestedOn ?? new Date().toISOString().slice(0, 10);
      const [row] = await db.query(
        `INSERT INTO early_help_episode (family_id, primary_child_id, status, requested_at, requested_on, requester_name, requester_role,
                                         requester_agency, reason, needs, provider_id, lead_practitioner_id, work_started_on, closed_on, outcome)
         VALUES ($1, $2, $3, ($4::date + time '10:00') AT TIME ZONE 'Europe/London', $4, 'Ms Head', 'Designated safeguarding lead',
                 'Oakfield Primary', 'Attendance has fallen and mother is struggling', $5, $6, $7, $8, $9, $10)
         RETURNING id, version`,
        [
          opts.familyId ?? null, opts.childIds[0], status, requestedOn, opts.needs ?? ['EDUCATION', 'HEALTH', 'FINANCIAL_STABILITY'],
          status === 'REQUESTED' ? null : opts.providerId ?? null, status === 'IN_WORK' || status === 'CLOSED' ? opts.leadId ?? null : null,
          status === 'IN_WORK' || status === 'CLOSED' ? requestedOn : null, status === 'CLOSED' ? requestedOn : null,
          status === 'CLOSED' ? 'NEEDS_MET' : null,
        ],
      );
      for (const childId of opts.childIds) {
        await db.query(`INSERT INTO early_help_child (episode_id, child_id) VALUES ($1, $2)`, [row.id, childId]);
      }
      if (opts.consent ?? true) {
        for (const kind of ['SUPPORT', 'SHARING']) {
          await db.query(
            `INSERT INTO early_help_consent (episode_id, kind, given_by, relationship, given_on, scope)
             VALUES ($1, $2, 'Parent Testcase', 'MOTHER', $3, 'Support from early help and sharing with the provider')`,
            [row.id, kind, requestedOn],
          );
        }
      }
      let referral: { id: string; version: number } | null = null;
      if (status !== 'REQUESTED') {
        if (!opts.providerId || !opts.contractId) throw new Error('an OFFERED/IN_WORK/CLOSED episode needs providerId and contractId');
        const refStatus = status === 'OFFERED' ? 'OFFERED' : status === 'IN_WORK' ? 'ACCEPTED' : 'CLOSED';
        [referral] = await db.query(
          `INSERT INTO early_help_referral (episode_id, provider_id, contract_id, status, offered_at, decided_at, closed_on)
           VALUES ($1, $2, $3, $4, now(), $5, $6) RETURNING id, version`,
          [row.id, opts.providerId, opts.contractId, refStatus, refStatus === 'OFFERED' ? null : new Date(), status === 'CLOSED' ? requestedOn : null],
        );
      }
      return { id: row.id, version: row.version, referralId: referral?.id ?? null, referralVersion: referral?.version ?? null };
    },
  };
  return eh;
}

export interface EarlyHelpSuite extends Suite {
  eh: ReturnType<typeof earlyHelpFactories>;
  /** Provider One (the council's `provider`) with a contract and a full agreement; Provider Two likewise, with its own staff. */
  p: {
    contractOne: { id: string };
    providerTwo: { id: string };
    contractTwo: { id: string };
    twoPractitioner: TestAccount;
    twoManager: TestAccount;
  };
}

/** useCouncilSuite plus two providers with contracts (capacity 10) and data sharing agreements in force. */
export function useEarlyHelpSuite(): EarlyHelpSuite {
  const suite = useCouncilSuite() as EarlyHelpSuite;
  beforeEach(async () => {
    const db = suite.api.db;
    suite.eh = earlyHelpFactories(db);
    const given = factories(db);
    const providerTwo = await given.provider('Provider Two');
    suite.p = {
      contractOne: await suite.eh.contract(suite.c.provider.id),
      providerTwo,
      contractTwo: await suite.eh.contract(providerTwo.id),
      twoPractitioner: await given.account(RoleCode.PROVIDER_PRACTITIONER, { providerId: providerTwo.id }),
      twoManager: await given.account(RoleCode.PROVIDER_MANAGER, { providerId: providerTwo.id }),
    };
    await suite.eh.agreement(suite.c.provider.id);
    await suite.eh.agreement(providerTwo.id);
  });
  return suite;
}

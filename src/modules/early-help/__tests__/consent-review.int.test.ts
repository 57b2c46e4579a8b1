import { randomUUID } from 'node:crypto';
import { codeOf, useFixedClock } from '../../../../test/api';
import { useEarlyHelpSuite } from '../../../../test/early-help-factories';

/**
 * Early help is voluntary: a provider works with a family only while consent to support and to sharing stands. Accepting
 * needs it, and withdrawing it ends the provider's access in the same transaction.
 */

const ACCEPT = `mutation($input: AcceptEarlyHelpReferralInput!) { acceptEarlyHelpReferral(input: $input) {
  replayed referral { id status version } episode { id status } } }`;
const WITHDRAW = `mutation($input: WithdrawEarlyHelpConsentInput!) { withdrawEarlyHelpConsent(input: $input) { id withdrawnOn version } }`;
const RECORD = `mutation($input: RecordEarlyHelpConsentInput!) { recordEarlyHelpConsent(input: $input) { id } }`;
const COMMISSION = `mutation($input: CommissionEarlyHelpInput!) { commissionEarlyHelp(input: $input) { id status providerId version } }`;
const CLOSE = `mutation($input: CloseEarlyHelpEpisodeInput!) { closeEarlyHelpEpisode(input: $input) { episode { id status outcome } } }`;
const START_PLAN = `mutation($input: StartFamilyPlanInput!) { startFamilyPlan(input: $input) { plan { id status } } }`;
const EPISODE = `query($id: ID!) { earlyHelpEpisode(id: $id) { id status providerId leadPractitionerId workStartedOn version
  providerReferrals { status closedOn } } }`;
const CHILD = `query($id: ID!) { child(id: $id) { id } }`;

const s = useEarlyHelpSuite();
/** "Today" is Wednesday 2027-01-20; episodes were requested (and work started) on Monday 2027-01-04. */
const clock = useFixedClock(s, '2027-01-20T12:00:00Z');
const run = clock.run;
const TODAY = '2027-01-20';

async function episode(status: 'REQUESTED' | 'OFFERED' | 'IN_WORK') {
  const child = await s.given.child();
  const e = await s.eh.episode({
    childIds: [child.id], status, providerId: s.c.provider.id, contractId: s.p.contractOne.id, leadId: s.c.providerPractitioner.id,
    requestedOn: '2027-01-04',
  });
  return { ...e, childId: child.id };
}

async function consent(episodeId: string, kind: 'SUPPORT' | 'SHARING'): Promise<{ id: string; version: number }> {
  const [row] = await s.api.db.query(`SELECT id, version FROM early_help_consent WHERE episode_id = $1 AND kind = $2`, [episodeId, kind]);
  return row;
}

const withdrawInput = (c: { id: string; version: number }) => ({
  id: c.id, expectedVersion: c.version, withdrawnOn: '2027-01-19', withdrawnBy: 'Parent Testcase', reason: 'The family no longer wants help',
});
const acceptInput = (e: { referralId: string | null; referralVersion: number | null }) => ({
  id: e.referralId, expectedVersion: e.referralVersion, idempotencyKey: randomUUID(), leadPractitionerId: s.c.providerPractitioner.id,
  startDate: '2027-01-18',
});

async function rows(episodeId: string) {
  const [episodeRow] = await s.api.db.query(
    `SELECT status, provider_id, lead_practitioner_id, work_started_on, version FROM early_help_episode WHERE id = $1`, [episodeId],
  );
  const referrals = await s.api.db.query(
    `SELECT status, closed_on, version FROM early_help_referral WHERE episode_id = $1 ORDER BY created_at`, [episodeId],
  );
  return { episode: episodeRow, referrals };
}

describe('consent and the provider', () => {
  it('refuses acceptance without consent to support and to sharing (EARLY_HELP_CONSENT_REQUIRED), writing nothing', async () => {
    for (const kind of ['SUPPORT', 'SHARING'] as const) {
      const e = await episode('OFFERED');
      // Withdrawn outside this API (e.g. migrated records): the offer still stands, the consent does not.
      await s.api.db.query(`UPDATE early_help_consent SET withdrawn_on = '2027-01-19' WHERE episode_id = $1 AND kind = $2`, [e.id, kind]);
      const r = await run(ACCEPT, { input: acceptInput(e) }, s.c.providerManager);
      expect(codeOf(r)).toBe('EARLY_HELP_CONSENT_REQUIRED');
      expect(await rows(e.id)).toEqual({
        episode: { status: 'OFFERED', provider_id: s.c.provider.id, lead_practitioner_id: null, work_started_on: null, version: 1 },
        referrals: [{ status: 'OFFERED', closed_on: null, version: 1 }],
      });
    }
    expect(await s.given.count('idempotency_key')).toBe(0);
    expect(await s.given.auditRows('earlyHelpReferral.accepted')).toHaveLength(0);
  });

  it('withdrawing consent to sharing while the family is offered closes the offer: the provider can no longer accept or see it', async () => {
    const e = await episode('OFFERED');
    const withdrawn = await run(WITHDRAW, { input: withdrawInput(await consent(e.id, 'SHARING')) }, s.c.earlyHelp);
    expect(withdrawn.errors).toBeUndefined();
    expect(await rows(e.id)).toEqual({
      episode: { status: 'REQUESTED', provider_id: null, lead_practitioner_id: null, work_started_on: null, version: 2 },
      referrals: [{ status: 'CLOSED', closed_on: TODAY, version: 2 }],
    });
    const audit = await s.given.auditRows('earlyHelpReferral.closed', e.referralId!);
    expect(audit).toMatchObject([{ actor_id: s.c.earlyHelp.id, child_id: e.childId, result: 'ALLOWED' }]);
    // The reason is named among the fields (audit rows carry names, never values).
    expect(audit[0].fields).toEqual(expect.arrayContaining(['status', 'closedOn', 'episode.status', 'episode.providerId', 'consentWithdrawn']));

    expect(codeOf(await run(ACCEPT, { input: acceptInput(e) }, s.c.providerManager))).toBe('EARLY_HELP_WRONG_STAGE');
    expect(codeOf(await run(EPISODE, { id: e.id }, s.c.providerManager))).toBe('NOT_FOUND');
    expect((await rows(e.id)).referrals).toEqual([{ status: 'CLOSED', closed_on: TODAY, version: 2 }]);
    expect(await s.given.auditRows('earlyHelpReferral.accepted')).toHaveLength(0);
  });

  it("withdrawing consent to support during the work ends the provider's access; the family plan stays; the council re-commissions", async () => {
    const e = await episode('IN_WORK');
    const plan = await run(START_PLAN, {
      input: {
        episodeId: e.id, idempotencyKey: randomUUID(), startDate: '2027-01-12',
        content: {
          outcomes: [{ needToChange: 'Attendance above 95%', measure: 'Attendance report', byWhen: '2027-04-01' }],
          actions: [],
          contingency: 'If attendance does not improve the TAF will consider an education welfare referral.',
          familySummary: 'We will help mornings go better so that getting to school is easier.',
        },
      },
    }, s.c.providerPractitioner);
    expect(plan.errors).toBeUndefined();

    const r = await run(WITHDRAW, { input: withdrawInput(await consent(e.id, 'SUPPORT')) }, s.c.earlyHelp);
    expect(r.errors).toBeUndefined();
    expect(await rows(e.id)).toEqual({
      episode: { status: 'REQUESTED', provider_id: null, lead_practitioner_id: null, work_started_on: null, version: 2 },
      referrals: [{ status: 'CLOSED', closed_on: TODAY, version: 2 }],
    });
    const [planRow] = await s.api.db.query(`SELECT status FROM plan WHERE id = $1`, [plan.data.startFamilyPlan.plan.id]);
    expect(planRow.status).toBe('ACTIVE');
    expect(await s.given.auditRows('earlyHelpReferral.closed', e.referralId!)).toHaveLength(1);
    expect(await s.given.auditRows('earlyHelpConsent.withdrawn')).toHaveLength(1);

    // The provider's access has ended; the council keeps the record and its history.
    expect(codeOf(await run(EPISODE, { id: e.id }, s.c.providerPractitioner))).toBe('NOT_FOUND');
    expect(codeOf(await run(CHILD, { id: e.childId }, s.c.providerPractitioner))).toBe('NOT_FOUND');
    const council = await run(EPISODE, { id: e.id }, s.c.earlyHelp);
    expect(council.data.earlyHelpEpisode).toMatchObject({
      status: 'REQUESTED', providerId: null, leadPractitionerId: null, workStartedOn: null, providerReferrals: [{ status: 'CLOSED', closedOn: TODAY }],
    });

    // Without consent it cannot be commissioned again; once the family consents again, it can.
    const commission = { episodeId: e.id, expectedVersion: 2, providerId: s.p.providerTwo.id };
    expect(codeOf(await run(COMMISSION, { input: commission }, s.c.earlyHelp))).toBe('EARLY_HELP_CONSENT_REQUIRED');
    const again = await run(RECORD, {
      input: { episodeId: e.id, kind: 'SUPPORT', givenBy: 'Parent Testcase', relationship: 'MOTHER', givenOn: TODAY, scope: 'Support again' },
    }, s.c.earlyHelp);
    expect(again.errors).toBeUndefined();
    const recommissioned = await run(COMMISSION, { input: commission }, s.c.earlyHelp);
    expect(recommissioned.errors).toBeUndefined();
    expect(recommissioned.data.commissionEarlyHelp).toMatchObject({ status: 'OFFERED', providerId: s.p.providerTwo.id });
  });

  it('lets the council close the family with CONSENT_WITHDRAWN after the withdrawal ended the work, ending the family plan', async () => {
    const e = await episode('IN_WORK');
    await run(WITHDRAW, { input: withdrawInput(await consent(e.id, 'SHARING')) }, s.c.earlyHelp);
    const closed = await run(CLOSE, {
      input: {
        episodeId: e.id, expectedVersion: 2, idempotencyKey: randomUUID(), closedOn: TODAY, outcome: 'CONSENT_WITHDRAWN',
        summary: 'The family withdrew consent to early help', progress: [],
      },
    }, s.c.earlyHelp);
    expect(closed.errors).toBeUndefined();
    expect(closed.data.closeEarlyHelpEpisode.episode).toMatchObject({ status: 'CLOSED', outcome: 'CONSENT_WITHDRAWN' });
    expect(await s.given.auditRows('earlyHelpReferral.closed')).toHaveLength(1);
  });

  it('keeps the provider while another consent of the same kind stands, and changes nothing else for a family still waiting', async () => {
    const e = await episode('IN_WORK');
    await s.api.db.query(
      `INSERT INTO early_help_consent (episode_id, kind, given_by, relationship, given_on, scope)
       VALUES ($1, 'SHARING', 'Father Testcase', 'FATHER', '2027-01-04', 'Sharing with the provider')`,
      [e.id],
    );
    expect((await run(WITHDRAW, { input: withdrawInput(await consent(e.id, 'SHARING')) }, s.c.earlyHelp)).errors).toBeUndefined();
    expect(await rows(e.id)).toMatchObject({ episode: { status: 'IN_WORK', version: 1 }, referrals: [{ status: 'ACCEPTED' }] });

    const waiting = await episode('REQUESTED');
    expect((await run(WITHDRAW, { input: withdrawInput(await consent(waiting.id, 'SUPPORT')) }, s.c.earlyHelp)).errors).toBeUndefined();
    expect(await rows(waiting.id)).toEqual({
      episode: { status: 'REQUESTED', provider_id: null, lead_practitioner_id: null, work_started_on: null, version: 1 }, referrals: [],
    });
    expect(await s.given.auditRows('earlyHelpReferral.closed')).toHaveLength(0);
  });
});

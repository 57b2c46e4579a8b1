import { randomUUID } from 'node:crypto';
import { codeOf, GqlResult, useFixedClock } from '../../../../test/api';
import { useEarlyHelpSuite } from '../../../../test/early-help-factories';
import type { TestAccount } from '../../../../test/factories';
import { RoleCode } from '../../identity/roles';
import { SUBMISSIONS } from '../agreement';

const EPISODE_FIELDS = `id familyId primaryChildId status requestedAt requestedOn requesterName requesterRole requesterAgency reason needs
  providerId version children { id } consents { id kind givenBy relationship givenOn scope withdrawnOn withdrawnBy withdrawalReason version }`;
const COUNCIL_VIEW = `${EPISODE_FIELDS} provider { id name }
  providerReferrals { id providerId contractId status commissioningNote decidedById declineReason version provider { name } }
  concerns { id safeguarding description needsAdded }`;
const REQUEST = `mutation($input: RequestEarlyHelpInput!) { requestEarlyHelp(input: $input) { ${EPISODE_FIELDS} } }`;
const CONSENT_FIELDS = 'id episodeId kind givenBy relationship givenOn scope withdrawnOn withdrawnBy withdrawalReason version';
const RECORD_CONSENT = `mutation($input: RecordEarlyHelpConsentInput!) { recordEarlyHelpConsent(input: $input) { ${CONSENT_FIELDS} } }`;
const WITHDRAW_CONSENT = `mutation($input: WithdrawEarlyHelpConsentInput!) { withdrawEarlyHelpConsent(input: $input) { ${CONSENT_FIELDS} } }`;
const COMMISSION = `mutation($input: CommissionEarlyHelpInput!) { commissionEarlyHelp(input: $input) { ${COUNCIL_VIEW} } }`;
const DECISION_FIELDS = `replayed referral { id episodeId providerId status decidedAt decidedById declineReason version }
  episode { id status providerId leadPractitionerId workStartedOn version leadPractitioner { id displayName } }`;
const ACCEPT = `mutation($input: AcceptEarlyHelpReferralInput!) { acceptEarlyHelpReferral(input: $input) { ${DECISION_FIELDS} } }`;
const DECLINE = `mutation($input: DeclineEarlyHelpReferralInput!) { declineEarlyHelpReferral(input: $input) { ${DECISION_FIELDS} } }`;
const CONCERN = `mutation($input: RaiseEarlyHelpConcernInput!) { raiseEarlyHelpConcern(input: $input) {
  replayed concern { id episodeId raisedAt safeguarding description needsAdded version } } }`;
const EPISODE = `query($id: ID!) { earlyHelpEpisode(id: $id) { ${COUNCIL_VIEW} } }`;
const PROVIDER_VIEW = `query($id: ID!) { earlyHelpEpisode(id: $id) { id status needs version
  providerReferrals { id providerId status declineReason } concerns { id safeguarding } provider { id name } } }`;

const s = useEarlyHelpSuite();
/** The service clock, fixed: "today" is Wednesday 2027-01-20; episodes set up by SQL were requested on Monday 2027-01-04. */
const clock = useFixedClock(s, '2027-01-20T12:00:00Z');
const run = clock.run;
const REQUESTED_ON = '2027-01-04';

const fieldsOf = (r: GqlResult) => [...new Set((r.errors?.[0].extensions?.fields ?? []).map((f) => f.field))].sort();
const key = () => randomUUID();

async function counts() {
  const n = (t: string) => s.given.count(t);
  return {
    episodes: await n('early_help_episode'), children: await n('early_help_child'), consents: await n('early_help_consent'),
    referrals: await n('early_help_referral'), concerns: await n('early_help_concern'), keys: await n('idempotency_key'),
  };
}

async function episodeRow(id: string) {
  const [row] = await s.api.db.query(
    `SELECT status, provider_id, lead_practitioner_id, work_started_on, needs, version FROM early_help_episode WHERE id = $1`,
    [id],
  );
  return row;
}

type EpisodeStatus = 'REQUESTED' | 'OFFERED' | 'IN_WORK' | 'CLOSED';

/** An early help episode of a new child (with consent unless `consent: false`), offered/in work with Provider One or Two. */
async function episode(opts: { status?: EpisodeStatus; provider?: 'one' | 'two'; consent?: boolean; childTeamId?: string; restrictedTo?: string[] } = {}) {
  const child = await s.given.child({ teamId: opts.childTeamId, restrictedTo: opts.restrictedTo });
  const two = opts.provider === 'two';
  const e = await s.eh.episode({
    childIds: [child.id],
    status: opts.status ?? 'REQUESTED',
    providerId: two ? s.p.providerTwo.id : s.c.provider.id,
    contractId: two ? s.p.contractTwo.id : s.p.contractOne.id,
    leadId: two ? s.p.twoPractitioner.id : s.c.providerPractitioner.id,
    requestedOn: REQUESTED_ON,
    consent: opts.consent,
  });
  return { ...e, childId: child.id };
}

/** A newer agreement for Provider One without one submission (the actor's agreement is read per request). */
async function agreementWithout(submission: string) {
  await s.api.db.query(
    `INSERT INTO data_sharing_agreement (provider_id, reference, starts_on, visible_fields, submissions)
     SELECT provider_id, 'DSA-NARROW', '2021-01-01', visible_fields, $2 FROM data_sharing_agreement WHERE provider_id = $1`,
    [s.c.provider.id, SUBMISSIONS.filter((x) => x !== submission)],
  );
}

const consentInput = (extra: Record<string, unknown> = {}) => ({
  kind: 'SUPPORT', givenBy: 'Amy Parent', relationship: 'MOTHER', givenOn: '2027-01-15', scope: 'Support from the early help provider', ...extra,
});

describe('requestEarlyHelp', () => {
  const requestInput = (childIds: string[], extra: Record<string, unknown> = {}) => ({
    childIds,
    requester: { name: 'Ms Head', role: 'Designated safeguarding lead', agency: 'Oakfield Primary' },
    reason: 'Attendance has fallen and mother is struggling to cope',
    needs: ['EDUCATION', 'HEALTH', 'FINANCIAL_STABILITY'],
    requestedAt: '2027-01-19T09:30:00Z',
    ...extra,
  });

  it('refuses an anonymous caller and roles without earlyhelp:request, writing nothing', async () => {
    const child = await s.given.child();
    expect(codeOf(await run(REQUEST, { input: requestInput([child.id]) }))).toBe('UNAUTHENTICATED');
    for (const who of [s.c.conferenceChair, s.c.analyst, s.c.admin, s.c.governance, s.c.providerManager]) {
      expect(codeOf(await run(REQUEST, { input: requestInput([child.id]) }, who))).toBe('FORBIDDEN');
    }
    expect((await counts()).episodes).toBe(0);
    expect(await s.given.auditRows('access.denied')).toHaveLength(5);
  });

  it('answers NOT_FOUND for a restricted child the actor is not named on, as for a missing one, writing nothing', async () => {
    const restricted = await s.given.child({ restrictedTo: [s.c.serviceManager.id] });
    const free = await s.given.child();
    const hidden = await run(REQUEST, { input: requestInput([free.id, restricted.id]) }, s.c.earlyHelp);
    const missing = await run(REQUEST, { input: requestInput([randomUUID()]) }, s.c.earlyHelp);
    expect(codeOf(hidden)).toBe('NOT_FOUND');
    expect(hidden.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect((await s.given.auditRows('child.changeDenied', restricted.id)).map((a) => a.result)).toEqual(['DENIED']);
    expect(await counts()).toMatchObject({ episodes: 0, children: 0 });
    expect(await s.given.auditRows('earlyHelp.requested')).toHaveLength(0);
  });

  it.each([
    ['no child', (i: any) => ({ ...i, childIds: [] }), ['childIds']],
    ['a child twice', (i: any) => ({ ...i, childIds: [i.childIds[0], i.childIds[0]] }), ['childIds']],
    ['no need', (i: any) => ({ ...i, needs: [] }), ['needs']],
    ['a need twice', (i: any) => ({ ...i, needs: ['HOUSING', 'HOUSING'] }), ['needs']],
    ['a blank reason', (i: any) => ({ ...i, reason: '          ' }), ['reason']],
    ['no requester name', (i: any) => ({ ...i, requester: { ...i.requester, name: ' ' } }), ['requester.name']],
    ['a request in the future', (i: any) => ({ ...i, requestedAt: '2027-01-21T09:00:00Z' }), ['requestedAt']],
    ['a consent given in the future', (i: any) => ({ ...i, consents: [consentInput({ givenOn: '2027-01-21' })] }), ['consents.0.givenOn']],
    ['a consent without its scope', (i: any) => ({ ...i, consents: [consentInput({ scope: '' })] }), ['consents.0.scope']],
  ])('refuses %s (BAD_USER_INPUT on the field), writing nothing', async (_name, change, fields) => {
    const child = await s.given.child();
    const r = await run(REQUEST, { input: change(requestInput([child.id])) }, s.c.earlyHelp);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(fields);
    expect(await counts()).toMatchObject({ episodes: 0, children: 0, consents: 0 });
  });

  it('refuses a household that does not contain every child, writing nothing', async () => {
    const [a, b] = [await s.given.child(), await s.given.child()];
    const family = await s.given.family([a.id]);
    for (const familyId of [family.id, randomUUID()]) {
      const r = await run(REQUEST, { input: requestInput([a.id, b.id], { familyId }) }, s.c.earlyHelp);
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(r)).toEqual(['familyId']);
    }
    expect((await counts()).episodes).toBe(0);
  });

  it('records a family request with its consents, REQUESTED, audited on each child in the same transaction', async () => {
    const [a, b] = [await s.given.child(), await s.given.child()];
    const family = await s.given.family([a.id, b.id]);
    const consents = [consentInput(), consentInput({ kind: 'SHARING', scope: 'Sharing with Provider One and the school' })];
    const r = await run(REQUEST, { input: requestInput([b.id, a.id], { familyId: family.id, consents }) }, s.c.earlyHelp);
    expect(r.errors).toBeUndefined();
    const e = r.data.requestEarlyHelp;
    expect(e).toMatchObject({
      familyId: family.id, primaryChildId: b.id, status: 'REQUESTED', requestedAt: '2027-01-19T09:30:00.000Z', requestedOn: '2027-01-19',
      requesterName: 'Ms Head', requesterRole: 'Designated safeguarding lead', requesterAgency: 'Oakfield Primary',
      needs: ['EDUCATION', 'HEALTH', 'FINANCIAL_STABILITY'], providerId: null, version: 1,
    });
    expect(e.children.map((c: { id: string }) => c.id).sort()).toEqual([a.id, b.id].sort());
    expect(e.consents.map((c: { kind: string }) => c.kind).sort()).toEqual(['SHARING', 'SUPPORT']);
    const audit = await s.given.auditRows('earlyHelp.requested', e.id);
    expect(audit.map((x) => x.child_id)).toEqual([b.id, a.id]);
    expect(audit[0]).toMatchObject({ actor_id: s.c.earlyHelp.id, result: 'ALLOWED' });
    expect(audit[0].fields).toEqual(expect.arrayContaining(['reason', 'needs', 'consents']));
  });

  it('records a request without consent (dated now by default) from a social worker or the front door', async () => {
    const child = await s.given.child({ teamId: s.c.teamA.id });
    const r = await run(REQUEST, { input: requestInput([child.id], { requestedAt: undefined }) }, s.c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.requestEarlyHelp).toMatchObject({ requestedOn: '2027-01-20', requestedAt: '2027-01-20T12:00:00.000Z', consents: [] });
    const other = await s.given.child();
    expect((await run(REQUEST, { input: requestInput([other.id]) }, s.c.frontDoor)).errors).toBeUndefined();
  });

  it('refuses EARLY_HELP_ALREADY_OPEN while a child has an episode that is not closed', async () => {
    const open = await episode({ status: 'OFFERED' });
    const sibling = await s.given.child();
    const r = await run(REQUEST, { input: requestInput([sibling.id, open.childId]) }, s.c.earlyHelp);
    expect(codeOf(r)).toBe('EARLY_HELP_ALREADY_OPEN');
    expect((await counts()).episodes).toBe(1);
    await s.api.db.query(`UPDATE early_help_episode SET status = 'CLOSED', closed_on = '2027-01-10' WHERE id = $1`, [open.id]);
    expect((await run(REQUEST, { input: requestInput([sibling.id, open.childId]) }, s.c.earlyHelp)).errors).toBeUndefined();
  });
});

describe('recordEarlyHelpConsent and withdrawEarlyHelpConsent', () => {
  it('refuse an anonymous caller and roles without earlyhelp:request or commission, writing nothing', async () => {
    const e = await episode({ consent: false });
    const input = { episodeId: e.id, ...consentInput() };
    expect(codeOf(await run(RECORD_CONSENT, { input }))).toBe('UNAUTHENTICATED');
    for (const who of [s.c.providerPractitioner, s.c.conferenceChair, s.c.analyst]) {
      expect(codeOf(await run(RECORD_CONSENT, { input }, who))).toBe('FORBIDDEN');
    }
    expect((await counts()).consents).toBe(0);
  });

  it("answer NOT_FOUND for an episode outside the actor's scope, as for a missing one, auditing the refusal", async () => {
    const other = await episode({ consent: false, childTeamId: s.c.teamB.id });
    const r = await run(RECORD_CONSENT, { input: { episodeId: other.id, ...consentInput() } }, s.c.socialWorker);
    const missing = await run(RECORD_CONSENT, { input: { episodeId: randomUUID(), ...consentInput() } }, s.c.socialWorker);
    expect(codeOf(r)).toBe('NOT_FOUND');
    expect(r.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect((await s.given.auditRows('earlyHelpEpisode.changed', other.id)).map((a) => a.result)).toEqual(['DENIED']);
    expect(codeOf(await run(WITHDRAW_CONSENT, {
      input: { id: randomUUID(), expectedVersion: 1, withdrawnOn: '2027-01-19', withdrawnBy: 'Amy Parent', reason: 'No longer wants help' },
    }, s.c.earlyHelp))).toBe('NOT_FOUND');
    expect((await counts()).consents).toBe(0);
  });

  it('refuse a consent dated in the future, or on a closed episode, writing nothing', async () => {
    const e = await episode({ consent: false });
    const future = await run(RECORD_CONSENT, { input: { episodeId: e.id, ...consentInput({ givenOn: '2027-01-21' }) } }, s.c.earlyHelp);
    expect(fieldsOf(future)).toEqual(['givenOn']);
    const closed = await episode({ status: 'CLOSED', consent: false });
    expect(codeOf(await run(RECORD_CONSENT, { input: { episodeId: closed.id, ...consentInput() } }, s.c.earlyHelp))).toBe('EARLY_HELP_WRONG_STAGE');
    expect((await counts()).consents).toBe(0);
  });

  it('record consent, then its withdrawal at the expected version, each audited; a second withdrawal is refused', async () => {
    const e = await episode({ consent: false, childTeamId: s.c.teamA.id });
    const r = await run(RECORD_CONSENT, { input: { episodeId: e.id, ...consentInput() } }, s.c.socialWorker);
    expect(r.errors).toBeUndefined();
    const consent = r.data.recordEarlyHelpConsent;
    expect(consent).toMatchObject({ episodeId: e.id, kind: 'SUPPORT', givenOn: '2027-01-15', withdrawnOn: null, version: 1 });
    expect(await s.given.auditRows('earlyHelpConsent.recorded', consent.id)).toMatchObject([
      { actor_id: s.c.socialWorker.id, child_id: e.childId, result: 'ALLOWED' },
    ]);

    const withdraw = { id: consent.id, expectedVersion: 1, withdrawnOn: '2027-01-19', withdrawnBy: 'Amy Parent', reason: 'No longer wants help' };
    for (const [bad, field] of [[{ withdrawnOn: '2027-01-14' }, 'withdrawnOn'], [{ withdrawnOn: '2027-01-21' }, 'withdrawnOn'],
      [{ reason: ' ' }, 'reason']] as const) {
      const refused = await run(WITHDRAW_CONSENT, { input: { ...withdraw, ...bad } }, s.c.earlyHelp);
      expect(fieldsOf(refused)).toEqual([field]);
    }
    const stale = await run(WITHDRAW_CONSENT, { input: { ...withdraw, expectedVersion: 2 } }, s.c.earlyHelp);
    expect(codeOf(stale)).toBe('STALE_VERSION');
    expect(await s.given.auditRows('earlyHelpConsent.withdrawn')).toHaveLength(0);

    const done = await run(WITHDRAW_CONSENT, { input: withdraw }, s.c.earlyHelp);
    expect(done.errors).toBeUndefined();
    expect(done.data.withdrawEarlyHelpConsent).toMatchObject({
      withdrawnOn: '2027-01-19', withdrawnBy: 'Amy Parent', withdrawalReason: 'No longer wants help', version: 2,
    });
    expect(await s.given.auditRows('earlyHelpConsent.withdrawn', consent.id)).toMatchObject([
      { actor_id: s.c.earlyHelp.id, child_id: e.childId, result: 'ALLOWED' },
    ]);
    const again = await run(WITHDRAW_CONSENT, { input: { ...withdraw, expectedVersion: 2 } }, s.c.earlyHelp);
    expect(codeOf(again)).toBe('EARLY_HELP_CONSENT_ALREADY_WITHDRAWN');
  });
});

describe('commissionEarlyHelp', () => {
  const commission = (e: { id: string; version: number }, extra: Record<string, unknown> = {}) => ({
    episodeId: e.id, expectedVersion: e.version, providerId: s.c.provider.id, ...extra,
  });

  it('refuses an anonymous caller and roles without earlyhelp:commission, writing nothing', async () => {
    const e = await episode();
    expect(codeOf(await run(COMMISSION, { input: commission(e) }))).toBe('UNAUTHENTICATED');
    for (const who of [s.c.socialWorker, s.c.frontDoor, s.c.providerManager, s.c.admin]) {
      expect(codeOf(await run(COMMISSION, { input: commission(e) }, who))).toBe('FORBIDDEN');
    }
    expect((await counts()).referrals).toBe(0);
    expect((await episodeRow(e.id)).status).toBe('REQUESTED');
  });

  it("answers NOT_FOUND for a missing episode or a restricted child's the actor is not named on", async () => {
    const restricted = await episode({ restrictedTo: [s.c.serviceManager.id] });
    expect(codeOf(await run(COMMISSION, { input: commission(restricted) }, s.c.earlyHelp))).toBe('NOT_FOUND');
    expect(codeOf(await run(COMMISSION, { input: commission({ id: randomUUID(), version: 1 }) }, s.c.earlyHelp))).toBe('NOT_FOUND');
    expect((await counts()).referrals).toBe(0);
  });

  it('refuses an id that is not a provider (BAD_USER_INPUT on providerId), writing nothing', async () => {
    const e = await episode();
    for (const providerId of ['not-an-id', randomUUID()]) {
      const r = await run(COMMISSION, { input: commission(e, { providerId }) }, s.c.earlyHelp);
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(r)).toEqual(['providerId']);
    }
    expect((await counts()).referrals).toBe(0);
  });

  it('refuses a request without consent (EARLY_HELP_CONSENT_REQUIRED) until both consents are recorded', async () => {
    const e = await episode({ consent: false });
    expect(codeOf(await run(COMMISSION, { input: commission(e) }, s.c.earlyHelp))).toBe('EARLY_HELP_CONSENT_REQUIRED');
    await run(RECORD_CONSENT, { input: { episodeId: e.id, ...consentInput() } }, s.c.earlyHelp);
    expect(codeOf(await run(COMMISSION, { input: commission(e) }, s.c.earlyHelp))).toBe('EARLY_HELP_CONSENT_REQUIRED');
    expect((await counts()).referrals).toBe(0);
    await run(RECORD_CONSENT, { input: { episodeId: e.id, ...consentInput({ kind: 'SHARING' }) } }, s.c.earlyHelp);
    const ok = await run(COMMISSION, { input: commission(e) }, s.c.earlyHelp);
    expect(ok.errors).toBeUndefined();
    expect(ok.data.commissionEarlyHelp.status).toBe('OFFERED');
  });

  it('refuses when consent to sharing was withdrawn', async () => {
    const e = await episode();
    await s.api.db.query(
      `UPDATE early_help_consent SET withdrawn_on = '2027-01-10', withdrawn_by = 'Mother', withdrawal_reason = 'Changed her mind'
       WHERE episode_id = $1 AND kind = 'SHARING'`,
      [e.id],
    );
    expect(codeOf(await run(COMMISSION, { input: commission(e) }, s.c.earlyHelp))).toBe('EARLY_HELP_CONSENT_REQUIRED');
    expect((await counts()).referrals).toBe(0);
  });

  it('offers the family to the provider under its latest contract in force, audited; the note stays with the council', async () => {
    const e = await episode();
    const newer = await s.eh.contract(s.c.provider.id, { startsOn: '2026-04-01', endsOn: '2028-03-31', capacity: 3 });
    await s.eh.contract(s.c.provider.id, { startsOn: '2027-06-01', endsOn: '2029-03-31' }); // not yet in force
    const r = await run(COMMISSION, { input: commission(e, { note: 'Family asked for a female worker' }) }, s.c.earlyHelp);
    expect(r.errors).toBeUndefined();
    const offered = r.data.commissionEarlyHelp;
    expect(offered).toMatchObject({ status: 'OFFERED', providerId: s.c.provider.id, version: 2, provider: { name: 'Provider One' } });
    expect(offered.providerReferrals).toEqual([expect.objectContaining({
      providerId: s.c.provider.id, contractId: newer.id, status: 'OFFERED', commissioningNote: 'Family asked for a female worker',
      provider: { name: 'Provider One' },
    })]);
    expect(await s.given.auditRows('earlyHelp.commissioned', e.id)).toMatchObject([
      { actor_id: s.c.earlyHelp.id, child_id: e.childId, result: 'ALLOWED' },
    ]);
    // The provider now sees the family, but never the council's note.
    const seen = await run(PROVIDER_VIEW, { id: e.id }, s.c.providerManager);
    expect(seen.errors).toBeUndefined();
    expect(seen.data.earlyHelpEpisode).toMatchObject({ status: 'OFFERED', provider: { id: s.c.provider.id } });
    const note = await run(`query($id: ID!) { earlyHelpEpisode(id: $id) { providerReferrals { commissioningNote } } }`, { id: e.id },
      s.c.providerManager);
    expect(note.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a stale version or an episode already offered, writing nothing', async () => {
    const e = await episode();
    expect(codeOf(await run(COMMISSION, { input: commission(e, { expectedVersion: 7 }) }, s.c.earlyHelp))).toBe('STALE_VERSION');
    expect((await counts()).referrals).toBe(0);
    const offered = await episode({ status: 'OFFERED' });
    expect(codeOf(await run(COMMISSION, { input: commission(offered) }, s.c.earlyHelp))).toBe('EARLY_HELP_WRONG_STAGE');
    expect((await counts()).referrals).toBe(1);
    expect(await s.given.auditRows('earlyHelp.commissioned')).toHaveLength(0);
  });

  it('refuses a provider without a contract in force today (EARLY_HELP_NO_CONTRACT)', async () => {
    const lapsed = await s.given.provider('Lapsed Provider');
    await s.eh.contract(lapsed.id, { startsOn: '2020-01-01', endsOn: '2026-12-31' });
    const e = await episode();
    expect(codeOf(await run(COMMISSION, { input: commission(e, { providerId: lapsed.id }) }, s.c.earlyHelp))).toBe('EARLY_HELP_NO_CONTRACT');
    expect((await counts()).referrals).toBe(0);
  });

  it('refuses when the capacity is full (EARLY_HELP_CAPACITY_FULL) unless the council overrides it', async () => {
    await s.api.db.query(`UPDATE provider_contract SET capacity = 2 WHERE id = $1`, [s.p.contractOne.id]);
    await episode({ status: 'IN_WORK' });
    await episode({ status: 'OFFERED' });
    const e = await episode();
    expect(codeOf(await run(COMMISSION, { input: commission(e) }, s.c.earlyHelp))).toBe('EARLY_HELP_CAPACITY_FULL');
    expect((await counts()).referrals).toBe(2);
    const over = await run(COMMISSION, { input: commission(e, { overCapacity: true }) }, s.c.earlyHelp);
    expect(over.errors).toBeUndefined();
    expect((await s.given.auditRows('earlyHelp.commissioned', e.id))[0].fields).toContain('overCapacity');
  });
});

describe('acceptEarlyHelpReferral and declineEarlyHelpReferral', () => {
  const acceptInput = (e: { referralId: string | null; referralVersion: number | null }, extra: Record<string, unknown> = {}) => ({
    id: e.referralId, expectedVersion: e.referralVersion, idempotencyKey: key(), leadPractitionerId: s.c.providerPractitioner.id,
    startDate: '2027-01-18', ...extra,
  });
  const declineInput = (e: { referralId: string | null; referralVersion: number | null }, extra: Record<string, unknown> = {}) => ({
    id: e.referralId, expectedVersion: e.referralVersion, idempotencyKey: key(), reason: 'No capacity in the family team this month', ...extra,
  });

  it('refuse an anonymous caller and roles without earlyhelp:decide, writing nothing', async () => {
    const e = await episode({ status: 'OFFERED' });
    expect(codeOf(await run(ACCEPT, { input: acceptInput(e) }))).toBe('UNAUTHENTICATED');
    for (const who of [s.c.providerPractitioner, s.c.earlyHelp, s.c.serviceManager, s.c.analyst]) {
      expect(codeOf(await run(ACCEPT, { input: acceptInput(e) }, who))).toBe('FORBIDDEN');
      expect(codeOf(await run(DECLINE, { input: declineInput(e) }, who))).toBe('FORBIDDEN');
    }
    expect((await episodeRow(e.id)).status).toBe('OFFERED');
    expect((await counts()).keys).toBe(0);
  });

  it("refuse a manager whose agreement does not allow the submission", async () => {
    const e = await episode({ status: 'OFFERED' });
    await agreementWithout('acceptEarlyHelpReferral');
    expect(codeOf(await run(ACCEPT, { input: acceptInput(e) }, s.c.providerManager))).toBe('FORBIDDEN');
    expect((await episodeRow(e.id)).status).toBe('OFFERED');
  });

  it("answer NOT_FOUND to another provider's manager, as for a missing referral, auditing the refusal", async () => {
    const e = await episode({ status: 'OFFERED' });
    const other = await run(ACCEPT, { input: acceptInput(e, { leadPractitionerId: s.p.twoPractitioner.id }) }, s.p.twoManager);
    const missing = await run(ACCEPT, { input: acceptInput({ referralId: randomUUID(), referralVersion: 1 }) }, s.p.twoManager);
    expect(codeOf(other)).toBe('NOT_FOUND');
    expect(other.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(codeOf(await run(DECLINE, { input: declineInput(e) }, s.p.twoManager))).toBe('NOT_FOUND');
    expect((await s.given.auditRows('earlyHelpReferral.changeDenied', e.referralId!)).map((a) => a.result)).toEqual(['DENIED', 'DENIED']);
    expect((await episodeRow(e.id)).status).toBe('OFFERED');
    expect((await counts()).keys).toBe(0);
  });

  it.each([
    ['a start in the future', { startDate: '2027-01-21' }, ['startDate']],
    ['a start before the request', { startDate: '2027-01-03' }, ['startDate']],
    ['a malformed idempotency key', { idempotencyKey: 'short' }, ['idempotencyKey']],
  ])('refuses %s, writing nothing', async (_name, extra, fields) => {
    const e = await episode({ status: 'OFFERED' });
    const r = await run(ACCEPT, { input: acceptInput(e, extra) }, s.c.providerManager);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(fields);
    expect(await episodeRow(e.id)).toMatchObject({ status: 'OFFERED', version: 1 });
    expect((await counts()).keys).toBe(0);
  });

  it('refuses a lead practitioner who is not active staff of the provider (EARLY_HELP_LEAD_NOT_PROVIDER_STAFF)', async () => {
    const e = await episode({ status: 'OFFERED' });
    const given = s.given;
    const system = await given.account(RoleCode.PROVIDER_PRACTITIONER, { providerId: s.c.provider.id });
    await s.api.db.query(`UPDATE account SET system = true WHERE id = $1`, [system.id]);
    const disabled = await given.account(RoleCode.PROVIDER_PRACTITIONER, { providerId: s.c.provider.id, disabled: true });
    for (const lead of [s.c.socialWorker, s.p.twoPractitioner, system, disabled] as TestAccount[]) {
      const r = await run(ACCEPT, { input: acceptInput(e, { leadPractitionerId: lead.id }) }, s.c.providerManager);
      expect(codeOf(r)).toBe('EARLY_HELP_LEAD_NOT_PROVIDER_STAFF');
    }
    expect(await episodeRow(e.id)).toMatchObject({ status: 'OFFERED', lead_practitioner_id: null });
    expect((await counts()).keys).toBe(0);
  });

  it('accepts: the referral ACCEPTED, work starts with the lead practitioner, audited; a retry is answered from the first result', async () => {
    const e = await episode({ status: 'OFFERED' });
    const input = acceptInput(e);
    const r = await run(ACCEPT, { input }, s.c.providerManager);
    expect(r.errors).toBeUndefined();
    const out = r.data.acceptEarlyHelpReferral;
    expect(out.replayed).toBe(false);
    expect(out.referral).toMatchObject({ id: e.referralId, status: 'ACCEPTED', decidedById: s.c.providerManager.id, version: 2 });
    expect(out.referral.decidedAt).toBe('2027-01-20T12:00:00.000Z');
    expect(out.episode).toMatchObject({
      id: e.id, status: 'IN_WORK', providerId: s.c.provider.id, leadPractitionerId: s.c.providerPractitioner.id, workStartedOn: '2027-01-18',
      version: 2, leadPractitioner: { id: s.c.providerPractitioner.id },
    });
    expect(await s.given.auditRows('earlyHelpReferral.accepted', e.referralId!)).toMatchObject([
      { actor_id: s.c.providerManager.id, child_id: e.childId, result: 'ALLOWED' },
    ]);

    const retry = await run(ACCEPT, { input }, s.c.providerManager);
    expect(retry.errors).toBeUndefined();
    expect(retry.data.acceptEarlyHelpReferral.replayed).toBe(true);
    expect(retry.data.acceptEarlyHelpReferral.referral).toEqual(out.referral);
    expect(await s.given.auditRows('earlyHelpReferral.accepted')).toHaveLength(1);
    // The retry changed nothing but was shown the record again: audited as a replay.
    expect(await s.given.auditRows('submission.replayed', e.referralId!)).toMatchObject([
      { actor_id: s.c.providerManager.id, child_id: e.childId, fields: ['acceptEarlyHelpReferral'], result: 'ALLOWED' },
    ]);
    expect(await episodeRow(e.id)).toMatchObject({ status: 'IN_WORK', version: 2 });

    const reused = await run(ACCEPT, { input: { ...input, startDate: '2027-01-19' } }, s.c.providerManager);
    expect(codeOf(reused)).toBe('IDEMPOTENCY_KEY_REUSED');
    const again = await run(ACCEPT, { input: { ...input, idempotencyKey: key(), expectedVersion: 2 } }, s.c.providerManager);
    expect(codeOf(again)).toBe('EARLY_HELP_WRONG_STAGE');
    expect(await episodeRow(e.id)).toMatchObject({ work_started_on: '2027-01-18', version: 2 });
  });

  it('writes one decision when the same acceptance is sent twice at once', async () => {
    const e = await episode({ status: 'OFFERED' });
    const input = acceptInput(e);
    const results = await Promise.all([run(ACCEPT, { input }, s.c.providerManager), run(ACCEPT, { input }, s.c.providerManager)]);
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined]);
    expect(results.map((r) => r.data.acceptEarlyHelpReferral.replayed).sort()).toEqual([false, true]);
    expect(await s.given.auditRows('earlyHelpReferral.accepted')).toHaveLength(1);
    expect(await episodeRow(e.id)).toMatchObject({ status: 'IN_WORK', version: 2 });
  });

  it('refuses a stale version, writing nothing', async () => {
    const e = await episode({ status: 'OFFERED' });
    const r = await run(ACCEPT, { input: acceptInput(e, { expectedVersion: 5 }) }, s.c.providerManager);
    expect(codeOf(r)).toBe('STALE_VERSION');
    const d = await run(DECLINE, { input: declineInput(e, { expectedVersion: 5 }) }, s.c.providerManager);
    expect(codeOf(d)).toBe('STALE_VERSION');
    expect(await episodeRow(e.id)).toMatchObject({ status: 'OFFERED', version: 1 });
    expect((await counts()).keys).toBe(0);
  });

  it("declines with a reason: the family returns to the council (REQUESTED) and the provider's access ends", async () => {
    const e = await episode({ status: 'OFFERED' });
    expect(codeOf(await run(DECLINE, { input: declineInput(e, { reason: 'no' }) }, s.c.providerManager))).toBe('BAD_USER_INPUT');
    const input = declineInput(e);
    const r = await run(DECLINE, { input }, s.c.providerManager);
    expect(r.errors).toBeUndefined();
    expect(r.data.declineEarlyHelpReferral).toMatchObject({
      replayed: false,
      referral: { id: e.referralId, status: 'DECLINED', declineReason: 'No capacity in the family team this month', version: 2 },
      episode: null,
    });
    expect(await episodeRow(e.id)).toMatchObject({ status: 'REQUESTED', provider_id: null, version: 2 });
    expect(await s.given.auditRows('earlyHelpReferral.declined', e.referralId!)).toMatchObject([
      { actor_id: s.c.providerManager.id, child_id: e.childId, result: 'ALLOWED' },
    ]);
    // The provider no longer sees the family; the council sees the decline in the history.
    expect(codeOf(await run(PROVIDER_VIEW, { id: e.id }, s.c.providerManager))).toBe('NOT_FOUND');
    expect(codeOf(await run(PROVIDER_VIEW, { id: e.id }, s.c.providerPractitioner))).toBe('NOT_FOUND');
    const council = await run(EPISODE, { id: e.id }, s.c.earlyHelp);
    expect(council.data.earlyHelpEpisode).toMatchObject({ status: 'REQUESTED', provider: null });
    expect(council.data.earlyHelpEpisode.providerReferrals).toMatchObject([{ status: 'DECLINED' }]);
    // A retry gets the first answer; a new decision on the declined referral is refused.
    const retry = await run(DECLINE, { input }, s.c.providerManager);
    expect(retry.data.declineEarlyHelpReferral).toMatchObject({ replayed: true, referral: { status: 'DECLINED' }, episode: null });
    expect(codeOf(await run(ACCEPT, { input: acceptInput(e, { expectedVersion: 2 }) }, s.c.providerManager))).toBe('EARLY_HELP_WRONG_STAGE');
    expect(await s.given.auditRows('earlyHelpReferral.declined')).toHaveLength(1);
    expect(await s.given.auditRows('submission.replayed', e.referralId!)).toMatchObject([
      { actor_id: s.c.providerManager.id, child_id: e.childId, fields: ['declineEarlyHelpReferral'], result: 'ALLOWED' },
    ]);
  });

  it("shows provider staff only their own organisation's offers in the history", async () => {
    const e = await episode({ status: 'OFFERED', provider: 'two' });
    await run(DECLINE, { input: declineInput(e) }, s.p.twoManager);
    const v = (await episodeRow(e.id)).version;
    expect((await run(COMMISSION, { input: { episodeId: e.id, expectedVersion: v, providerId: s.c.provider.id } }, s.c.earlyHelp)).errors)
      .toBeUndefined();
    const seen = await run(PROVIDER_VIEW, { id: e.id }, s.c.providerPractitioner);
    expect(seen.data.earlyHelpEpisode.providerReferrals).toEqual([expect.objectContaining({ providerId: s.c.provider.id, status: 'OFFERED' })]);
    const council = await run(EPISODE, { id: e.id }, s.c.earlyHelp);
    expect(council.data.earlyHelpEpisode.providerReferrals.map((x: { status: string }) => x.status)).toEqual(['DECLINED', 'OFFERED']);
  });
});

describe('raiseEarlyHelpConcern', () => {
  const concernInput = (episodeId: string, extra: Record<string, unknown> = {}) => ({
    episodeId, idempotencyKey: key(), safeguarding: true, description: 'Neighbour reports shouting and a child crying late at night',
    needsAdded: ['DOMESTIC_ABUSE', 'HEALTH'], ...extra,
  });

  it('refuses an anonymous caller, roles without earlyhelp:record, and a provider whose agreement does not allow it', async () => {
    const e = await episode({ status: 'OFFERED' });
    expect(codeOf(await run(CONCERN, { input: concernInput(e.id) }))).toBe('UNAUTHENTICATED');
    for (const who of [s.c.socialWorker, s.c.frontDoor, s.c.analyst]) {
      expect(codeOf(await run(CONCERN, { input: concernInput(e.id) }, who))).toBe('FORBIDDEN');
    }
    await agreementWithout('raiseEarlyHelpConcern');
    expect(codeOf(await run(CONCERN, { input: concernInput(e.id) }, s.c.providerPractitioner))).toBe('FORBIDDEN');
    expect((await counts()).concerns).toBe(0);
  });

  it("answers NOT_FOUND for another provider's family or one whose referral was declined", async () => {
    const other = await episode({ status: 'OFFERED', provider: 'two' });
    expect(codeOf(await run(CONCERN, { input: concernInput(other.id) }, s.c.providerPractitioner))).toBe('NOT_FOUND');
    const declined = await episode({ status: 'OFFERED' });
    await s.api.db.query(`UPDATE early_help_referral SET status = 'DECLINED' WHERE id = $1`, [declined.referralId]);
    expect(codeOf(await run(CONCERN, { input: concernInput(declined.id) }, s.c.providerPractitioner))).toBe('NOT_FOUND');
    expect(await counts()).toMatchObject({ concerns: 0, keys: 0 });
  });

  it('refuses a short description or a malformed key, writing nothing', async () => {
    const e = await episode({ status: 'OFFERED' });
    const short = await run(CONCERN, { input: concernInput(e.id, { description: 'bad' }) }, s.c.providerPractitioner);
    expect(fieldsOf(short)).toEqual(['description']);
    const badKey = await run(CONCERN, { input: concernInput(e.id, { idempotencyKey: 'a b c d e f g' }) }, s.c.providerPractitioner);
    expect(fieldsOf(badKey)).toEqual(['idempotencyKey']);
    expect(await counts()).toMatchObject({ concerns: 0, keys: 0 });
  });

  it('records a concern from the provider, adding needs, audited; a retry is answered from the first result', async () => {
    const e = await episode({ status: 'OFFERED' });
    const input = concernInput(e.id);
    const r = await run(CONCERN, { input }, s.c.providerPractitioner);
    expect(r.errors).toBeUndefined();
    const { concern, replayed } = r.data.raiseEarlyHelpConcern;
    expect(replayed).toBe(false);
    expect(concern).toMatchObject({ episodeId: e.id, safeguarding: true, needsAdded: ['DOMESTIC_ABUSE', 'HEALTH'], raisedAt: '2027-01-20T12:00:00.000Z' });
    expect(await episodeRow(e.id)).toMatchObject({ needs: ['EDUCATION', 'HEALTH', 'FINANCIAL_STABILITY', 'DOMESTIC_ABUSE'], version: 2 });
    expect(await s.given.auditRows('earlyHelpConcern.raised', concern.id)).toMatchObject([
      { actor_id: s.c.providerPractitioner.id, child_id: e.childId, result: 'ALLOWED' },
    ]);
    // Another member of the same provider (e.g. its case system) retrying the same submission gets the first result.
    const retry = await run(CONCERN, { input }, s.c.providerManager);
    expect(retry.data.raiseEarlyHelpConcern).toEqual({ concern, replayed: true });
    expect(await s.given.auditRows('submission.replayed', concern.id)).toMatchObject([
      { actor_id: s.c.providerManager.id, child_id: e.childId, fields: ['raiseEarlyHelpConcern'], result: 'ALLOWED' },
    ]);
    expect(await counts()).toMatchObject({ concerns: 1 });
    const reused = await run(CONCERN, { input: { ...input, safeguarding: false } }, s.c.providerPractitioner);
    expect(codeOf(reused)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await counts()).toMatchObject({ concerns: 1 });
    expect((await episodeRow(e.id)).version).toBe(2);
  });

  it('lets the council raise a concern on a waiting family, but not on a closed episode', async () => {
    const e = await episode();
    const r = await run(CONCERN, { input: concernInput(e.id, { safeguarding: false, needsAdded: [] }) }, s.c.earlyHelp);
    expect(r.errors).toBeUndefined();
    expect((await episodeRow(e.id)).version).toBe(1);
    const closed = await episode({ status: 'CLOSED' });
    expect(codeOf(await run(CONCERN, { input: concernInput(closed.id) }, s.c.earlyHelp))).toBe('EARLY_HELP_WRONG_STAGE');
    expect(await counts()).toMatchObject({ concerns: 1 });
  });
});

describe('Child.earlyHelpEpisodes', () => {
  const CHILD = `query($id: ID!) { child(id: $id) { id earlyHelpEpisodes { id status requestedOn } } }`;

  it("lists a child's episodes newest first, each view audited; provider staff see only their open family's", async () => {
    const child = await s.given.child();
    const old = await s.eh.episode({
      childIds: [child.id], status: 'CLOSED', providerId: s.p.providerTwo.id, contractId: s.p.contractTwo.id, requestedOn: '2025-05-01',
    });
    const current = await s.eh.episode({
      childIds: [child.id], status: 'OFFERED', providerId: s.c.provider.id, contractId: s.p.contractOne.id, requestedOn: '2027-01-04',
    });
    const council = await run(CHILD, { id: child.id }, s.c.earlyHelp);
    expect(council.errors).toBeUndefined();
    expect(council.data.child.earlyHelpEpisodes.map((e: { id: string }) => e.id)).toEqual([current.id, old.id]);
    expect((await s.given.auditRows('earlyHelpEpisode.viewed', old.id)).map((a) => a.child_id)).toEqual([child.id]);

    const provider = await run(CHILD, { id: child.id }, s.c.providerPractitioner);
    expect(provider.errors).toBeUndefined();
    expect(provider.data.child.earlyHelpEpisodes).toEqual([{ id: current.id, status: 'OFFERED', requestedOn: '2027-01-04' }]);
    expect(codeOf(await run(CHILD, { id: child.id }, s.p.twoPractitioner))).toBe('NOT_FOUND');
  });
});

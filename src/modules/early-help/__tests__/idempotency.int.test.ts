import { randomUUID } from 'node:crypto';
import { codeOf, useFixedClock } from '../../../../test/api';
import { useEarlyHelpSuite } from '../../../../test/early-help-factories';

/** Provider submissions are retry-safe: one write per (provider, key); the same key with other content is refused. */

const SUBMIT = `mutation($input: SubmitEarlyHelpAssessmentInput!) { submitEarlyHelpAssessment(input: $input) {
  replayed assessment { id version analysis } } }`;
const MEETING = `mutation($input: RecordTeamAroundFamilyMeetingInput!) { recordTeamAroundFamilyMeeting(input: $input) { replayed meeting { id } } }`;
const START_PLAN = `mutation($input: StartFamilyPlanInput!) { startFamilyPlan(input: $input) { replayed plan { id version outcomes { id } } } }`;
const REVIEW_PLAN = `mutation($input: ReviewFamilyPlanInput!) { reviewFamilyPlan(input: $input) { replayed plan { id version } } }`;
const CLOSE = `mutation($input: CloseEarlyHelpEpisodeInput!) { closeEarlyHelpEpisode(input: $input) { replayed episode { id status version } } }`;

const suite = useEarlyHelpSuite();
const clock = useFixedClock(suite, '2027-01-20T12:00:00Z');
const run = clock.run;

async function episode(provider: 'one' | 'two' = 'one') {
  const s = suite;
  const child = await s.given.child();
  const e = await s.eh.episode({
    childIds: [child.id], status: 'IN_WORK', requestedOn: '2027-01-04',
    providerId: provider === 'one' ? s.c.provider.id : s.p.providerTwo.id,
    contractId: provider === 'one' ? s.p.contractOne.id : s.p.contractTwo.id,
  });
  return { ...e, childId: child.id };
}

const assessment = (episodeId: string, idempotencyKey: string, extra: Record<string, unknown> = {}) => ({
  episodeId, idempotencyKey,
  reason: 'Attendance has fallen and mother asked for help',
  needs: [{ need: 'EDUCATION', description: 'Attendance 78%' }],
  strengths: 'Close family', livedExperience: 'Late most mornings', childVoice: 'I want to see my friends', analysis: 'Routines first',
  startedOn: '2027-01-06', completedOn: '2027-01-15',
  ...extra,
});
const meeting = (episodeId: string, idempotencyKey: string) => ({
  episodeId, idempotencyKey, heldOn: '2027-01-12', attendees: [{ name: 'Ms Head', agency: 'Oakfield Primary' }], familyPresent: true,
  decisions: 'Breakfast club place offered',
});
const plan = (episodeId: string, idempotencyKey: string) => ({
  episodeId, idempotencyKey, startDate: '2027-01-12',
  content: {
    outcomes: [{ needToChange: 'Attendance above 95%', measure: 'Attendance report', byWhen: '2027-04-01' }],
    actions: [],
    contingency: 'If attendance does not improve the TAF will consider an education welfare referral.',
    familySummary: 'We will help mornings go better so that getting to school is easier.',
  },
});

const rows = (table: string) => suite.given.count(table);

/** The child is made restricted, named to the service manager only (as restrictRecord would). */
async function restrict(childId: string) {
  await suite.api.db.query(`UPDATE child SET restricted = true WHERE id = $1`, [childId]);
  await suite.api.db.query(`INSERT INTO restriction_grant (child_id, account_id, granted_by_id) VALUES ($1, $2, $2)`, [
    childId, suite.c.serviceManager.id,
  ]);
}

describe('idempotent provider submissions', () => {
  it('the same submission sent twice writes one record and returns the same one, the second marked replayed', async () => {
    const e = await episode();
    const key = randomUUID();
    const first = await run(SUBMIT, { input: assessment(e.id, key) }, suite.c.providerPractitioner);
    // a retry from the provider's system under another staff account of the same provider is the same submission
    const second = await run(SUBMIT, { input: assessment(e.id, key) }, suite.c.providerManager);
    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    expect(first.data.submitEarlyHelpAssessment.replayed).toBe(false);
    expect(second.data.submitEarlyHelpAssessment).toEqual({ ...first.data.submitEarlyHelpAssessment, replayed: true });
    expect(await rows('early_help_assessment')).toBe(1);
    expect(await rows('idempotency_key')).toBe(1);
    expect(await suite.given.auditRows('earlyHelpAssessment.submitted')).toHaveLength(1);
    const replays = await suite.given.auditRows('submission.replayed');
    expect(replays).toMatchObject([{ actor_id: suite.c.providerManager.id, child_id: e.childId, fields: ['submitEarlyHelpAssessment'] }]);
  });

  it('five identical submissions sent at once write exactly one record, and all five return it', async () => {
    const e = await episode();
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => run(MEETING, { input: meeting(e.id, key) }, suite.c.providerPractitioner)),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    const ids = new Set(results.map((r) => r.data.recordTeamAroundFamilyMeeting.meeting.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !r.data.recordTeamAroundFamilyMeeting.replayed)).toHaveLength(1);
    expect(await rows('team_around_family_meeting')).toBe(1);
    expect(await suite.given.auditRows('teamAroundFamilyMeeting.recorded')).toHaveLength(1);
  });

  it('five identical closures sent at once close once (one version bump), and all five return the closed episode', async () => {
    const e = await episode();
    const input = {
      episodeId: e.id, expectedVersion: e.version, idempotencyKey: randomUUID(), closedOn: '2027-01-19', outcome: 'NEEDS_MET',
      summary: 'Attendance is back above 95%',
      progress: ['EDUCATION', 'HEALTH', 'FINANCIAL_STABILITY'].map((need) => ({ need, rating: 'IMPROVED', comment: 'Better' })),
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => run(CLOSE, { input }, suite.c.providerPractitioner)));
    for (const r of results) expect(r.errors).toBeUndefined();
    expect(results.map((r) => r.data.closeEarlyHelpEpisode.episode)).toEqual(Array(5).fill({ id: e.id, status: 'CLOSED', version: 2 }));
    expect(results.filter((r) => !r.data.closeEarlyHelpEpisode.replayed)).toHaveLength(1);
    expect(await suite.given.auditRows('earlyHelp.closed', e.id)).toHaveLength(1);
    // a retry after the provider's access ended still gets its closure back; anything else about the family is gone
    const retry = await run(CLOSE, { input }, suite.c.providerPractitioner);
    expect(retry.data.closeEarlyHelpEpisode).toEqual({ replayed: true, episode: { id: e.id, status: 'CLOSED', version: 2 } });
    expect(codeOf(await run(`query($id: ID!) { earlyHelpEpisode(id: $id) { id } }`, { id: e.id }, suite.c.providerPractitioner))).toBe('NOT_FOUND');
  });

  it('the same key with different content (or for another submission) is refused IDEMPOTENCY_KEY_REUSED, writing nothing', async () => {
    const e = await episode();
    const key = randomUUID();
    const first = await run(SUBMIT, { input: assessment(e.id, key) }, suite.c.providerPractitioner);
    expect(first.errors).toBeUndefined();
    const changed = await run(SUBMIT, { input: assessment(e.id, key, { analysis: 'A different analysis' }) }, suite.c.providerPractitioner);
    expect(codeOf(changed)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(changed.errors?.[0].extensions?.fields).toEqual([{ field: 'idempotencyKey', message: expect.any(String) }]);
    const otherOperation = await run(MEETING, { input: meeting(e.id, key) }, suite.c.providerPractitioner);
    expect(codeOf(otherOperation)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await rows('early_help_assessment')).toBe(1);
    expect(await rows('team_around_family_meeting')).toBe(0);
    const [row] = await suite.api.db.query(`SELECT analysis, version FROM early_help_assessment`);
    expect(row).toEqual({ analysis: 'Routines first', version: 1 });
  });

  it('keys are scoped to the provider: Provider Two may use the same key for its own submission', async () => {
    const mine = await episode('one');
    const theirs = await episode('two');
    const key = randomUUID();
    const one = await run(SUBMIT, { input: assessment(mine.id, key) }, suite.c.providerPractitioner);
    const two = await run(SUBMIT, { input: assessment(theirs.id, key) }, suite.p.twoPractitioner);
    expect(one.errors).toBeUndefined();
    expect(two.errors).toBeUndefined();
    expect(two.data.submitEarlyHelpAssessment.replayed).toBe(false);
    expect(two.data.submitEarlyHelpAssessment.assessment.id).not.toBe(one.data.submitEarlyHelpAssessment.assessment.id);
    expect(await rows('early_help_assessment')).toBe(2);
    // and Provider Two cannot replay Provider One's submission to read it: under its own scope the key is new, the episode not found
    expect(codeOf(await run(SUBMIT, { input: assessment(mine.id, randomUUID()) }, suite.p.twoPractitioner))).toBe('NOT_FOUND');
    expect(await rows('idempotency_key')).toBe(2);
  });

  it("council staff keys are their own: two council accounts' same key are two submissions", async () => {
    const e = await episode();
    const key = randomUUID();
    const a = await run(MEETING, { input: meeting(e.id, key) }, suite.c.earlyHelp);
    const b = await run(MEETING, { input: meeting(e.id, key) }, suite.c.serviceManager);
    expect(a.data.recordTeamAroundFamilyMeeting.replayed).toBe(false);
    expect(b.data.recordTeamAroundFamilyMeeting.replayed).toBe(false);
    expect(await rows('team_around_family_meeting')).toBe(2);
  });

  it('a failed submission does not burn its key: corrected, the same key goes through', async () => {
    const e = await episode();
    const key = randomUUID();
    // refused in the transaction (after the key was taken): the start is before the request for support
    const early = await run(SUBMIT, { input: assessment(e.id, key, { startedOn: '2027-01-03' }) }, suite.c.providerPractitioner);
    expect(codeOf(early)).toBe('BAD_USER_INPUT');
    // refused by validation before any transaction
    const blank = await run(SUBMIT, { input: assessment(e.id, key, { reason: ' ' }) }, suite.c.providerPractitioner);
    expect(codeOf(blank)).toBe('BAD_USER_INPUT');
    expect(await rows('idempotency_key')).toBe(0);
    const ok = await run(SUBMIT, { input: assessment(e.id, key) }, suite.c.providerPractitioner);
    expect(ok.errors).toBeUndefined();
    expect(ok.data.submitEarlyHelpAssessment.replayed).toBe(false);
    expect(await rows('early_help_assessment')).toBe(1);
  });

  it('family plan start and review are retry-safe too (one plan, one review)', async () => {
    const e = await episode();
    const startKey = randomUUID();
    const started = await run(START_PLAN, { input: plan(e.id, startKey) }, suite.c.providerPractitioner);
    const again = await run(START_PLAN, { input: plan(e.id, startKey) }, suite.c.providerPractitioner);
    expect(started.errors).toBeUndefined();
    expect(again.data.startFamilyPlan).toEqual({ ...started.data.startFamilyPlan, replayed: true });
    const p = started.data.startFamilyPlan.plan;
    const review = {
      planId: p.id, expectedVersion: p.version, idempotencyKey: randomUUID(), heldOn: '2027-01-19',
      progress: [{ outcomeId: p.outcomes[0].id, rating: 'SOME_PROGRESS', comment: 'Two late days' }], decision: 'CONTINUE',
      summary: 'Breakfast club is helping',
    };
    const reviews = await Promise.all([1, 2, 3].map(() => run(REVIEW_PLAN, { input: review }, suite.c.providerPractitioner)));
    for (const r of reviews) expect(r.errors).toBeUndefined();
    expect(reviews.map((r) => r.data.reviewFamilyPlan.plan)).toEqual(Array(3).fill({ id: p.id, version: 2 }));
    expect(await rows('plan')).toBe(1);
    expect(await rows('plan_review')).toBe(1);
  });

  it("a retried closure is NOT_FOUND once a child is restricted to others, though the closure itself ended the provider's access", async () => {
    const e = await episode();
    const input = {
      episodeId: e.id, expectedVersion: e.version, idempotencyKey: randomUUID(), closedOn: '2027-01-19', outcome: 'NEEDS_MET',
      summary: 'Attendance is back above 95%',
      progress: ['EDUCATION', 'HEALTH', 'FINANCIAL_STABILITY'].map((need) => ({ need, rating: 'IMPROVED', comment: 'Better' })),
    };
    const LEAKY_CLOSE = `mutation($input: CloseEarlyHelpEpisodeInput!) { closeEarlyHelpEpisode(input: $input) {
      replayed episode { id status reason requesterName } } }`;
    expect((await run(LEAKY_CLOSE, { input }, suite.c.providerPractitioner)).errors).toBeUndefined();
    await restrict(e.childId);
    const before = await suite.given.count('audit_entry');
    const retry = await run(LEAKY_CLOSE, { input }, suite.c.providerPractitioner);
    expect(codeOf(retry)).toBe('NOT_FOUND');
    expect(retry.data).toBeNull();
    expect(await suite.given.auditRows('submission.replayed')).toHaveLength(0);
    expect(await suite.given.auditRows('submission.replayDenied', e.id)).toMatchObject([{ actor_id: suite.c.providerPractitioner.id, result: 'DENIED' }]);
    expect(await suite.given.count('audit_entry')).toBe(before + 1);
  });

  it('a retried decision is NOT_FOUND once a child of the declined or closed referral is restricted to others', async () => {
    const DECLINE = `mutation($input: DeclineEarlyHelpReferralInput!) { declineEarlyHelpReferral(input: $input) {
      replayed referral { id status declineReason } } }`;
    const ACCEPT = `mutation($input: AcceptEarlyHelpReferralInput!) { acceptEarlyHelpReferral(input: $input) {
      replayed referral { id status } } }`;
    const offered = async () => {
      const child = await suite.given.child();
      const e = await suite.eh.episode({
        childIds: [child.id], status: 'OFFERED', requestedOn: '2027-01-04', providerId: suite.c.provider.id, contractId: suite.p.contractOne.id,
      });
      return { ...e, childId: child.id };
    };

    const declined = await offered();
    const decline = { id: declined.referralId, expectedVersion: 1, idempotencyKey: randomUUID(), reason: 'No capacity in the family team this month' };
    expect((await run(DECLINE, { input: decline }, suite.c.providerManager)).errors).toBeUndefined();
    // unrestricted, the retry gets the first answer
    expect((await run(DECLINE, { input: decline }, suite.c.providerManager)).data.declineEarlyHelpReferral.replayed).toBe(true);
    await restrict(declined.childId);
    const hidden = await run(DECLINE, { input: decline }, suite.c.providerManager);
    expect(codeOf(hidden)).toBe('NOT_FOUND');
    expect(hidden.data).toBeNull();

    // Accepted, then closed when the family withdrew consent: the retried acceptance is refused the same way.
    const accepted = await offered();
    const accept = {
      id: accepted.referralId, expectedVersion: 1, idempotencyKey: randomUUID(), leadPractitionerId: suite.c.providerPractitioner.id,
      startDate: '2027-01-18',
    };
    expect((await run(ACCEPT, { input: accept }, suite.c.providerManager)).errors).toBeUndefined();
    const [consent] = await suite.api.db.query(`SELECT id, version FROM early_help_consent WHERE episode_id = $1 AND kind = 'SHARING'`, [accepted.id]);
    const withdrawn = await run(
      `mutation($input: WithdrawEarlyHelpConsentInput!) { withdrawEarlyHelpConsent(input: $input) { id } }`,
      { input: { id: consent.id, expectedVersion: consent.version, withdrawnOn: '2027-01-19', withdrawnBy: 'Parent', reason: 'No longer wants help' } },
      suite.c.earlyHelp,
    );
    expect(withdrawn.errors).toBeUndefined();
    expect((await run(ACCEPT, { input: accept }, suite.c.providerManager)).data.acceptEarlyHelpReferral).toEqual({
      replayed: true, referral: { id: accepted.referralId, status: 'CLOSED' },
    });
    await restrict(accepted.childId);
    expect(codeOf(await run(ACCEPT, { input: accept }, suite.c.providerManager))).toBe('NOT_FOUND');
    expect(await suite.given.auditRows('earlyHelpReferral.changeDenied')).toHaveLength(2);
  });
});

import { randomUUID } from 'node:crypto';
import { codeOf, GqlResult, TestApi, useFixedClock } from '../../../../test/api';
import { Council, Suite, useCouncilSuite } from '../../../../test/factories';

const CONTACT = `mutation($input: RecordContactInput!) { recordContact(input: $input) {
  id childId receivedAt sourceCode summary outcome version } }`;
const REFER = `mutation($input: CreateReferralInput!) { createReferral(input: $input) {
  id childId contactId referralDate decisionDueOn decision decisionTimeliness version } }`;
const DECIDE = `mutation($input: DecideReferralInput!) { decideReferral(input: $input) {
  id decision decisionReason decidedAt decidedBy { id } decisionTimeliness version } }`;
const ALLOCATE = `mutation($input: AllocateCaseInput!) { allocateCase(input: $input) {
  id childId teamId workerId endedAt reason version team { name } worker { id } } }`;
const REFERRAL = `query($id: ID!) { referral(id: $id) { id decision decidedAt decisionTimeliness version } }`;
const HISTORY = `query($id: ID!) { child(id: $id) {
  allocationHistory { teamId workerId endedAt } currentAllocation { teamId version worker { id } } } }`;
const CASELOAD_FIELDS = `totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { childId nextDueOn child { id } due { kind recordId status dueOn workingDaysOverdue } } }`;
const MY = `query($first: Int!, $after: String) { myCaseload(first: $first, after: $after) { ${CASELOAD_FIELDS} } }`;
const TEAM = `query($teamId: ID!, $first: Int!, $after: String) {
  teamCaseload(teamId: $teamId, first: $first, after: $after) { ${CASELOAD_FIELDS} } }`;

const suite = useCouncilSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const fieldsOf = (r: GqlResult) => (r.errors?.[0].extensions?.fields ?? []).map((f) => f.field).sort();
const contactInput = (childId: string) => ({
  childId, receivedAt: hoursAgo(1), sourceCode: '2A', summary: 'School reports bruising on the left arm', outcome: 'REFERRAL',
});
const referralInput = (childId: string) => ({
  childId, receivedAt: '2026-11-20T10:00:00Z', sourceCode: '2A', primaryNeedCode: 'N1', reason: 'School is worried about bruising',
});
const decideInput = (id: string, expectedVersion = 1) => ({
  id, expectedVersion, decision: 'ASSESSMENT', reason: 'Threshold for a child and family assessment is met',
});
const allocateInput = (childId: string, teamId: string, workerId: string | null, expectedVersion: number) => ({
  childId, teamId, workerId, expectedVersion, reason: 'Allocated after screening',
});

/** The London calendar date, computed independently of the code under test. */
function londonToday(): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date());
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}
const plusDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Working days w with from < w <= to, counted by hand from the bank holiday table. */
async function workingDaysAfter(from: string, to: string): Promise<number> {
  const rows: { date: string }[] = await api.db.query(`SELECT date FROM bank_holiday`);
  const holidays = new Set(rows.map((r) => r.date));
  let n = 0;
  for (let d = plusDays(from, 1); d <= to; d = plusDays(d, 1)) {
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (dow !== 0 && dow !== 6 && !holidays.has(d)) n += 1;
  }
  return n;
}

async function referralRow(id: string) {
  const [row] = await api.db.query(`SELECT decision, decided_by_id, version FROM referral WHERE id = $1`, [id]);
  return row;
}

async function openAllocations(childId: string): Promise<{ team_id: string; worker_id: string | null; version: number }[]> {
  return api.db.query(`SELECT team_id, worker_id, version FROM allocation WHERE child_id = $1 AND ended_at IS NULL`, [childId]);
}

describe('recordContact', () => {
  it('refuses an anonymous caller and writes nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    expect(codeOf(await api.run(CONTACT, { input: contactInput(child.id) }))).toBe('UNAUTHENTICATED');
    expect(await given.count('contact')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses roles without contact:record, auditing each denial', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    for (const who of [c.conferenceChair, c.analyst, c.admin, c.providerPractitioner, c.governance]) {
      expect(codeOf(await api.run(CONTACT, { input: contactInput(child.id) }, who))).toBe('FORBIDDEN');
    }
    expect(await given.count('contact')).toBe(0);
    expect(await given.auditRows('access.denied')).toHaveLength(5);
    expect(await given.auditRows('contact.recorded')).toHaveLength(0);
  });

  it('answers NOT_FOUND for a restricted child the actor is not named on, as for a missing one, and writes nothing', async () => {
    const hidden = await given.child({ teamId: c.teamA.id, restrictedTo: [c.teamManager.id] });
    const forbidden = await api.run(CONTACT, { input: contactInput(hidden.id) }, c.frontDoor);
    const missing = await api.run(CONTACT, { input: contactInput(randomUUID()) }, c.frontDoor);
    expect(codeOf(forbidden)).toBe('NOT_FOUND');
    expect(codeOf(missing)).toBe('NOT_FOUND');
    expect(forbidden.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(codeOf(await api.run(CONTACT, { input: contactInput(hidden.id) }, c.socialWorker))).toBe('NOT_FOUND');
    expect(await given.count('contact')).toBe(0);
    expect(await given.auditRows('contact.recorded')).toHaveLength(0);
    expect((await given.auditRows('child.changeDenied', hidden.id)).map((a) => a.result)).toEqual(['DENIED', 'DENIED']);
  });

  it('refuses a bad source code and a too-short summary with the fields at fault, writing nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const r = await api.run(CONTACT, { input: { ...contactInput(child.id), sourceCode: 'ZZ', summary: 'short' } }, c.socialWorker);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(['sourceCode', 'summary']);
    expect(await given.count('contact')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses a contact received in the future, writing nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const r = await api.run(CONTACT, { input: { ...contactInput(child.id), receivedAt: tomorrow } }, c.socialWorker);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(['receivedAt']);
    expect(await given.count('contact')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('records a contact with its audit row', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const input = contactInput(child.id);
    const r = await api.run(CONTACT, { input }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.recordContact).toMatchObject({
      childId: child.id, sourceCode: '2A', summary: input.summary, outcome: 'REFERRAL', version: 1,
    });
    expect(new Date(r.data.recordContact.receivedAt).toISOString()).toBe(input.receivedAt);
    expect(await given.count('contact')).toBe(1);
    const audit = await given.auditRows('contact.recorded', r.data.recordContact.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.socialWorker.id, child_id: child.id, result: 'ALLOWED' });
    expect([...audit[0].fields].sort()).toEqual(['outcome', 'receivedAt', 'sourceCode', 'summary']);
  });

  it('lets the front door record a contact about a child open to another team', async () => {
    const child = await given.child({ teamId: c.teamB.id });
    const r = await api.run(CONTACT, { input: contactInput(child.id) }, c.frontDoor);
    expect(r.errors).toBeUndefined();
    expect(await given.auditRows('contact.recorded', r.data.recordContact.id)).toHaveLength(1);
    expect((await openAllocations(child.id)).map((a) => a.team_id)).toEqual([c.teamB.id]);
  });

  it("answers NOT_FOUND to a social worker recording on another team's child, writing nothing", async () => {
    const child = await given.child({ teamId: c.teamB.id });
    const contact = await api.run(CONTACT, { input: contactInput(child.id) }, c.socialWorker);
    expect(codeOf(contact)).toBe('NOT_FOUND');
    const referral = await api.run(REFER, { input: referralInput(child.id) }, c.socialWorker);
    expect(codeOf(referral)).toBe('NOT_FOUND');
    expect(await given.count('contact')).toBe(0);
    expect(await given.count('referral')).toBe(0);
    expect((await given.auditRows('child.changeDenied', child.id)).map((a) => a.result)).toEqual(['DENIED', 'DENIED']);
  });
});

describe('createReferral', () => {
  it('refuses an anonymous caller and writes nothing', async () => {
    const child = await given.child();
    expect(codeOf(await api.run(REFER, { input: referralInput(child.id) }))).toBe('UNAUTHENTICATED');
    expect(await given.count('referral')).toBe(0);
    expect(await given.count('allocation')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses roles without referral:create', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    for (const who of [c.earlyHelp, c.conferenceChair, c.analyst, c.admin, c.providerManager]) {
      expect(codeOf(await api.run(REFER, { input: referralInput(child.id) }, who))).toBe('FORBIDDEN');
    }
    expect(await given.count('referral')).toBe(0);
    expect(await given.auditRows('access.denied')).toHaveLength(5);
  });

  it('answers NOT_FOUND for a restricted child the actor is not named on and writes nothing (not even an allocation)', async () => {
    const hidden = await given.child({ restrictedTo: [c.teamManager.id] });
    for (const who of [c.frontDoor, c.serviceManager, c.socialWorker]) {
      expect(codeOf(await api.run(REFER, { input: referralInput(hidden.id) }, who))).toBe('NOT_FOUND');
    }
    expect(await given.count('referral')).toBe(0);
    expect(await given.count('allocation')).toBe(0);
    expect(await given.auditRows('referral.created')).toHaveLength(0);
    expect(await given.auditRows('case.allocated')).toHaveLength(0);
  });

  it('refuses a bad source code, primary need code and a too-short reason with the fields at fault, writing nothing', async () => {
    const child = await given.child();
    const r = await api.run(
      REFER, { input: { ...referralInput(child.id), sourceCode: '11', primaryNeedCode: 'N10', reason: 'bruises' } }, c.frontDoor,
    );
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(['primaryNeedCode', 'reason', 'sourceCode']);
    expect(await given.count('referral')).toBe(0);
    expect(await given.count('allocation')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses a referral received in the future, writing nothing', async () => {
    const child = await given.child();
    const nextWeek = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const r = await api.run(REFER, { input: { ...referralInput(child.id), receivedAt: nextWeek } }, c.frontDoor);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(['receivedAt']);
    expect(await given.count('referral')).toBe(0);
    expect(await given.count('allocation')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it("refuses a contact that is not on the child's record, writing nothing", async () => {
    const child = await given.child({ teamId: c.frontDoorTeam.id });
    const other = await given.child({ teamId: c.frontDoorTeam.id });
    const contact = await api.run(CONTACT, { input: contactInput(other.id) }, c.frontDoor);
    const auditBefore = await given.count('audit_entry');
    const r = await api.run(REFER, { input: { ...referralInput(child.id), contactId: contact.data.recordContact.id } }, c.frontDoor);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(['contactId']);
    expect(await given.count('referral')).toBe(0);
    expect(await given.count('audit_entry')).toBe(auditBefore);
  });

  it('records a referral from a contact with its audit row, due 1 working day after receipt (Friday → Monday)', async () => {
    const child = await given.child({ teamId: c.frontDoorTeam.id });
    const contact = await api.run(CONTACT, { input: contactInput(child.id) }, c.frontDoor);
    const contactId = contact.data.recordContact.id;
    const r = await api.run(REFER, { input: { ...referralInput(child.id), contactId } }, c.frontDoor);
    expect(r.errors).toBeUndefined();
    expect(r.data.createReferral).toMatchObject({
      childId: child.id, contactId, referralDate: '2026-11-20', decisionDueOn: '2026-11-23', decision: null, version: 1,
    });
    expect(await given.count('referral')).toBe(1);
    const audit = await given.auditRows('referral.created', r.data.createReferral.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.frontDoor.id, child_id: child.id });
    expect(audit[0].fields).toEqual(expect.arrayContaining(['receivedAt', 'sourceCode', 'primaryNeedCode', 'reason']));
    // Already held by a team: no new allocation.
    expect(await given.count('allocation')).toBe(1);
  });

  it.each([
    ['a winter evening (GMT)', '2026-11-20T23:30:00Z', '2026-11-20', '2026-11-23'],
    ['a summer night (BST): the next day in England', '2026-07-01T23:30:00Z', '2026-07-02', '2026-07-03'],
    ['before a bank holiday Monday', '2026-08-28T09:00:00Z', '2026-08-28', '2026-09-01'],
  ])('dates a referral received on %s by its London date', async (_label, receivedAt, referralDate, dueOn) => {
    const child = await given.child({ teamId: c.frontDoorTeam.id });
    const r = await api.run(REFER, { input: { ...referralInput(child.id), receivedAt } }, c.frontDoor);
    expect(r.errors).toBeUndefined();
    expect(r.data.createReferral).toMatchObject({ referralDate, decisionDueOn: dueOn });
    const [row] = await api.db.query(`SELECT referral_date, decision_due_on FROM referral WHERE id = $1`, [r.data.createReferral.id]);
    expect(row).toEqual({ referral_date: referralDate, decision_due_on: dueOn });
  });

  it('allocates an unallocated child to the receiving front door team, audited', async () => {
    const child = await given.child();
    const r = await api.run(REFER, { input: referralInput(child.id) }, c.frontDoor);
    expect(r.errors).toBeUndefined();
    const open = await openAllocations(child.id);
    expect(open).toEqual([{ team_id: c.frontDoorTeam.id, worker_id: null, version: 1 }]);
    const audit = await given.auditRows('case.allocated');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.frontDoor.id, child_id: child.id });
  });

  it("leaves a child open to another team with that team", async () => {
    const child = await given.child({ teamId: c.teamB.id });
    const r = await api.run(REFER, { input: referralInput(child.id) }, c.frontDoor);
    expect(r.errors).toBeUndefined();
    expect((await openAllocations(child.id)).map((a) => a.team_id)).toEqual([c.teamB.id]);
    expect(await given.auditRows('case.allocated')).toHaveLength(0);
  });
});

describe('decideReferral', () => {
  it('refuses an anonymous caller and writes nothing', async () => {
    const child = await given.child({ teamId: c.frontDoorTeam.id });
    const ref = await given.referral(child.id);
    expect(codeOf(await api.run(DECIDE, { input: decideInput(ref.id) }))).toBe('UNAUTHENTICATED');
    expect(await referralRow(ref.id)).toEqual({ decision: null, decided_by_id: null, version: 1 });
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses roles without referral:decide, even on their own team\'s child', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const ref = await given.referral(child.id);
    for (const who of [c.socialWorker, c.earlyHelp, c.conferenceChair, c.analyst, c.providerPractitioner]) {
      expect(codeOf(await api.run(DECIDE, { input: decideInput(ref.id) }, who))).toBe('FORBIDDEN');
    }
    expect(await referralRow(ref.id)).toEqual({ decision: null, decided_by_id: null, version: 1 });
    expect(await given.auditRows('referral.decided')).toHaveLength(0);
    expect(await given.auditRows('access.denied')).toHaveLength(5);
  });

  it("answers NOT_FOUND for a referral on another team's child, as for a missing one, and writes nothing", async () => {
    const child = await given.child({ teamId: c.teamB.id });
    const ref = await given.referral(child.id);
    const forbidden = await api.run(DECIDE, { input: decideInput(ref.id) }, c.teamManager);
    const missing = await api.run(DECIDE, { input: decideInput(randomUUID()) }, c.teamManager);
    expect(codeOf(forbidden)).toBe('NOT_FOUND');
    expect(forbidden.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(codeOf(await api.run(DECIDE, { input: decideInput(ref.id) }, c.frontDoor))).toBe('NOT_FOUND');
    const restricted = await given.child({ teamId: c.frontDoorTeam.id, restrictedTo: [c.teamManager.id] });
    const hiddenRef = await given.referral(restricted.id);
    expect(codeOf(await api.run(DECIDE, { input: decideInput(hiddenRef.id) }, c.frontDoor))).toBe('NOT_FOUND');
    expect(await referralRow(ref.id)).toEqual({ decision: null, decided_by_id: null, version: 1 });
    expect(await referralRow(hiddenRef.id)).toEqual({ decision: null, decided_by_id: null, version: 1 });
    expect(await given.auditRows('referral.decided')).toHaveLength(0);
  });

  it('refuses a too-short reason and a version below 1 with the fields at fault, writing nothing', async () => {
    const child = await given.child({ teamId: c.frontDoorTeam.id });
    const ref = await given.referral(child.id);
    const r = await api.run(DECIDE, { input: { ...decideInput(ref.id, 0), reason: 'NFA' } }, c.frontDoor);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(['expectedVersion', 'reason']);
    expect(await referralRow(ref.id)).toEqual({ decision: null, decided_by_id: null, version: 1 });
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('records the decision, who made it and when, with its audit row; deciding on the day is ON_TIME', async () => {
    const child = await given.child({ teamId: c.frontDoorTeam.id });
    const created = await api.run(REFER, { input: { ...referralInput(child.id), receivedAt: hoursAgo(0.1) } }, c.frontDoor);
    expect(created.data.createReferral.decisionTimeliness).toBe('AWAITING');
    const id = created.data.createReferral.id;
    const before = Date.now();
    const r = await api.run(DECIDE, { input: decideInput(id) }, c.frontDoor);
    expect(r.errors).toBeUndefined();
    expect(r.data.decideReferral).toMatchObject({
      id, decision: 'ASSESSMENT', decisionReason: decideInput(id).reason, decidedBy: { id: c.frontDoor.id },
      decisionTimeliness: 'ON_TIME', version: 2,
    });
    expect(Math.abs(Date.parse(r.data.decideReferral.decidedAt) - before)).toBeLessThan(60_000);
    expect(await referralRow(id)).toEqual({ decision: 'ASSESSMENT', decided_by_id: c.frontDoor.id, version: 2 });
    const audit = await given.auditRows('referral.decided', id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.frontDoor.id, child_id: child.id, fields: ['decision', 'decisionReason'] });
  });

  it('refuses a stale version and writes nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const ref = await given.referral(child.id);
    const r = await api.run(DECIDE, { input: decideInput(ref.id, 2) }, c.teamManager);
    expect(codeOf(r)).toBe('STALE_VERSION');
    expect(await referralRow(ref.id)).toEqual({ decision: null, decided_by_id: null, version: 1 });
    expect(await given.auditRows('referral.decided')).toHaveLength(0);
  });

  it('refuses to decide a referral twice, keeping the first decision', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const ref = await given.referral(child.id);
    expect((await api.run(DECIDE, { input: decideInput(ref.id) }, c.teamManager)).errors).toBeUndefined();
    const again = await api.run(DECIDE, { input: { ...decideInput(ref.id, 2), decision: 'NO_FURTHER_ACTION' } }, c.serviceManager);
    expect(codeOf(again)).toBe('REFERRAL_ALREADY_DECIDED');
    expect(await referralRow(ref.id)).toEqual({ decision: 'ASSESSMENT', decided_by_id: c.teamManager.id, version: 2 });
    expect(await given.auditRows('referral.decided', ref.id)).toHaveLength(1);
  });

  it('reports timeliness: AWAITING and OVERDUE while undecided, ON_TIME or LATE once decided', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const old = await given.referral(child.id, { receivedAt: '2026-01-05T10:00:00Z', dueOn: '2026-01-06' });
    const fresh = await given.referral(child.id, { receivedAt: hoursAgo(0.1), dueOn: plusDays(londonToday(), 1) });
    const dueToday = await given.referral(child.id, { receivedAt: hoursAgo(0.1), dueOn: londonToday() });
    const timeliness = async (id: string) => (await api.run(REFERRAL, { id }, c.teamManager)).data.referral.decisionTimeliness;
    expect(await timeliness(old.id)).toBe('OVERDUE');
    expect(await timeliness(fresh.id)).toBe('AWAITING');
    expect(await timeliness(dueToday.id)).toBe('AWAITING');
    expect((await api.run(DECIDE, { input: decideInput(old.id) }, c.teamManager)).data.decideReferral.decisionTimeliness).toBe('LATE');
    expect((await api.run(DECIDE, { input: decideInput(dueToday.id) }, c.teamManager)).data.decideReferral.decisionTimeliness).toBe('ON_TIME');
    expect(await timeliness(old.id)).toBe('LATE');
    expect(await timeliness(dueToday.id)).toBe('ON_TIME');
    expect(await timeliness(fresh.id)).toBe('AWAITING');
  });
});

describe('allocateCase', () => {
  it('refuses an anonymous caller and writes nothing', async () => {
    const child = await given.child();
    expect(codeOf(await api.run(ALLOCATE, { input: allocateInput(child.id, c.teamA.id, null, 0) }))).toBe('UNAUTHENTICATED');
    expect(await given.count('allocation')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses roles without case:allocate', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    for (const who of [c.socialWorker, c.earlyHelp, c.conferenceChair, c.governance, c.admin]) {
      const r = await api.run(ALLOCATE, { input: allocateInput(child.id, c.teamA.id, c.socialWorker.id, 1) }, who);
      expect(codeOf(r)).toBe('FORBIDDEN');
    }
    expect(await openAllocations(child.id)).toEqual([{ team_id: c.teamA.id, worker_id: null, version: 1 }]);
    expect(await given.count('allocation')).toBe(1);
    expect(await given.auditRows('case.allocated')).toHaveLength(0);
  });

  it("answers NOT_FOUND for another team's child and writes nothing but the denial", async () => {
    const child = await given.child({ teamId: c.teamB.id });
    const byManager = await api.run(ALLOCATE, { input: allocateInput(child.id, c.teamA.id, c.socialWorker.id, 1) }, c.teamManager);
    const byFrontDoor = await api.run(ALLOCATE, { input: allocateInput(child.id, c.frontDoorTeam.id, null, 1) }, c.frontDoor);
    expect(codeOf(byManager)).toBe('NOT_FOUND');
    expect(codeOf(byFrontDoor)).toBe('NOT_FOUND');
    expect(await openAllocations(child.id)).toEqual([{ team_id: c.teamB.id, worker_id: null, version: 1 }]);
    expect(await given.count('allocation')).toBe(1);
    expect(await given.auditRows('case.allocated')).toHaveLength(0);
    expect(await given.auditRows('child.changeDenied', child.id)).toHaveLength(2);
  });

  it('refuses a too-short reason and a negative version with the fields at fault, writing nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const r = await api.run(ALLOCATE, { input: { ...allocateInput(child.id, c.teamA.id, null, -1), reason: 'x' } }, c.teamManager);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(['expectedVersion', 'reason']);
    expect(await given.count('allocation')).toBe(1);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses a team that does not exist, writing nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const r = await api.run(ALLOCATE, { input: allocateInput(child.id, randomUUID(), null, 1) }, c.teamManager);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(['teamId']);
    expect(await openAllocations(child.id)).toEqual([{ team_id: c.teamA.id, worker_id: null, version: 1 }]);
    expect(await given.auditRows('case.allocated')).toHaveLength(0);
  });

  it('refuses a worker who is not in the team, writing nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const r = await api.run(ALLOCATE, { input: allocateInput(child.id, c.teamA.id, c.otherSocialWorker.id, 1) }, c.teamManager);
    expect(codeOf(r)).toBe('ALLOCATION_WORKER_NOT_IN_TEAM');
    const disabled = await given.account('SOCIAL_WORKER' as never, { teamId: c.teamA.id, disabled: true });
    const r2 = await api.run(ALLOCATE, { input: allocateInput(child.id, c.teamA.id, disabled.id, 1) }, c.teamManager);
    expect(codeOf(r2)).toBe('ALLOCATION_WORKER_NOT_IN_TEAM');
    expect(await openAllocations(child.id)).toEqual([{ team_id: c.teamA.id, worker_id: null, version: 1 }]);
    expect(await given.count('allocation')).toBe(1);
    expect(await given.auditRows('case.allocated')).toHaveLength(0);
  });

  it('allocates an unallocated child (expected version 0) with its audit row', async () => {
    const child = await given.child();
    const r = await api.run(ALLOCATE, { input: allocateInput(child.id, c.teamA.id, c.socialWorker.id, 0) }, c.frontDoor);
    expect(r.errors).toBeUndefined();
    expect(r.data.allocateCase).toMatchObject({
      childId: child.id, teamId: c.teamA.id, workerId: c.socialWorker.id, endedAt: null, reason: 'Allocated after screening', version: 1,
      team: { name: 'Team A' }, worker: { id: c.socialWorker.id },
    });
    const audit = await given.auditRows('case.allocated', r.data.allocateCase.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.frontDoor.id, child_id: child.id });
    expect([...audit[0].fields].sort()).toEqual(['reason', 'teamId', 'workerId']);
  });

  it('keeps the history when a case moves team, and the new team then holds it', async () => {
    const child = await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id });
    const r = await api.run(ALLOCATE, { input: allocateInput(child.id, c.teamB.id, c.otherSocialWorker.id, 1) }, c.teamManager);
    expect(r.errors).toBeUndefined();
    const h = await api.run(HISTORY, { id: child.id }, c.otherSocialWorker);
    expect(h.errors).toBeUndefined();
    const { allocationHistory, currentAllocation } = h.data.child;
    expect(allocationHistory).toHaveLength(2);
    expect(allocationHistory[0]).toMatchObject({ teamId: c.teamB.id, workerId: c.otherSocialWorker.id, endedAt: null });
    expect(allocationHistory[1]).toMatchObject({ teamId: c.teamA.id, workerId: c.socialWorker.id });
    expect(allocationHistory[1].endedAt).not.toBeNull();
    expect(currentAllocation).toEqual({ teamId: c.teamB.id, version: 2, worker: { id: c.otherSocialWorker.id } });
    // The ended allocation was versioned, and the old team no longer sees the child.
    const [ended] = await api.db.query(`SELECT version FROM allocation WHERE child_id = $1 AND ended_at IS NOT NULL`, [child.id]);
    expect(ended.version).toBe(2);
    expect(codeOf(await api.run(HISTORY, { id: child.id }, c.socialWorker))).toBe('NOT_FOUND');
  });

  it('refuses to allocate to the same team and worker again', async () => {
    const child = await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id });
    const r = await api.run(ALLOCATE, { input: allocateInput(child.id, c.teamA.id, c.socialWorker.id, 1) }, c.teamManager);
    expect(codeOf(r)).toBe('ALLOCATION_UNCHANGED');
    expect(await given.count('allocation')).toBe(1);
  });

  it('refuses a stale version and writes nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    for (const expectedVersion of [0, 2]) {
      const r = await api.run(ALLOCATE, { input: allocateInput(child.id, c.teamA.id, c.socialWorker.id, expectedVersion) }, c.teamManager);
      expect(codeOf(r)).toBe('STALE_VERSION');
    }
    expect(await openAllocations(child.id)).toEqual([{ team_id: c.teamA.id, worker_id: null, version: 1 }]);
    expect(await given.count('allocation')).toBe(1);
    expect(await given.auditRows('case.allocated')).toHaveLength(0);
  });

  it('refuses a second allocation made with the version read before the first (the case has moved on)', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const first = await api.run(ALLOCATE, { input: allocateInput(child.id, c.teamA.id, c.socialWorker.id, 1) }, c.teamManager);
    expect(first.errors).toBeUndefined();
    expect(first.data.allocateCase.version).toBe(2);
    const stale = await api.run(ALLOCATE, { input: allocateInput(child.id, c.teamB.id, c.otherSocialWorker.id, 1) }, c.serviceManager);
    expect(codeOf(stale)).toBe('STALE_VERSION');
    expect(await openAllocations(child.id)).toEqual([{ team_id: c.teamA.id, worker_id: c.socialWorker.id, version: 2 }]);
    expect(await given.auditRows('case.allocated')).toHaveLength(1);
    const next = await api.run(ALLOCATE, { input: allocateInput(child.id, c.teamB.id, c.otherSocialWorker.id, 2) }, c.serviceManager);
    expect(next.errors).toBeUndefined();
    expect(next.data.allocateCase.version).toBe(3);
  });

  it('lets exactly one of two concurrent allocations with the same expected version win', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const second = await given.account('SOCIAL_WORKER' as never, { teamId: c.teamA.id });
    const [a, b] = await Promise.all([
      api.run(ALLOCATE, { input: allocateInput(child.id, c.teamA.id, c.socialWorker.id, 1) }, c.teamManager),
      api.run(ALLOCATE, { input: allocateInput(child.id, c.teamA.id, second.id, 1) }, c.serviceManager),
    ]);
    const codes = [codeOf(a), codeOf(b)];
    expect(codes.filter((x) => x === undefined)).toHaveLength(1);
    expect(codes.filter((x) => x === 'STALE_VERSION')).toHaveLength(1);
    const winner = codeOf(a) === undefined ? c.socialWorker.id : second.id;
    expect(await openAllocations(child.id)).toEqual([{ team_id: c.teamA.id, worker_id: winner, version: 2 }]);
    expect(await given.count('allocation')).toBe(2);
    expect(await given.auditRows('case.allocated')).toHaveLength(1);
  });

  it('lets exactly one of two concurrent first allocations of an unallocated child win', async () => {
    const child = await given.child();
    const [a, b] = await Promise.all([
      api.run(ALLOCATE, { input: allocateInput(child.id, c.teamA.id, c.socialWorker.id, 0) }, c.frontDoor),
      api.run(ALLOCATE, { input: allocateInput(child.id, c.teamB.id, c.otherSocialWorker.id, 0) }, c.serviceManager),
    ]);
    const codes = [codeOf(a), codeOf(b)];
    expect(codes.filter((x) => x === undefined)).toHaveLength(1);
    expect(codes.filter((x) => x === 'STALE_VERSION')).toHaveLength(1);
    expect(await openAllocations(child.id)).toHaveLength(1);
    expect(await given.count('allocation')).toBe(1);
    expect(await given.auditRows('case.allocated')).toHaveLength(1);
  });
});

describe('myCaseload and teamCaseload', () => {
  type Node = { childId: string; nextDueOn: string | null; child: { id: string } | null; due: Record<string, unknown>[] };
  const nodes = (r: GqlResult, q: 'myCaseload' | 'teamCaseload'): Node[] => r.data[q].edges.map((e: { node: Node }) => e.node);

  async function givenCaseload() {
    const today = londonToday();
    const overdue = await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id });
    const overdueRef = await given.referral(overdue.id, { receivedAt: '2026-01-05T10:00:00Z', dueOn: '2026-01-06' });
    const upcoming = await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id });
    const upcomingRef = await given.referral(upcoming.id, { receivedAt: hoursAgo(0.1), dueOn: plusDays(today, 3) });
    const dueToday = await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id });
    const dueTodayRef = await given.referral(dueToday.id, { receivedAt: hoursAgo(0.1), dueOn: today });
    const nothingDue = await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id });
    await given.referral(nothingDue.id, { receivedAt: '2026-01-05T10:00:00Z', dueOn: '2026-01-01', decided: true });
    const colleagues = await given.child({ teamId: c.teamA.id, workerId: c.teamManager.id });
    const unassigned = await given.child({ teamId: c.teamA.id });
    const otherTeam = await given.child({ teamId: c.teamB.id, workerId: c.otherSocialWorker.id });
    return { today, overdue, overdueRef, upcoming, upcomingRef, dueToday, dueTodayRef, nothingDue, colleagues, unassigned, otherTeam };
  }

  it('refuses an anonymous caller, and roles without caseloads', async () => {
    expect(codeOf(await api.run(MY, { first: 20 }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await api.run(TEAM, { teamId: c.teamA.id, first: 20 }))).toBe('UNAUTHENTICATED');
    for (const who of [c.analyst, c.admin]) {
      expect(codeOf(await api.run(MY, { first: 20 }, who))).toBe('FORBIDDEN');
    }
    // Provider staff have a caseload of the early help families they lead, and nothing else.
    const provider = await api.run(MY, { first: 20 }, c.providerPractitioner);
    expect(provider.errors).toBeUndefined();
    expect(provider.data.myCaseload.totalCount).toBe(0);
    for (const who of [c.socialWorker, c.frontDoor, c.earlyHelp]) {
      expect(codeOf(await api.run(TEAM, { teamId: c.teamA.id, first: 20 }, who))).toBe('FORBIDDEN');
    }
  });

  it("lists a worker's own children, most urgent first, with what is due and overdue", async () => {
    const g = await givenCaseload();
    const r = await api.run(MY, { first: 20 }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    const list = nodes(r, 'myCaseload');
    expect(r.data.myCaseload.totalCount).toBe(4);
    expect(list.map((n) => n.childId)).toEqual([g.overdue.id, g.dueToday.id, g.upcoming.id, g.nothingDue.id]);
    expect(list.map((n) => n.child?.id)).toEqual([g.overdue.id, g.dueToday.id, g.upcoming.id, g.nothingDue.id]);
    expect(list.map((n) => n.nextDueOn)).toEqual(['2026-01-06', g.today, plusDays(g.today, 3), null]);
    const overdueBy = await workingDaysAfter('2026-01-06', g.today);
    expect(overdueBy).toBeGreaterThan(100);
    expect(list[0].due).toEqual([
      { kind: 'REFERRAL_DECISION', recordId: g.overdueRef.id, status: 'OVERDUE', dueOn: '2026-01-06', workingDaysOverdue: overdueBy },
    ]);
    expect(list[1].due).toEqual([
      { kind: 'REFERRAL_DECISION', recordId: g.dueTodayRef.id, status: 'DUE_TODAY', dueOn: g.today, workingDaysOverdue: 0 },
    ]);
    expect(list[2].due).toEqual([
      // three calendar days ahead is within 5 working days: due soon
      { kind: 'REFERRAL_DECISION', recordId: g.upcomingRef.id, status: 'DUE_SOON', dueOn: plusDays(g.today, 3), workingDaysOverdue: 0 },
    ]);
    expect(list[3].due).toEqual([]);
  });

  it('orders several things due on one case by urgency and puts the case by its earliest', async () => {
    const child = await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id });
    const later = await given.referral(child.id, { receivedAt: hoursAgo(0.1), dueOn: plusDays(londonToday(), 5) });
    const earlier = await given.referral(child.id, { receivedAt: '2026-01-05T10:00:00Z', dueOn: '2026-01-06' });
    const r = await api.run(MY, { first: 20 }, c.socialWorker);
    const [node] = nodes(r, 'myCaseload');
    expect(node.nextDueOn).toBe('2026-01-06');
    expect(node.due.map((d) => d.recordId)).toEqual([earlier.id, later.id]);
  });

  it("leaves out a restricted child the worker is not named on, even when allocated to them", async () => {
    await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id, restrictedTo: [c.teamManager.id] });
    const visible = await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id });
    const r = await api.run(MY, { first: 20 }, c.socialWorker);
    expect(nodes(r, 'myCaseload').map((n) => n.childId)).toEqual([visible.id]);
    expect(r.data.myCaseload.totalCount).toBe(1);
  });

  it("gives a team manager their own team's caseload, and FORBIDDEN for another team's", async () => {
    const g = await givenCaseload();
    const r = await api.run(TEAM, { teamId: c.teamA.id, first: 20 }, c.teamManager);
    expect(r.errors).toBeUndefined();
    const ids = nodes(r, 'teamCaseload').map((n) => n.childId);
    expect(ids.slice(0, 3)).toEqual([g.overdue.id, g.dueToday.id, g.upcoming.id]);
    expect(new Set(ids.slice(3))).toEqual(new Set([g.nothingDue.id, g.colleagues.id, g.unassigned.id]));
    expect(ids).not.toContain(g.otherTeam.id);
    expect(r.data.teamCaseload.totalCount).toBe(6);
    const other = await api.run(TEAM, { teamId: c.teamB.id, first: 20 }, c.teamManager);
    expect(codeOf(other)).toBe('FORBIDDEN');
    expect(other.data).toBeNull();
  });

  it("gives the front door its own queue of referral decisions, and FORBIDDEN for another team's", async () => {
    const waiting = await given.child({ teamId: c.frontDoorTeam.id });
    await given.referral(waiting.id, { receivedAt: '2026-01-05T10:00:00Z', dueOn: '2026-01-06' });
    const r = await api.run(TEAM, { teamId: c.frontDoorTeam.id, first: 20 }, c.frontDoor);
    expect(r.errors).toBeUndefined();
    const items = nodes(r, 'teamCaseload');
    expect(items.map((n) => n.childId)).toEqual([waiting.id]);
    expect(items[0].due).toEqual([expect.objectContaining({ kind: 'REFERRAL_DECISION', status: 'OVERDUE', dueOn: '2026-01-06' })]);
    expect(codeOf(await api.run(TEAM, { teamId: c.teamA.id, first: 20 }, c.frontDoor))).toBe('FORBIDDEN');
  });

  it('lets a service manager read any team', async () => {
    const g = await givenCaseload();
    const r = await api.run(TEAM, { teamId: c.teamB.id, first: 20 }, c.serviceManager);
    expect(r.errors).toBeUndefined();
    expect(nodes(r, 'teamCaseload').map((n) => n.childId)).toEqual([g.otherTeam.id]);
    expect(nodes(r, 'teamCaseload')[0].child).toEqual({ id: g.otherTeam.id });
  });

  it('pages with first/after, returning the rest without overlap, and caps first at 100', async () => {
    const g = await givenCaseload();
    for (let i = 0; i < 3; i++) await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id });
    const all = nodes(await api.run(MY, { first: 100 }, c.socialWorker), 'myCaseload').map((n) => n.childId);
    expect(all).toHaveLength(7);
    const seen: string[] = [];
    let after: string | null = null;
    const pageSizes: number[] = [];
    for (let guard = 0; guard < 10; guard++) {
      const r: GqlResult = await api.run(MY, { first: 3, after }, c.socialWorker);
      expect(r.errors).toBeUndefined();
      // totalCount is the whole list on every page, not what is left after the cursor.
      expect(r.data.myCaseload.totalCount).toBe(7);
      const page = nodes(r, 'myCaseload').map((n) => n.childId);
      pageSizes.push(page.length);
      seen.push(...page);
      after = r.data.myCaseload.pageInfo.endCursor;
      if (!r.data.myCaseload.pageInfo.hasNextPage) break;
    }
    expect(pageSizes).toEqual([3, 3, 1]);
    expect(seen).toEqual(all);
    const pastEnd = await api.run(MY, { first: 3, after }, c.socialWorker);
    expect(pastEnd.errors).toBeUndefined();
    expect(pastEnd.data.myCaseload.edges).toEqual([]);
    expect(pastEnd.data.myCaseload.totalCount).toBe(7);
    expect(pastEnd.data.myCaseload.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
    expect(new Set(seen).size).toBe(7);
    expect(seen.slice(0, 3)).toEqual([g.overdue.id, g.dueToday.id, g.upcoming.id]);

    const tooMany = await api.run(MY, { first: 101 }, c.socialWorker);
    expect(codeOf(tooMany)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(tooMany)).toEqual(['first']);
    const badCursor = await api.run(MY, { first: 3, after: 'not-a-cursor' }, c.socialWorker);
    expect(codeOf(badCursor)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(badCursor)).toEqual(['after']);
  });
});

describe('with the clock fixed at Christmas 2026', () => {
  const clock = useFixedClock(suite, '2026-12-24T16:00:00Z');
  const runAt = clock.run;

  it('dates a referral received on Christmas Eve as due on Tuesday 29 December (25 and 28 December are bank holidays)', async () => {
    const child = await given.child({ teamId: c.frontDoorTeam.id });
    const r = await runAt(REFER, { input: { ...referralInput(child.id), receivedAt: '2026-12-24T09:30:00Z' } }, c.frontDoor);
    expect(r.errors).toBeUndefined();
    expect(r.data.createReferral).toMatchObject({ referralDate: '2026-12-24', decisionDueOn: '2026-12-29', decisionTimeliness: 'AWAITING' });
  });

  it('judges "in the future" by the same clock', async () => {
    const child = await given.child({ teamId: c.frontDoorTeam.id });
    const r = await runAt(REFER, { input: { ...referralInput(child.id), receivedAt: '2026-12-24T18:00:00Z' } }, c.frontDoor);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(['receivedAt']);
    expect(await given.count('referral')).toBe(0);
  });

  it('is OVERDUE after the due day, and a decision then is LATE, dated by the clock', async () => {
    const child = await given.child({ teamId: c.frontDoorTeam.id });
    const created = await runAt(REFER, { input: { ...referralInput(child.id), receivedAt: '2026-12-24T09:30:00Z' } }, c.frontDoor);
    const id = created.data.createReferral.id;
    clock.set('2026-12-29T17:00:00Z');
    expect((await runAt(REFERRAL, { id }, c.frontDoor)).data.referral.decisionTimeliness).toBe('AWAITING');
    clock.set('2026-12-30T10:00:00Z');
    expect((await runAt(REFERRAL, { id }, c.frontDoor)).data.referral.decisionTimeliness).toBe('OVERDUE');
    const decided = await runAt(DECIDE, { input: decideInput(id) }, c.frontDoor);
    expect(decided.errors).toBeUndefined();
    expect(decided.data.decideReferral.decidedAt).toBe('2026-12-30T10:00:00.000Z');
    expect(decided.data.decideReferral.decisionTimeliness).toBe('LATE');
  });
});

import { randomUUID } from 'node:crypto';
import { systemClock } from '../../calendar/calendar.service';
import { RoleCode } from '../../identity/roles';
import { codeOf, GqlResult, TestApi } from '../../../../test/api';
import { Council, Suite, useCouncilSuite } from '../../../../test/factories';

const RECORD = `mutation($input: RecordVisitInput!) { recordVisit(input: $input) {
  id childId planId visitedOn type seen seenAlone present note version createdAt recordedBy { id displayName } } }`;
const VISITS = `query($id: ID!) { child(id: $id) { id visits { id visitedOn seen seenAlone planId recordedBy { id } } } }`;
const STATUS = `query($id: ID!) { child(id: $id) { id visitStatus { requiredEveryWorkingDays lastSeenOn nextDueOn status planType } } }`;
const CASELOAD_STATUS = `{ myCaseload(first: 50) { edges { node { child { id
  visitStatus { requiredEveryWorkingDays lastSeenOn nextDueOn status planType } visits { id } } } } } }`;

const suite = useCouncilSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});
afterEach(() => jest.restoreAllMocks());

const fieldsOf = (r: GqlResult) => [...new Set((r.errors?.[0].extensions?.fields ?? []).map((f) => f.field))].sort();

/** Fixes the service clock (the one due dates and the "not in the future" check use) at noon on a London date. */
function today(date: string) {
  jest.spyOn(systemClock, 'now').mockReturnValue(new Date(`${date}T12:00:00Z`));
}

const visitInput = (childId: string, extra: Record<string, unknown> = {}) => ({
  childId, visitedOn: '2026-11-20', type: 'HOME', seen: true, seenAlone: true, present: ['Mother', 'Health visitor'],
  note: 'Saw Amy in her bedroom; she showed me her drawings and said school is better.', ...extra,
});

/** Set-up only: an active (or ended) plan of a type, inserted directly. */
async function plan(childId: string, type: string, startDate: string, status = 'ACTIVE'): Promise<string> {
  const [row] = await api.db.query(
    `INSERT INTO plan (child_id, type, status, start_date, end_date, contingency, family_summary)
     VALUES ($1, $2, $3, $4, $5, 'Legal planning meeting if no progress', 'What we will do together') RETURNING id`,
    [childId, type, status, startDate, status === 'ENDED' ? startDate : null],
  );
  return row.id;
}

/** Set-up only: a visit inserted directly (e.g. one dated before the test's "today"). */
async function pastVisit(childId: string, visitedOn: string, seen = true) {
  await api.db.query(
    `INSERT INTO visit (child_id, visited_on, type, seen, seen_alone, note) VALUES ($1, $2, 'HOME', $3, false, 'Set-up visit note')`,
    [childId, visitedOn, seen],
  );
}

async function status(childId: string, as = c.socialWorker) {
  const r = await api.run(STATUS, { id: childId }, as);
  expect(r.errors).toBeUndefined();
  return r.data.child.visitStatus;
}

describe('recordVisit', () => {
  it('refuses an anonymous caller and writes nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    expect(codeOf(await api.run(RECORD, { input: visitInput(child.id) }))).toBe('UNAUTHENTICATED');
    expect(await given.count('visit')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses roles without visit:record (early help, front door, chairs, providers, analysts, governance, admin), auditing each', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const refused = [c.earlyHelp, c.frontDoor, c.conferenceChair, c.providerPractitioner, c.providerManager, c.analyst, c.governance, c.admin];
    for (const who of refused) {
      expect(codeOf(await api.run(RECORD, { input: visitInput(child.id) }, who))).toBe('FORBIDDEN');
    }
    expect(await given.count('visit')).toBe(0);
    expect(await given.auditRows('access.denied')).toHaveLength(refused.length);
    expect(await given.auditRows('visit.recorded')).toHaveLength(0);
  });

  it("answers NOT_FOUND for another team's child exactly as for a missing one, audits the refusal and writes nothing", async () => {
    const other = await given.child({ teamId: c.teamB.id });
    const forbidden = await api.run(RECORD, { input: visitInput(other.id) }, c.socialWorker);
    const missing = await api.run(RECORD, { input: visitInput(randomUUID()) }, c.socialWorker);
    expect(codeOf(forbidden)).toBe('NOT_FOUND');
    expect(codeOf(missing)).toBe('NOT_FOUND');
    expect(forbidden.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(await given.count('visit')).toBe(0);
    expect(await given.auditRows('visit.recorded')).toHaveLength(0);
    expect((await given.auditRows('child.changeDenied', other.id)).map((a) => a.result)).toEqual(['DENIED']);
  });

  it('answers NOT_FOUND for a restricted child of the team the worker is not named on', async () => {
    const hidden = await given.child({ teamId: c.teamA.id, restrictedTo: [c.teamManager.id] });
    expect(codeOf(await api.run(RECORD, { input: visitInput(hidden.id) }, c.socialWorker))).toBe('NOT_FOUND');
    expect(await given.count('visit')).toBe(0);
    const named = await api.run(RECORD, { input: visitInput(hidden.id) }, c.teamManager);
    expect(named.errors).toBeUndefined();
  });

  it('refuses a short note, too many people present and an over-long name with the fields at fault, writing nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const tooMany = Array.from({ length: 21 }, (_, i) => `Person ${i}`);
    const r1 = await api.run(RECORD, { input: visitInput(child.id, { note: 'ok', present: tooMany }) }, c.socialWorker);
    expect(codeOf(r1)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r1)).toEqual(['note', 'present']);
    const r2 = await api.run(RECORD, { input: visitInput(child.id, { present: ['x'.repeat(201)] }) }, c.socialWorker);
    expect(codeOf(r2)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r2)).toEqual(['present']);
    const r3 = await api.run(RECORD, { input: visitInput('not-a-uuid') }, c.socialWorker);
    expect(fieldsOf(r3)).toEqual(['childId']);
    expect(await given.count('visit')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses seenAlone without seen, writing nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const r = await api.run(RECORD, { input: visitInput(child.id, { seen: false, seenAlone: true }) }, c.socialWorker);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(['seenAlone']);
    expect(await given.count('visit')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses a visit dated in the future by the service clock, or before the child was born, writing nothing', async () => {
    today('2026-11-20');
    const child = await given.child({ teamId: c.teamA.id, dateOfBirth: '2015-06-01' });
    const future = await api.run(RECORD, { input: visitInput(child.id, { visitedOn: '2026-11-21' }) }, c.socialWorker);
    expect(codeOf(future)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(future)).toEqual(['visitedOn']);
    const beforeBirth = await api.run(RECORD, { input: visitInput(child.id, { visitedOn: '2015-05-31' }) }, c.socialWorker);
    expect(codeOf(beforeBirth)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(beforeBirth)).toEqual(['visitedOn']);
    expect(await given.count('visit')).toBe(0);
    expect(await given.auditRows('visit.recorded')).toHaveLength(0);
    // The same day is not the future.
    expect((await api.run(RECORD, { input: visitInput(child.id, { visitedOn: '2026-11-20' }) }, c.socialWorker)).errors).toBeUndefined();
  });

  it('records a visit with its audit row (names of fields, never values) and who recorded it', async () => {
    today('2026-11-25');
    const child = await given.child({ teamId: c.teamA.id });
    const input = visitInput(child.id);
    const r = await api.run(RECORD, { input }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    const visit = r.data.recordVisit;
    expect(visit).toMatchObject({
      childId: child.id, planId: null, visitedOn: '2026-11-20', type: 'HOME', seen: true, seenAlone: true,
      present: ['Mother', 'Health visitor'], note: input.note, version: 1, recordedBy: { id: c.socialWorker.id },
    });
    expect(visit.recordedBy.displayName).toMatch(/SOCIAL_WORKER/);
    expect(await given.count('visit')).toBe(1);
    const [row] = await api.db.query(`SELECT created_by_id FROM visit WHERE id = $1`, [visit.id]);
    expect(row.created_by_id).toBe(c.socialWorker.id);
    const audit = await given.auditRows('visit.recorded', visit.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.socialWorker.id, child_id: child.id, result: 'ALLOWED' });
    expect([...audit[0].fields].sort()).toEqual(['note', 'present', 'seen', 'seenAlone', 'type', 'visitedOn']);
  });

  it('links the visit to the active plan, preferring child protection over early help, and ignores ended plans', async () => {
    today('2026-11-25');
    const child = await given.child({ teamId: c.teamA.id });
    await plan(child.id, 'CHILD_IN_NEED', '2026-01-05', 'ENDED');
    await plan(child.id, 'EARLY_HELP', '2026-09-01');
    const cp = await plan(child.id, 'CHILD_PROTECTION', '2026-10-01');
    const r = await api.run(RECORD, { input: visitInput(child.id) }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.recordVisit.planId).toBe(cp);
    const [audit] = await given.auditRows('visit.recorded', r.data.recordVisit.id);
    expect(audit.fields).toContain('planId');
  });

  it('leaves planId empty when the child has no active plan', async () => {
    today('2026-11-25');
    const child = await given.child({ teamId: c.teamA.id });
    await plan(child.id, 'CHILD_IN_NEED', '2026-01-05', 'ENDED');
    const r = await api.run(RECORD, { input: visitInput(child.id, { seen: false, seenAlone: false, present: [] }) }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.recordVisit).toMatchObject({ planId: null, seen: false, seenAlone: false, present: [] });
  });

  // Visits are append-only records of fact: there is no update mutation and so no expectedVersion / stale-version case.
  it('has no update mutation (append-only, so no stale version case): a second visit is a new record', async () => {
    today('2026-11-25');
    const child = await given.child({ teamId: c.teamA.id });
    await api.run(RECORD, { input: visitInput(child.id) }, c.socialWorker);
    await api.run(RECORD, { input: visitInput(child.id) }, c.socialWorker);
    expect(await given.count('visit')).toBe(2);
    const introspect = await api.run(`{ __type(name: "Mutation") { fields { name } } }`, {}, c.socialWorker);
    const names: string[] = introspect.data.__type.fields.map((f: { name: string }) => f.name);
    expect(names.filter((n) => /visit/i.test(n))).toEqual(['recordVisit']);
  });
});

describe('Child.visits', () => {
  it("lists the child's visits newest first, for the team only", async () => {
    today('2026-11-25');
    const child = await given.child({ teamId: c.teamA.id });
    for (const visitedOn of ['2026-11-02', '2026-11-23', '2026-11-10']) {
      expect((await api.run(RECORD, { input: visitInput(child.id, { visitedOn }) }, c.socialWorker)).errors).toBeUndefined();
    }
    const r = await api.run(VISITS, { id: child.id }, c.teamManager);
    expect(r.errors).toBeUndefined();
    expect(r.data.child.visits.map((v: { visitedOn: string }) => v.visitedOn)).toEqual(['2026-11-23', '2026-11-10', '2026-11-02']);
    expect(r.data.child.visits[0].recordedBy.id).toBe(c.socialWorker.id);
    expect(codeOf(await api.run(VISITS, { id: child.id }, c.otherSocialWorker))).toBe('NOT_FOUND');
    expect(codeOf(await api.run(VISITS, { id: child.id }, c.analyst))).toBe('FORBIDDEN');
  });
});

describe('Child.visitStatus', () => {
  it('a child protection plan: due 10 working days after the child was last seen, across Christmas and New Year', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    await plan(child.id, 'CHILD_PROTECTION', '2026-11-02');
    await pastVisit(child.id, '2026-12-18');
    today('2026-12-21');
    // 18 Dec 2026 + 10 working days, skipping 25 and 28 Dec (Boxing Day substitute) and 1 Jan.
    expect(await status(child.id)).toEqual({
      requiredEveryWorkingDays: 10, lastSeenOn: '2026-12-18', nextDueOn: '2027-01-06', status: 'UPCOMING', planType: 'CHILD_PROTECTION',
    });
    today('2026-12-30');
    expect((await status(child.id)).status).toBe('DUE_SOON');
    today('2027-01-06');
    expect((await status(child.id)).status).toBe('DUE_TODAY');
    today('2027-01-07');
    expect((await status(child.id)).status).toBe('OVERDUE');
  });

  it('a child in need plan: due 20 working days after the child was last seen, across the bank holidays', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    await plan(child.id, 'CHILD_IN_NEED', '2026-11-02');
    await pastVisit(child.id, '2026-12-18');
    today('2027-01-07');
    expect(await status(child.id)).toEqual({
      requiredEveryWorkingDays: 20, lastSeenOn: '2026-12-18', nextDueOn: '2027-01-20', status: 'UPCOMING', planType: 'CHILD_IN_NEED',
    });
    today('2027-01-21');
    expect((await status(child.id)).status).toBe('OVERDUE');
  });

  it('a visit where the child was not seen does not reset the clock', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    await plan(child.id, 'CHILD_PROTECTION', '2026-11-02');
    await pastVisit(child.id, '2026-12-18');
    today('2027-01-07');
    const notSeen = await api.run(
      RECORD, { input: visitInput(child.id, { visitedOn: '2027-01-05', seen: false, seenAlone: false, note: 'No answer at the door; card left.' }) },
      c.socialWorker,
    );
    expect(notSeen.errors).toBeUndefined();
    expect(await status(child.id)).toMatchObject({ lastSeenOn: '2026-12-18', nextDueOn: '2027-01-06', status: 'OVERDUE' });
    const seen = await api.run(RECORD, { input: visitInput(child.id, { visitedOn: '2027-01-07' }) }, c.socialWorker);
    expect(seen.errors).toBeUndefined();
    expect(await status(child.id)).toMatchObject({ lastSeenOn: '2027-01-07', nextDueOn: '2027-01-21', status: 'UPCOMING' });
  });

  it('counts from the plan start when the child has not been seen since it started', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    await pastVisit(child.id, '2026-11-20');
    await plan(child.id, 'CHILD_PROTECTION', '2026-12-01');
    today('2026-12-16');
    expect(await status(child.id)).toEqual({
      requiredEveryWorkingDays: 10, lastSeenOn: '2026-11-20', nextDueOn: '2026-12-15', status: 'OVERDUE', planType: 'CHILD_PROTECTION',
    });
  });

  it('takes the frequency of the child protection plan over an early help plan, and has none without an active plan', async () => {
    const both = await given.child({ teamId: c.teamA.id });
    await plan(both.id, 'EARLY_HELP', '2026-09-01');
    await plan(both.id, 'CHILD_PROTECTION', '2026-11-02');
    await pastVisit(both.id, '2026-11-20');
    const none = await given.child({ teamId: c.teamA.id });
    await plan(none.id, 'CHILD_IN_NEED', '2026-01-05', 'ENDED');
    await pastVisit(none.id, '2026-11-20');
    today('2026-11-23');
    expect(await status(both.id)).toMatchObject({ requiredEveryWorkingDays: 10, planType: 'CHILD_PROTECTION', nextDueOn: '2026-12-04' });
    expect(await status(none.id)).toEqual({
      requiredEveryWorkingDays: null, lastSeenOn: '2026-11-20', nextDueOn: null, status: null, planType: null,
    });
  });

  it('reads the frequency from the plan type settings (local configuration)', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    await plan(child.id, 'CHILD_PROTECTION', '2026-11-02');
    await pastVisit(child.id, '2026-11-20');
    today('2026-11-23');
    await api.db.query(`UPDATE plan_type_setting SET visit_every_working_days = 15 WHERE plan_type = 'CHILD_PROTECTION'`);
    try {
      expect(await status(child.id)).toMatchObject({ requiredEveryWorkingDays: 15, nextDueOn: '2026-12-11' });
    } finally {
      await api.db.query(`UPDATE plan_type_setting SET visit_every_working_days = 10 WHERE plan_type = 'CHILD_PROTECTION'`);
    }
  });

  it('issues the same number of SQL statements for 2 and for 6 children (one batched statement, no query per child)', async () => {
    today('2026-11-25');
    const counts: Record<number, number> = {};
    for (const n of [2, 6]) {
      // A worker of team A holding exactly n children, each on a plan with a seen and a not-seen visit.
      const worker = await given.account(RoleCode.SOCIAL_WORKER, { teamId: c.teamA.id });
      for (let i = 0; i < n; i++) {
        const child = await given.child({ teamId: c.teamA.id, workerId: worker.id });
        await plan(child.id, i % 2 ? 'CHILD_IN_NEED' : 'CHILD_PROTECTION', '2026-11-02');
        await pastVisit(child.id, '2026-11-20');
        await pastVisit(child.id, '2026-11-24', false);
      }
      api.resetStatements();
      const r = await api.run(CASELOAD_STATUS, {}, worker);
      expect(r.errors).toBeUndefined();
      const nodes = r.data.myCaseload.edges.map((e: { node: { child: { visitStatus: { lastSeenOn: string }; visits: unknown[] } } }) => e.node.child);
      expect(nodes).toHaveLength(n);
      expect(nodes.every((ch: { visitStatus: { lastSeenOn: string }; visits: unknown[] }) =>
        ch.visitStatus.lastSeenOn === '2026-11-20' && ch.visits.length === 2)).toBe(true);
      counts[n] = api.statements();
    }
    expect(counts[6]).toBe(counts[2]);
    expect(counts[2]).toBeLessThanOrEqual(8);
  });
});

import { randomUUID } from 'node:crypto';
import { systemClock } from '../../calendar/calendar.service';
import { RoleCode } from '../../identity/roles';
import { codeOf, GqlResult, TestApi } from '../../../../test/api';
import { Council, Suite, useCouncilSuite } from '../../../../test/factories';

const SUPERVISE = `mutation($input: RecordSupervisionInput!) { recordSupervision(input: $input) {
  id heldOn generalNotes version supervisor { id } supervisee { id displayName }
  cases { id childId heldOn reflection decisions actions { owner action byWhen } supervisor { id } } } }`;
const DECIDE = `mutation($input: RecordManagementDecisionInput!) { recordManagementDecision(input: $input) {
  id childId decidedOn decision rationale version decidedBy { id displayName } } }`;
const ENTRIES = `query($id: ID!) { child(id: $id) { id
  supervisionEntries { id heldOn reflection decisions actions { owner action byWhen } supervisor { id } supervisee { id } } } }`;
const DECISIONS = `query($id: ID!) { child(id: $id) { id managementDecisions { id decidedOn decision rationale decidedBy { id } } } }`;
const MINE = `{ mySupervision { everyWorkingDays lastHeldOn nextDueOn status newlyQualified } }`;
const TEAM = `query($teamId: ID!) { teamSupervision(teamId: $teamId) {
  worker { id displayName } everyWorkingDays lastHeldOn nextDueOn status newlyQualified } }`;
const ACCESS_LOG = `query($childId: ID!) { childAccessLog(childId: $childId) { edges { node { action actorId entity entityId result } } } }`;

const suite = useCouncilSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});
afterEach(() => jest.restoreAllMocks());

const fieldsOf = (r: GqlResult) => [...new Set((r.errors?.[0].extensions?.fields ?? []).map((f) => f.field))].sort();

/** Fixes the service clock (due dates and "not in the future") at noon on a London date. */
function today(date: string) {
  jest.spyOn(systemClock, 'now').mockReturnValue(new Date(`${date}T12:00:00Z`));
}

const caseInput = (childId: string, extra: Record<string, unknown> = {}) => ({
  childId,
  reflection: 'Progress on the plan is slow; father is not engaging with the parenting course.',
  decisions: 'Convene a core group meeting within 10 days.',
  actions: [{ owner: 'Social worker', action: 'Book the core group meeting', byWhen: '2026-12-04' }],
  ...extra,
});
const supervisionInput = (superviseeId: string, cases: unknown[], extra: Record<string, unknown> = {}) => ({
  superviseeId, heldOn: '2026-11-24', generalNotes: 'Wellbeing check: caseload manageable.', cases, ...extra,
});
const decisionInput = (childId: string, extra: Record<string, unknown> = {}) => ({
  childId, decidedOn: '2026-11-24', decision: 'Step up to a child protection strategy discussion.',
  rationale: 'Second disclosure of injury in a month; risk has increased.', ...extra,
});

async function supervisionCounts() {
  return {
    supervision: await given.count('supervision'),
    cases: await given.count('supervision_case'),
    recorded: (await given.auditRows('supervision.recorded')).length,
    discussed: (await given.auditRows('supervision.caseDiscussed')).length,
  };
}
const NONE = { supervision: 0, cases: 0, recorded: 0, discussed: 0 };

describe('recordSupervision', () => {
  it('refuses an anonymous caller and writes nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id });
    expect(codeOf(await api.run(SUPERVISE, { input: supervisionInput(c.socialWorker.id, [caseInput(child.id)]) }))).toBe('UNAUTHENTICATED');
    expect(await supervisionCounts()).toEqual(NONE);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses roles without supervision:record, auditing each denial', async () => {
    const child = await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id });
    const refused = [c.socialWorker, c.frontDoor, c.earlyHelp, c.conferenceChair, c.providerManager, c.analyst, c.governance, c.admin];
    for (const who of refused) {
      const input = supervisionInput(c.socialWorker.id, [caseInput(child.id)]);
      expect(codeOf(await api.run(SUPERVISE, { input }, who))).toBe('FORBIDDEN');
    }
    expect(await supervisionCounts()).toEqual(NONE);
    expect(await given.auditRows('access.denied')).toHaveLength(refused.length);
  });

  it('answers NOT_FOUND to a team manager supervising a worker of another team, as for a missing account, audited, nothing written', async () => {
    const child = await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id });
    const other = await api.run(SUPERVISE, { input: supervisionInput(c.otherSocialWorker.id, [caseInput(child.id)]) }, c.teamManager);
    const missing = await api.run(SUPERVISE, { input: supervisionInput(randomUUID(), [caseInput(child.id)]) }, c.teamManager);
    expect(codeOf(other)).toBe('NOT_FOUND');
    expect(codeOf(missing)).toBe('NOT_FOUND');
    expect(other.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(await supervisionCounts()).toEqual(NONE);
    const denied = await given.auditRows('supervision.changeDenied', c.otherSocialWorker.id);
    expect(denied).toMatchObject([{ actor_id: c.teamManager.id, result: 'DENIED' }]);
  });

  it("refuses a case from outside the supervisor's scope with NOT_FOUND (audited) and writes nothing, not even the other cases", async () => {
    const mine = await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id });
    const theirs = await given.child({ teamId: c.teamB.id });
    const r = await api.run(SUPERVISE, { input: supervisionInput(c.socialWorker.id, [caseInput(mine.id), caseInput(theirs.id)]) }, c.teamManager);
    expect(codeOf(r)).toBe('NOT_FOUND');
    expect(await supervisionCounts()).toEqual(NONE);
    expect((await given.auditRows('child.changeDenied', theirs.id)).map((a) => a.result)).toEqual(['DENIED']);
  });

  it("refuses a case the team manager may see but that is not held by the supervisee's team, writing nothing", async () => {
    // Restricted to named people including the manager, but allocated to team B.
    const restricted = await given.child({ teamId: c.teamB.id, restrictedTo: [c.teamManager.id] });
    const r = await api.run(SUPERVISE, { input: supervisionInput(c.socialWorker.id, [caseInput(restricted.id)]) }, c.teamManager);
    expect(codeOf(r)).toBe('SUPERVISION_CASE_NOT_HELD');
    expect(await supervisionCounts()).toEqual(NONE);
  });

  it('refuses short reflections and decisions, a future session, an action due before it and a child twice, with the fields at fault', async () => {
    today('2026-11-25');
    const child = await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id });
    const short = await api.run(
      SUPERVISE, { input: supervisionInput(c.socialWorker.id, [caseInput(child.id, { reflection: 'Too short', decisions: 'None' })]) },
      c.teamManager,
    );
    expect(codeOf(short)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(short)).toEqual(['cases.0.decisions', 'cases.0.reflection']);
    const future = await api.run(
      SUPERVISE,
      {
        input: supervisionInput(c.socialWorker.id, [
          caseInput(child.id, { actions: [{ owner: 'SW', action: 'Visit again', byWhen: '2026-11-01' }] }), caseInput(child.id),
        ], { heldOn: '2026-11-26' }),
      },
      c.teamManager,
    );
    expect(codeOf(future)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(future)).toEqual(['cases.0.actions.0.byWhen', 'cases.1.childId', 'heldOn']);
    const self = await api.run(SUPERVISE, { input: supervisionInput(c.teamManager.id, []) }, c.teamManager);
    expect(fieldsOf(self)).toEqual(['superviseeId']);
    expect(await supervisionCounts()).toEqual(NONE);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('records a session with one supervision.recorded row and one supervision.caseDiscussed row per case, on each child', async () => {
    today('2026-11-25');
    const first = await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id });
    const second = await given.child({ teamId: c.teamA.id });
    const r = await api.run(SUPERVISE, { input: supervisionInput(c.socialWorker.id, [caseInput(first.id), caseInput(second.id)]) }, c.teamManager);
    expect(r.errors).toBeUndefined();
    const s = r.data.recordSupervision;
    expect(s).toMatchObject({
      heldOn: '2026-11-24', generalNotes: 'Wellbeing check: caseload manageable.', version: 1,
      supervisor: { id: c.teamManager.id }, supervisee: { id: c.socialWorker.id },
    });
    expect(s.cases.map((x: { childId: string }) => x.childId)).toEqual([first.id, second.id]);
    expect(s.cases[0]).toMatchObject({ heldOn: '2026-11-24', supervisor: { id: c.teamManager.id }, actions: caseInput(first.id).actions });
    const [row] = await api.db.query(`SELECT supervisor_id, supervisee_id, created_by_id FROM supervision WHERE id = $1`, [s.id]);
    expect(row).toEqual({ supervisor_id: c.teamManager.id, supervisee_id: c.socialWorker.id, created_by_id: c.teamManager.id });
    expect(await supervisionCounts()).toEqual({ supervision: 1, cases: 2, recorded: 1, discussed: 2 });
    const [recorded] = await given.auditRows('supervision.recorded', s.id);
    expect(recorded).toMatchObject({ actor_id: c.teamManager.id, child_id: null, result: 'ALLOWED' });
    expect([...recorded.fields].sort()).toEqual(['cases', 'generalNotes', 'heldOn', 'superviseeId']);
    const discussed = await given.auditRows('supervision.caseDiscussed');
    expect(discussed.map((a) => a.child_id).sort()).toEqual([first.id, second.id].sort());
    for (const a of discussed) {
      expect(a.actor_id).toBe(c.teamManager.id);
      expect([...a.fields].sort()).toEqual(['actions', 'decisions', 'reflection']);
    }
  });

  it('lets a service manager supervise a team manager on any of their cases', async () => {
    today('2026-11-25');
    const child = await given.child({ teamId: c.teamA.id });
    const r = await api.run(SUPERVISE, { input: supervisionInput(c.teamManager.id, [caseInput(child.id)]) }, c.serviceManager);
    expect(r.errors).toBeUndefined();
    expect(r.data.recordSupervision.supervisor.id).toBe(c.serviceManager.id);
  });

  // Supervision records are append-only records of fact: no update mutation, so no expectedVersion / stale-version case.
  it('is append-only (no stale version case): a second session is a new record', async () => {
    today('2026-11-25');
    await api.run(SUPERVISE, { input: supervisionInput(c.socialWorker.id, []) }, c.teamManager);
    await api.run(SUPERVISE, { input: supervisionInput(c.socialWorker.id, [], { heldOn: '2026-11-25' }) }, c.teamManager);
    expect(await given.count('supervision')).toBe(2);
  });

  it("shows each discussed case on that child's supervisionEntries (never the general notes) and in its access log", async () => {
    today('2026-11-25');
    const first = await given.child({ teamId: c.teamA.id, workerId: c.socialWorker.id });
    const second = await given.child({ teamId: c.teamA.id });
    await api.run(SUPERVISE, { input: supervisionInput(c.socialWorker.id, [caseInput(first.id)], { heldOn: '2026-11-02' }) }, c.teamManager);
    const later = await api.run(
      SUPERVISE, { input: supervisionInput(c.socialWorker.id, [caseInput(first.id, { decisions: 'Close the case next month.' }), caseInput(second.id)]) },
      c.teamManager,
    );
    expect(later.errors).toBeUndefined();
    const r = await api.run(ENTRIES, { id: first.id }, c.socialWorker);
    expect(r.errors).toBeUndefined();
    const entries = r.data.child.supervisionEntries;
    expect(entries.map((e: { heldOn: string }) => e.heldOn)).toEqual(['2026-11-24', '2026-11-02']);
    expect(entries[0]).toMatchObject({
      decisions: 'Close the case next month.', supervisor: { id: c.teamManager.id }, supervisee: { id: c.socialWorker.id },
    });
    expect(JSON.stringify(entries)).not.toContain('Wellbeing');
    const secondEntries = (await api.run(ENTRIES, { id: second.id }, c.socialWorker)).data.child.supervisionEntries;
    expect(secondEntries).toHaveLength(1);
    expect(codeOf(await api.run(ENTRIES, { id: first.id }, c.otherSocialWorker))).toBe('NOT_FOUND');

    const log = await api.run(ACCESS_LOG, { childId: second.id }, c.governance);
    expect(log.errors).toBeUndefined();
    const discussed = log.data.childAccessLog.edges.map((e: { node: unknown }) => e.node)
      .filter((n: { action: string }) => n.action === 'supervision.caseDiscussed');
    expect(discussed).toEqual([{
      action: 'supervision.caseDiscussed', actorId: c.teamManager.id, entity: 'supervision_case',
      entityId: later.data.recordSupervision.cases[1].id, result: 'ALLOWED',
    }]);
  });
});

describe('mySupervision and teamSupervision', () => {
  async function createdOn(accountId: string, date: string) {
    await api.db.query(`UPDATE account SET created_at = $2 WHERE id = $1`, [accountId, `${date}T09:00:00Z`]);
  }

  it('counts from the account creation date when never supervised', async () => {
    await createdOn(c.socialWorker.id, '2026-10-01');
    today('2026-10-23');
    const r = await api.run(MINE, {}, c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.mySupervision).toEqual({
      everyWorkingDays: 20, lastHeldOn: null, nextDueOn: '2026-10-29', status: 'DUE_SOON', newlyQualified: false,
    });
  });

  it("is overdue 20 working days after the last supervision (across Christmas), and uses the worker's own frequency", async () => {
    await createdOn(c.socialWorker.id, '2026-10-01');
    today('2026-12-01');
    expect((await api.run(SUPERVISE, { input: supervisionInput(c.socialWorker.id, [], { heldOn: '2026-12-01' }) }, c.teamManager)).errors)
      .toBeUndefined();
    today('2026-12-02');
    expect((await api.run(MINE, {}, c.socialWorker)).data.mySupervision).toMatchObject({
      lastHeldOn: '2026-12-01', nextDueOn: '2026-12-31', status: 'UPCOMING',
    });
    today('2026-12-31');
    expect((await api.run(MINE, {}, c.socialWorker)).data.mySupervision.status).toBe('DUE_TODAY');
    today('2027-01-04');
    expect((await api.run(MINE, {}, c.socialWorker)).data.mySupervision.status).toBe('OVERDUE');
    // A newly qualified worker supervised every 10 working days.
    await api.db.query(`UPDATE account SET supervision_every_working_days = 10, newly_qualified = true WHERE id = $1`, [c.socialWorker.id]);
    today('2026-12-16');
    expect((await api.run(MINE, {}, c.socialWorker)).data.mySupervision).toEqual({
      everyWorkingDays: 10, lastHeldOn: '2026-12-01', nextDueOn: '2026-12-15', status: 'OVERDUE', newlyQualified: true,
    });
  });

  it('is not available to providers, analysts or administrators', async () => {
    for (const who of [c.providerPractitioner, c.analyst, c.admin]) {
      expect(codeOf(await api.run(MINE, {}, who))).toBe('FORBIDDEN');
    }
    expect(codeOf(await api.run(MINE, {}))).toBe('UNAUTHENTICATED');
  });

  it('gives a team manager every worker of their own team, from one statement whatever the team size', async () => {
    for (const a of [c.socialWorker, c.teamManager, c.conferenceChair, c.earlyHelp]) await createdOn(a.id, '2026-10-01');
    today('2026-12-01');
    await api.run(SUPERVISE, { input: supervisionInput(c.socialWorker.id, [], { heldOn: '2026-11-20' }) }, c.teamManager);
    await given.account(RoleCode.SOCIAL_WORKER, { teamId: c.teamA.id, disabled: true });
    const r = await api.run(TEAM, { teamId: c.teamA.id }, c.teamManager);
    expect(r.errors).toBeUndefined();
    const rows = r.data.teamSupervision as { worker: { id: string }; lastHeldOn: string | null; nextDueOn: string; status: string }[];
    expect(rows.map((w) => w.worker.id).sort()).toEqual([c.socialWorker.id, c.teamManager.id, c.conferenceChair.id, c.earlyHelp.id].sort());
    const sw = rows.find((w) => w.worker.id === c.socialWorker.id)!;
    expect(sw).toMatchObject({ lastHeldOn: '2026-11-20', nextDueOn: '2026-12-18', status: 'UPCOMING' });
    const eh = rows.find((w) => w.worker.id === c.earlyHelp.id)!;
    expect(eh).toMatchObject({ lastHeldOn: null, nextDueOn: '2026-10-29', status: 'OVERDUE' });
    api.resetStatements();
    await api.run(TEAM, { teamId: c.teamA.id }, c.teamManager);
    const small = api.statements();
    for (let i = 0; i < 5; i++) await given.account(RoleCode.SOCIAL_WORKER, { teamId: c.teamA.id });
    api.resetStatements();
    const bigger = await api.run(TEAM, { teamId: c.teamA.id }, c.teamManager);
    expect(bigger.data.teamSupervision).toHaveLength(9);
    expect(api.statements()).toBe(small);
  });

  it("refuses a team manager another team's supervision with FORBIDDEN (audited), but not a service manager", async () => {
    const r = await api.run(TEAM, { teamId: c.teamB.id }, c.teamManager);
    expect(codeOf(r)).toBe('FORBIDDEN');
    expect(await given.auditRows('supervision.teamViewed', c.teamB.id)).toMatchObject([{ actor_id: c.teamManager.id, result: 'DENIED' }]);
    const sm = await api.run(TEAM, { teamId: c.teamB.id }, c.serviceManager);
    expect(sm.errors).toBeUndefined();
    expect(sm.data.teamSupervision.map((w: { worker: { id: string } }) => w.worker.id)).toEqual([c.otherSocialWorker.id]);
    for (const who of [c.socialWorker, c.frontDoor, c.analyst]) {
      expect(codeOf(await api.run(TEAM, { teamId: c.teamA.id }, who))).toBe('FORBIDDEN');
    }
  });
});

describe('recordManagementDecision', () => {
  it('refuses an anonymous caller and writes nothing', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    expect(codeOf(await api.run(DECIDE, { input: decisionInput(child.id) }))).toBe('UNAUTHENTICATED');
    expect(await given.count('management_decision')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('refuses roles without decision:record, auditing each denial', async () => {
    const child = await given.child({ teamId: c.teamA.id });
    const refused = [c.socialWorker, c.frontDoor, c.earlyHelp, c.conferenceChair, c.providerPractitioner, c.analyst, c.governance, c.admin];
    for (const who of refused) expect(codeOf(await api.run(DECIDE, { input: decisionInput(child.id) }, who))).toBe('FORBIDDEN');
    expect(await given.count('management_decision')).toBe(0);
    expect(await given.auditRows('access.denied')).toHaveLength(refused.length);
  });

  it("answers NOT_FOUND for another team's child, as for a missing one, audits the refusal and writes nothing", async () => {
    const other = await given.child({ teamId: c.teamB.id });
    const forbidden = await api.run(DECIDE, { input: decisionInput(other.id) }, c.teamManager);
    const missing = await api.run(DECIDE, { input: decisionInput(randomUUID()) }, c.teamManager);
    expect(codeOf(forbidden)).toBe('NOT_FOUND');
    expect(forbidden.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect(await given.count('management_decision')).toBe(0);
    expect(await given.auditRows('decision.recorded')).toHaveLength(0);
    expect((await given.auditRows('child.changeDenied', other.id)).map((a) => a.result)).toEqual(['DENIED']);
  });

  it('refuses a short decision and rationale and a future date with the fields at fault, writing nothing', async () => {
    today('2026-11-25');
    const child = await given.child({ teamId: c.teamA.id });
    const r = await api.run(DECIDE, { input: decisionInput(child.id, { decision: 'Close', rationale: 'Done' }) }, c.teamManager);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(['decision', 'rationale']);
    const future = await api.run(DECIDE, { input: decisionInput(child.id, { decidedOn: '2026-11-26' }) }, c.teamManager);
    expect(fieldsOf(future)).toEqual(['decidedOn']);
    expect(await given.count('management_decision')).toBe(0);
    expect(await given.count('audit_entry')).toBe(0);
  });

  it('records a decision by the session actor with its audit row, listed newest first on the child', async () => {
    today('2026-11-25');
    const child = await given.child({ teamId: c.teamA.id });
    const older = await api.run(DECIDE, { input: decisionInput(child.id, { decidedOn: '2026-11-03' }) }, c.serviceManager);
    const r = await api.run(DECIDE, { input: decisionInput(child.id) }, c.teamManager);
    expect(older.errors).toBeUndefined();
    expect(r.errors).toBeUndefined();
    expect(r.data.recordManagementDecision).toMatchObject({
      childId: child.id, decidedOn: '2026-11-24', version: 1, decidedBy: { id: c.teamManager.id }, rationale: decisionInput(child.id).rationale,
    });
    const audit = await given.auditRows('decision.recorded', r.data.recordManagementDecision.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: c.teamManager.id, child_id: child.id, result: 'ALLOWED' });
    expect([...audit[0].fields].sort()).toEqual(['decidedOn', 'decision', 'rationale']);
    const list = await api.run(DECISIONS, { id: child.id }, c.socialWorker);
    expect(list.errors).toBeUndefined();
    expect(list.data.child.managementDecisions.map((d: { decidedOn: string; decidedBy: { id: string } }) => [d.decidedOn, d.decidedBy.id]))
      .toEqual([['2026-11-24', c.teamManager.id], ['2026-11-03', c.serviceManager.id]]);
  });

  // Management decisions are append-only records of fact: no update mutation, so no expectedVersion / stale-version case.
  it('is append-only (no stale version case): each decision is a new record', async () => {
    today('2026-11-25');
    const child = await given.child({ teamId: c.teamA.id });
    await api.run(DECIDE, { input: decisionInput(child.id) }, c.teamManager);
    await api.run(DECIDE, { input: decisionInput(child.id) }, c.teamManager);
    expect(await given.count('management_decision')).toBe(2);
    expect(await given.auditRows('decision.recorded')).toHaveLength(2);
  });
});

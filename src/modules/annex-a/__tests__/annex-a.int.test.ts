import { codeOf, TestApi } from '../../../../test/api';
import { Council, Suite, useCouncilSuite } from '../../../../test/factories';

const suite = useCouncilSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});

const ANNEX_A = `query($input: AnnexAInput!) { annexA(input: $input) { list from to columns rows rowCount csv } }`;
const FROM = '2025-10-01';
const TO = '2026-03-31';
const run = (list: string, as: { id: string; email: string } | null = c.analyst, window = { from: FROM, to: TO }) =>
  api.run(ANNEX_A, { input: { list, ...window } }, as);

/** given.child's characteristics (F, WBRI, born 1 June 2015, no disability): aged 10 at `TO`. */
const common = (laChildId: string) => [laChildId, 'b) Female', 'a) WBRI', '01/06/2015', '10'];

// Records built directly in the database, dated around the window (the list is as it stood at the end of TO).
const q = async (sql: string, params: unknown[]) => (await api.db.query(sql, params))[0];
const at = (date: string) => `${date}T10:00:00Z`;

async function allocate(childId: string, teamId: string, workerId: string | null, startedAt = at('2025-01-06'), endedAt: string | null = null) {
  await q(`INSERT INTO allocation (child_id, team_id, worker_id, started_at, ended_at, reason) VALUES ($1, $2, $3, $4, $5, 'test')`, [
    childId, teamId, workerId, startedAt, endedAt,
  ]);
}

async function referral(childId: string, date: string, opts: { source?: string; decision?: string | null; decidedOn?: string } = {}) {
  const decision = opts.decision === undefined ? 'ASSESSMENT' : opts.decision;
  const row = await q(
    `INSERT INTO referral (child_id, received_at, referral_date, source_code, primary_need_code, reason, decision_due_on, decision,
                           decision_reason, decided_at)
     VALUES ($1, $2, $3, $4, 'N1', 'Worried', $3, $5, $6, $7) RETURNING id`,
    [childId, at(date), date, opts.source ?? '2A', decision, decision ? 'Decided' : null, decision ? at(opts.decidedOn ?? date) : null],
  );
  return row.id as string;
}

async function episode(childId: string, start: string, opts: { closure?: string; reason?: string; need?: string } = {}) {
  const referralId = await referral(childId, start);
  const row = await q(
    `INSERT INTO episode (child_id, referral_id, start_date, referral_source, primary_need_code, closure_date, closure_reason)
     VALUES ($1, $2, $3, '2A', $4, $5, $6) RETURNING id`,
    [childId, referralId, start, opts.need ?? 'N1', opts.closure ?? null, opts.closure ? opts.reason ?? 'RC7' : null],
  );
  return row.id as string;
}

async function assessment(childId: string, episodeId: string, start: string, opts: { authorised?: string; outcome?: string } = {}) {
  await q(
    `INSERT INTO assessment (child_id, episode_id, status, start_date, due_date, completed_date, authorised_date, outcome)
     VALUES ($1, $2, $3, $4, haven_add_working_days($4, 45), $5, $5, $6)`,
    [childId, episodeId, opts.authorised ? 'AUTHORISED' : 'IN_PROGRESS', start, opts.authorised ?? null, opts.outcome ?? null],
  );
}

async function visit(childId: string, on: string, opts: { seen?: boolean; alone?: boolean } = {}) {
  await q(`INSERT INTO visit (child_id, visited_on, type, seen, seen_alone, note) VALUES ($1, $2, 'HOME', $3, $4, 'Visited')`, [
    childId, on, opts.seen ?? true, opts.alone ?? false,
  ]);
}

async function section47(childId: string, episodeId: string, start: string, opts: { concluded?: string; notRequired?: boolean } = {}) {
  const sd = await q(
    `INSERT INTO strategy_discussion (child_id, episode_id, held_on, participants, decision, rationale)
     VALUES ($1, $2, $3::date - 1, '[]', 'START_SECTION_47', 'Risk') RETURNING id`, // the day before the enquiry starts
    [childId, episodeId, start],
  );
  const row = await q(
    `INSERT INTO section47 (child_id, episode_id, strategy_discussion_id, start_date, icpc_target_date, status, conference_not_required,
                            concluded_on)
     VALUES ($1, $2, $3, $4, haven_add_working_days($4, 15), $5, $6, $7) RETURNING id`,
    [childId, episodeId, sd.id, start, opts.concluded ? 'CONCLUDED' : 'OPEN', !!opts.notRequired, opts.concluded ?? null],
  );
  return row.id as string;
}

async function conference(
  childId: string, episodeId: string, kind: 'INITIAL' | 'REVIEW', heldOn: string, decision: string,
  links: { section47Id?: string; planId?: string },
) {
  await q(
    `INSERT INTO child_protection_conference (child_id, episode_id, kind, section47_id, plan_id, held_on, chair_id, attendees, decision, rationale)
     VALUES ($1, $2, $3, $4, $5, $6, $7, '[]', $8, 'Decided')`,
    [childId, episodeId, kind, links.section47Id ?? null, links.planId ?? null, heldOn, c.conferenceChair.id, decision],
  );
}

async function plan(childId: string, episodeId: string, type: string, start: string, opts: { end?: string; category?: string } = {}) {
  const row = await q(
    `INSERT INTO plan (child_id, episode_id, type, status, start_date, end_date, contingency, family_summary, initial_category, latest_category)
     VALUES ($1, $2, $3, $4, $5, $6, 'Court', 'Summary', $7, $7) RETURNING id`,
    [childId, episodeId, type, opts.end ? 'ENDED' : 'ACTIVE', start, opts.end ?? null, opts.category ?? null],
  );
  return row.id as string;
}

const rowsOf = (r: { data?: any }) => r.data.annexA.rows as (string | null)[][];
const rowFor = (r: { data?: any }, laChildId: string) => rowsOf(r).filter((row) => row[0] === laChildId);

describe('annexA lists', () => {
  it("List 1: contacts received in the window, with Ofsted's columns and labels", async () => {
    const child = await given.child();
    await q(`INSERT INTO contact (child_id, received_at, source_code, summary, outcome) VALUES ($1, $2, '1A', 'Aunt worried', 'REFERRAL')`, [
      child.id, '2026-03-31T23:30:00Z', // 31 March 23:30 UTC is 1 April in England (BST): outside the window
    ]);
    await q(`INSERT INTO contact (child_id, received_at, source_code, summary, outcome) VALUES ($1, $2, '6', 'Police', 'REFERRAL')`, [
      child.id, '2025-09-30T23:30:00Z', // 1 October in England: inside
    ]);
    await q(`INSERT INTO contact (child_id, received_at, source_code, summary, outcome) VALUES ($1, $2, '5D', 'Early help', 'REFERRAL')`, [
      child.id, at('2026-02-03'),
    ]);
    const r = await run('LIST_1_CONTACTS');
    expect(r.errors).toBeUndefined();
    expect(r.data.annexA).toMatchObject({ list: 'LIST_1_CONTACTS', from: FROM, to: TO, rowCount: 2 });
    expect(r.data.annexA.columns).toEqual([
      'Child Unique ID', 'Gender', 'Ethnicity', 'Date of Birth', 'Age of Child (Years)', 'Date of Contact', 'Contact Source',
    ]);
    expect(rowsOf(r)).toEqual([
      [...common(child.laChildId), '01/10/2025', 'q) 6: Police'],
      [...common(child.laChildId), '03/02/2026', 'p1) 5D: LA services'],
    ]);
  });

  it('List 2: early help assessments open in the window, one row per child, with the organisation completing it', async () => {
    const [a, b, old] = [await given.child(), await given.child(), await given.child()];
    const provider = await q(`INSERT INTO provider (name) VALUES ('Family Futures') RETURNING id`, []);
    const eh = async (childIds: string[], started: string, completed: string | null, providerId: string | null) => {
      const ep = await q(
        `INSERT INTO early_help_episode (primary_child_id, status, requested_at, requested_on, requester_name, requester_role, reason, needs)
         VALUES ($1, 'IN_WORK', $2, $3, 'Ms Head', 'Teacher', 'Support', '{}') RETURNING id`,
        [childIds[0], at(started), started],
      );
      for (const id of childIds) await q(`INSERT INTO early_help_child (episode_id, child_id) VALUES ($1, $2)`, [ep.id, id]);
      await q(
        `INSERT INTO early_help_assessment (episode_id, reason, needs, strengths, lived_experience, child_voice, analysis, started_on,
                                            completed_on, completed_by_provider_id)
         VALUES ($1, 'Routines', '[]', 'Warm', 'Busy', 'Wants help', 'Analysis', $2, $3, $4)`,
        [ep.id, started, completed, providerId],
      );
    };
    await eh([a.id, b.id], '2026-01-10', '2026-04-20', provider.id); // completed after TO: shown open
    await eh([old.id], '2025-06-01', '2025-09-30', null); // completed before the window
    await eh([old.id], '2025-09-01', '2025-10-01', null); // completed on its first day, by the council
    const r = await run('LIST_2_EARLY_HELP');
    expect(r.errors).toBeUndefined();
    expect(r.data.annexA.columns.slice(5)).toEqual(['Assessment start date', 'Assessment completion date', 'Organisation completing assessment']);
    expect(rowsOf(r)).toEqual([
      [...common(old.laChildId), '01/09/2025', '01/10/2025', 'Local authority'],
      ...[a, b].sort((x, y) => x.laChildId.localeCompare(y.laChildId))
        .map((ch) => [...common(ch.laChildId), '10/01/2026', null, 'Family Futures']),
    ]);
  });

  it('List 3: referrals in the window (restricted children too) with NFA, referrals in the last 12 months and allocation', async () => {
    const child = await given.child({ restrictedTo: [c.serviceManager.id] });
    await allocate(child.id, c.teamA.id, c.socialWorker.id);
    await referral(child.id, '2025-03-30'); // over 12 months before TO: neither listed nor counted
    await referral(child.id, '2025-04-15'); // counted, not listed
    await referral(child.id, '2025-11-03', { source: '3E', decision: 'NO_FURTHER_ACTION' });
    await referral(child.id, '2026-01-12', { source: '2A', decision: 'EARLY_HELP' }); // NFA by social care, as in the census
    await referral(child.id, '2026-03-30', { decision: 'ASSESSMENT', decidedOn: '2026-04-01' }); // undecided at TO
    await referral(child.id, '2026-04-02'); // after the window
    const r = await run('LIST_3_REFERRALS');
    expect(r.errors).toBeUndefined();
    expect(r.data.annexA.columns.slice(5)).toEqual([
      'Date of referral', 'Referral Source', 'Referral NFA?', 'Number of Referrals in Last 12 Months', 'Allocated Team', 'Allocated Worker',
    ]);
    const worker = `Test SOCIAL_WORKER`;
    expect(rowsOf(r)).toEqual([
      [...common(child.laChildId), '03/11/2025', 'k) 3E: Health services', 'a) Yes', '4', 'Team A', expect.stringContaining(worker)],
      [...common(child.laChildId), '12/01/2026', 'e) 2A: Schools', 'a) Yes', '4', 'Team A', expect.stringContaining(worker)],
      [...common(child.laChildId), '30/03/2026', 'e) 2A: Schools', 'c) Unknown', '4', 'Team A', expect.stringContaining(worker)],
    ]);
  });

  it('List 4: assessments open in the window, with disability, child seen, authorisation and the need for support', async () => {
    const child = await given.child();
    await q(`UPDATE child SET disabilities = '{AUT}' WHERE id = $1`, [child.id]);
    await allocate(child.id, c.teamB.id, null);
    const ep = await episode(child.id, '2025-06-02', { closure: '2025-09-01' });
    await assessment(child.id, ep, '2025-06-02', { authorised: '2025-08-01', outcome: 'CLOSE' }); // authorised before the window
    const open = await episode(child.id, '2025-12-01');
    await assessment(child.id, open, '2025-12-01', { authorised: '2026-01-20', outcome: 'CIN_PLAN' });
    await visit(child.id, '2025-12-05', { seen: false });
    await visit(child.id, '2026-01-10');
    const other = await given.child();
    await assessment(other.id, await episode(other.id, '2026-03-02'), '2026-03-02', { authorised: '2026-04-10', outcome: 'CLOSE' });
    const r = await run('LIST_4_ASSESSMENTS');
    expect(r.errors).toBeUndefined();
    expect(r.data.annexA.columns.slice(5)).toEqual([
      'Does the Child have a Disability', 'Continuous Assessment Start Date', 'Child Seen During Continuous Assessment',
      'Continuous Assessment Date of Authorisation', "Was the child assessed as requiring LA children's social care support?",
      'Allocated Team', 'Allocated Worker',
    ]);
    expect(rowsOf(r)).toEqual([
      [...common(child.laChildId), 'a) Yes', '01/12/2025', 'a) Yes', '20/01/2026', 'a) Yes', 'Team B', null],
      // authorised after TO: still open at TO, not seen, no outcome yet
      [...common(other.laChildId), 'b) No', '02/03/2026', 'b) No', null, null, null, null],
    ]);
  });

  it('List 5: section 47 enquiries open in the window, one row each, with the initial conference and 12-month counts', async () => {
    const child = await given.child();
    await allocate(child.id, c.teamB.id, c.otherSocialWorker.id);
    const ep = await episode(child.id, '2025-05-01');
    await section47(child.id, ep, '2025-05-02', { concluded: '2025-09-30', notRequired: true }); // concluded before: counted, not listed
    const s2 = await section47(child.id, ep, '2025-11-10', { concluded: '2025-12-01' });
    await conference(child.id, ep, 'INITIAL', '2025-12-01', 'PLAN', { section47Id: s2 });
    await section47(child.id, ep, '2026-02-02', { concluded: '2026-02-20', notRequired: true });
    const s4 = await section47(child.id, ep, '2026-03-20'); // open at TO; its conference comes after
    await conference(child.id, ep, 'INITIAL', '2026-04-08', 'NO_PLAN', { section47Id: s4 });
    const r = await run('LIST_5_SECTION47');
    expect(r.errors).toBeUndefined();
    expect(r.data.annexA.columns.slice(5, 12)).toEqual([
      'Does the Child have a Disability', 'Strategy discussion initiating Section 47 Enquiry Start Date',
      'Was an Initial Child Protection Conference deemed unnecessary?', 'Date of Initial Child Protection Conference',
      'Did the Initial Child Protection Conference Result in a Child Protection Plan', 'Number of Section 47 Enquiries in the last 12 months',
      'Number of ICPCs in the last 12 months',
    ]);
    const w = expect.stringContaining('Test SOCIAL_WORKER');
    expect(rowsOf(r)).toEqual([
      // The strategy discussion's date (the day before each enquiry started).
      [...common(child.laChildId), 'b) No', '09/11/2025', 'b) No', '01/12/2025', 'a) Yes', '4', '1', 'Team B', w],
      [...common(child.laChildId), 'b) No', '01/02/2026', 'a) Yes', null, null, '4', '1', 'Team B', w],
      [...common(child.laChildId), 'b) No', '19/03/2026', null, null, null, '4', '1', 'Team B', w],
    ]);
  });

  it('List 6: episodes of need open at TO or during the window, with last seen, closure and case status', async () => {
    const [cp, closed, assessing, gone] = [await given.child(), await given.child(), await given.child(), await given.child()];
    await allocate(cp.id, c.teamB.id, c.otherSocialWorker.id);
    await allocate(closed.id, c.teamA.id, c.socialWorker.id, at('2025-01-06'), at('2025-12-20')); // ended in the window: still shown
    const e1 = await episode(cp.id, '2025-07-01', { need: 'N4' });
    await plan(cp.id, e1, 'CHILD_IN_NEED', '2025-08-01', { end: '2025-11-01' });
    await plan(cp.id, e1, 'CHILD_PROTECTION', '2025-11-01', { category: 'NEG' });
    await visit(cp.id, '2026-03-25');
    await visit(cp.id, '2026-04-02'); // after TO
    await episode(closed.id, '2025-09-01', { closure: '2025-12-19', reason: 'RC7' });
    await episode(assessing.id, '2026-03-30', { closure: '2026-04-15', reason: 'RC8' }); // closed after TO: open at TO
    await episode(gone.id, '2025-01-01', { closure: '2025-09-30', reason: 'RC7' }); // closed before the window
    const r = await run('LIST_6_CHILDREN_IN_NEED');
    expect(r.errors).toBeUndefined();
    expect(r.data.annexA.columns.slice(5)).toEqual([
      'Does the Child have a Disability', 'CIN Start Date', 'Primary Need Code', 'Date Child Was Last Seen', 'CIN Closure Date',
      'Reason for Closure', 'Case Status', 'Allocated Team', 'Allocated Worker',
    ]);
    const w = expect.stringContaining('Test SOCIAL_WORKER');
    expect(rowsOf(r)).toEqual([
      [...common(cp.laChildId), 'b) No', '01/07/2025', 'N4 - Family in acute stress', '25/03/2026', null, null, 'b) Child Protection plan',
        'Team B', w],
      [...common(closed.laChildId), 'b) No', '01/09/2025', 'N1 - Abuse or neglect', null, '19/12/2025',
        'RC7 - Services ceased for any other reason, including child no longer in need', 'e) Closed episode', 'Team A', w],
      [...common(assessing.laChildId), 'b) No', '30/03/2026', 'N1 - Abuse or neglect', null, null, null, 'd) Open assessment', null, null],
    ]);
    expect(rowFor(r, gone.laChildId)).toEqual([]);
  });

  it('List 7: CP plans open at TO or ended in the window, with visits, reviews and previous plans', async () => {
    const [open, ended, before] = [await given.child(), await given.child(), await given.child()];
    await allocate(open.id, c.teamB.id, c.otherSocialWorker.id);
    const e1 = await episode(open.id, '2023-01-02', { closure: '2023-12-01' });
    await plan(open.id, e1, 'CHILD_PROTECTION', '2023-02-01', { end: '2023-11-30', category: 'PHY' }); // a previous plan
    const e2 = await episode(open.id, '2025-06-02');
    const p = await plan(open.id, e2, 'CHILD_PROTECTION', '2025-07-01', { category: 'NEG' });
    await q(`UPDATE plan SET latest_category = 'EMO' WHERE id = $1`, [p]);
    await conference(open.id, e2, 'REVIEW', '2025-10-01', 'CONTINUE', { planId: p });
    await conference(open.id, e2, 'REVIEW', '2026-04-01', 'CONTINUE', { planId: p }); // after TO
    await visit(open.id, '2026-03-20', { alone: false });
    await visit(open.id, '2026-03-20', { alone: true });
    const e3 = await episode(ended.id, '2025-03-03');
    await plan(ended.id, e3, 'CHILD_PROTECTION', '2025-04-01', { end: '2025-10-01', category: 'MUL' });
    const e4 = await episode(before.id, '2025-01-06');
    await plan(before.id, e4, 'CHILD_PROTECTION', '2025-02-03', { end: '2025-09-30', category: 'SAB' }); // ended before the window
    await plan(before.id, e4, 'CHILD_IN_NEED', '2025-09-30'); // not a CP plan
    const r = await run('LIST_7_CHILD_PROTECTION');
    expect(r.errors).toBeUndefined();
    expect(r.data.annexA.columns.slice(5)).toEqual([
      'Does the Child have a Disability', 'Child Protection Plan Start Date', 'Initial Category of Abuse', 'Latest Category of Abuse',
      'Date of the Last Statutory Visit', 'Was the Child Seen Alone?', 'Date of latest review conference', 'Child Protection Plan End Date',
      'Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)',
      'Number of Previous Child Protection Plans', 'Allocated Team', 'Allocated Worker',
    ]);
    expect(rowsOf(r)).toEqual([
      [...common(ended.laChildId), 'b) No', '01/04/2025', 'e) Multiple/not recommended', 'e) Multiple/not recommended', null, null, null,
        '01/10/2025', null, '0', null, null],
      [...common(open.laChildId), 'b) No', '01/07/2025', 'a) Neglect', 'd) Emotional abuse', '20/03/2026', 'a) Yes', '01/10/2025', null, null,
        '1', 'Team B', expect.stringContaining('Test SOCIAL_WORKER')],
    ]);
  });
});

describe('annexA CSV', () => {
  it('is the header and rows as CSV, with formula-like cells neutralised (rows keep the text as recorded)', async () => {
    const child = await given.child();
    const team = await given.team('CHILD_IN_NEED', '=HYPERLINK("http://evil.example","Team")');
    await allocate(child.id, team.id, null);
    await referral(child.id, '2026-01-05');
    const r = await run('LIST_3_REFERRALS');
    expect(r.errors).toBeUndefined();
    expect(rowsOf(r)[0][9]).toBe(team.name);
    expect(r.data.annexA.csv).toBe(
      'Child Unique ID,Gender,Ethnicity,Date of Birth,Age of Child (Years),Date of referral,Referral Source,Referral NFA?,' +
        'Number of Referrals in Last 12 Months,Allocated Team,Allocated Worker\r\n' +
        `${child.laChildId},b) Female,a) WBRI,01/06/2015,10,05/01/2026,e) 2A: Schools,b) No,1,"'=HYPERLINK(""http://evil.example"",""Team"")",\r\n`,
    );
  });
});

describe('annexA access, audit and input', () => {
  it('is for analysts and service managers; others are FORBIDDEN, anonymous callers UNAUTHENTICATED', async () => {
    for (const who of [c.analyst, c.serviceManager]) expect((await run('LIST_1_CONTACTS', who)).errors).toBeUndefined();
    for (const who of [c.socialWorker, c.teamManager, c.providerPractitioner, c.admin]) {
      const r = await run('LIST_1_CONTACTS', who);
      expect(codeOf(r)).toBe('FORBIDDEN');
      expect(r.data).toBeNull();
    }
    expect(codeOf(await run('LIST_1_CONTACTS', null))).toBe('UNAUTHENTICATED');
    expect(await given.auditRows('return.annexA.exported')).toHaveLength(2);
  });

  it('audits every export, with who, the list and the window, and no child', async () => {
    const child = await given.child();
    await referral(child.id, '2026-01-05');
    expect((await run('LIST_3_REFERRALS')).errors).toBeUndefined();
    const rows = await api.db.query(
      `SELECT actor_id, actor_roles, entity, entity_id, child_id, reason, result FROM audit_entry WHERE action = 'return.annexA.exported'`,
    );
    expect(rows).toEqual([{
      actor_id: c.analyst.id, actor_roles: ['PERFORMANCE_ANALYST'], entity: 'annexA.LIST_3_REFERRALS', entity_id: null, child_id: null,
      reason: `${FROM}/${TO}`, result: 'ALLOWED',
    }]);
  });

  it('refuses a window that ends before it starts, or spans more than two years, exporting and auditing nothing', async () => {
    for (const window of [{ from: TO, to: FROM }, { from: '2024-01-01', to: '2026-01-02' }]) {
      const r = await run('LIST_3_REFERRALS', c.analyst, window);
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0].extensions?.fields?.map((f) => f.field)).toEqual(['to']);
    }
    expect((await run('LIST_3_REFERRALS', c.analyst, { from: '2024-01-01', to: '2026-01-01' })).errors).toBeUndefined();
    expect(codeOf(await run('LIST_3_REFERRALS', c.analyst, { from: '2026-02-30', to: TO }))).toBe('BAD_USER_INPUT');
    expect(await given.auditRows('return.annexA.exported')).toHaveLength(1);
  });
});

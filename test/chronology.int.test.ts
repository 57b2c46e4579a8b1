import { codeOf, GqlResult, TestApi } from './api';
import { Council, Suite, useCouncilSuite } from './factories';

const suite = useCouncilSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});

const CHRONOLOGY = `query($id: ID!, $first: Int!, $after: String) { chronology(childId: $id, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id occurredAt kind recordId summary recordedBy { id } } } } }`;
const CASELOAD = `query($first: Int!) { myCaseload(first: $first) { edges { node { childId nextDueOn due { kind status dueOn }
  child { id firstName } } } } }`;

/** A child with events of several kinds (set-up by SQL; the reading goes through GraphQL). */
async function childWithHistory(workerId: string, teamId: string, visits: number) {
  const child = await given.child({ teamId, workerId });
  await given.referral(child.id, { receivedAt: '2026-01-05T10:00:00Z', dueOn: '2026-01-06', decided: true });
  await api.db.query(
    `INSERT INTO contact (child_id, received_at, source_code, summary, outcome, created_by_id) VALUES ($1, '2026-01-05T09:00:00Z', '2A', 'School call', 'REFERRAL', $2)`,
    [child.id, workerId],
  );
  const [episode] = await api.db.query(
    `INSERT INTO episode (child_id, referral_id, start_date, referral_source, primary_need_code)
     SELECT $1, id, referral_date, source_code, primary_need_code FROM referral WHERE child_id = $1 RETURNING id`,
    [child.id],
  );
  await api.db.query(
    `INSERT INTO assessment (child_id, episode_id, start_date, due_date) VALUES ($1, $2, '2026-01-07', haven_add_working_days('2026-01-05', 45))`,
    [child.id, episode.id],
  );
  const [plan] = await api.db.query(
    `INSERT INTO plan (child_id, episode_id, type, start_date, contingency, family_summary, next_review_due)
     VALUES ($1, $2, 'CHILD_IN_NEED', '2026-03-02', 'If things do not change we will consider a conference', 'What we agreed with you', '2026-06-02')
     RETURNING id`,
    [child.id, episode.id],
  );
  await api.db.query(
    `INSERT INTO visit (child_id, plan_id, visited_on, type, seen, seen_alone, note, created_by_id)
     SELECT $1, $2, DATE '2026-03-03' + g, 'HOME', true, g % 2 = 0, 'Visit note', $3 FROM generate_series(1, $4) g`,
    [child.id, plan.id, workerId, visits],
  );
  return child;
}

describe('chronology', () => {
  it('lists every kind of event on the record, newest first, paginated without overlap, and audits the view', async () => {
    const child = await childWithHistory(c.socialWorker.id, c.teamA.id, 12);
    const first = await api.run(CHRONOLOGY, { id: child.id, first: 5 }, c.socialWorker);
    expect(first.errors).toBeUndefined();
    const total = first.data.chronology.totalCount;
    expect(total).toBe(2 + 1 + 1 + 1 + 1 + 12 + 1); // referral received+decided, contact, episode, assessment, plan, 12 visits, allocation
    const seen: string[] = [];
    let after: string | null = null;
    let page: GqlResult = first;
    for (let i = 0; i < 10; i++) {
      if (i > 0) page = await api.run(CHRONOLOGY, { id: child.id, first: 5, after }, c.socialWorker);
      expect(page.errors).toBeUndefined();
      expect(page.data.chronology.totalCount).toBe(total);
      seen.push(...page.data.chronology.edges.map((e: { node: { id: string } }) => e.node.id));
      after = page.data.chronology.pageInfo.endCursor;
      if (!page.data.chronology.pageInfo.hasNextPage) break;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    const all = (await api.run(CHRONOLOGY, { id: child.id, first: 100 }, c.socialWorker)).data.chronology.edges.map(
      (e: { node: { occurredAt: string; kind: string } }) => e.node,
    );
    const times = all.map((n: { occurredAt: string }) => n.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(new Set(all.map((n: { kind: string }) => n.kind))).toEqual(
      new Set(['ALLOCATED', 'VISIT', 'PLAN_STARTED', 'ASSESSMENT_STARTED', 'EPISODE_OPENED', 'REFERRAL_DECIDED', 'REFERRAL_RECEIVED', 'CONTACT']),
    );
    expect((await given.auditRows('child.viewed', child.id)).length).toBeGreaterThanOrEqual(1);
  });

  it("answers NOT_FOUND for another team's child (audited) and FORBIDDEN for roles without case data", async () => {
    const child = await childWithHistory(c.otherSocialWorker.id, c.teamB.id, 1);
    expect(codeOf(await api.run(CHRONOLOGY, { id: child.id, first: 5 }, c.socialWorker))).toBe('NOT_FOUND');
    expect((await given.auditRows('child.viewed', child.id)).map((a) => a.result)).toEqual(['DENIED']);
    for (const who of [c.analyst, c.admin, c.providerManager]) {
      expect(codeOf(await api.run(CHRONOLOGY, { id: child.id, first: 5 }, who))).toBe('FORBIDDEN');
    }
    expect(codeOf(await api.run(CHRONOLOGY, { id: child.id, first: 5 }))).toBe('UNAUTHENTICATED');
  });

  it('issues the same number of SQL statements for a page of 5 and of 40 events', async () => {
    const child = await childWithHistory(c.socialWorker.id, c.teamA.id, 45);
    const counts: number[] = [];
    for (const first of [5, 40]) {
      api.resetStatements();
      const r = await api.run(CHRONOLOGY, { id: child.id, first }, c.socialWorker);
      expect(r.data.chronology.edges).toHaveLength(first);
      counts.push(api.statements());
    }
    expect(counts[1]).toBe(counts[0]);
    console.log(`SQL statements for a chronology page: 5 events -> ${counts[0]}, 40 events -> ${counts[1]}`);
  });
});

describe('caseload due items across casework', () => {
  it('shows assessments, plan reviews and visits due, most urgent first, with the same statements for 5 and for 40 children', async () => {
    for (let i = 0; i < 40; i++) await childWithHistory(c.socialWorker.id, c.teamA.id, i % 3);
    const counts: number[] = [];
    for (const first of [5, 40]) {
      api.resetStatements();
      const r = await api.run(CASELOAD, { first }, c.socialWorker);
      expect(r.errors).toBeUndefined();
      expect(r.data.myCaseload.edges).toHaveLength(first);
      counts.push(api.statements());
    }
    expect(counts[1]).toBe(counts[0]);
    const r = await api.run(CASELOAD, { first: 1 }, c.socialWorker);
    const kinds = r.data.myCaseload.edges[0].node.due.map((d: { kind: string }) => d.kind).sort();
    expect(kinds).toEqual(['ASSESSMENT', 'PLAN_REVIEW', 'VISIT']);
    // the assessment was due 45 working days after 5 January 2026, so it is long overdue
    const assessment = r.data.myCaseload.edges[0].node.due.find((d: { kind: string }) => d.kind === 'ASSESSMENT');
    expect(assessment).toMatchObject({ status: 'OVERDUE', dueOn: '2026-03-09' }); // 4+5*8 working days to Fri 6 March, then Mon 9
    console.log(`SQL statements for myCaseload with due items: 5 children -> ${counts[0]}, 40 children -> ${counts[1]}`);
  });
});

import { codeOf, useFixedClock } from '../../../../test/api';
import { useCouncilSuite } from '../../../../test/factories';
import { describeRules } from '../../../shared/authz/merge';
import { permissionMap } from '../../../app';

const ISSUES = `query ($id: ID!, $year: Int) { child(id: $id) { id returnIssues(year: $year) { rule severity childId laChildId field recordId message } } }`;

describe('Child.returnIssues: the DfE CIN census rules on the child record', () => {
  const s = useCouncilSuite();
  // Today is 26 November 2026: the collection year by default is 2026-27 (year 2027).
  const clock = useFixedClock(s, '2026-11-26T10:00:00Z');
  const q = (sql: string, params: unknown[] = []) => s.api.db.query(sql, params);
  const one = async (sql: string, params: unknown[]) => (await q(sql, params))[0].id as string;

  /** A child of the worker's team referred on 1 September 2026, with an episode and an assessment authorised with `factors`. */
  async function givenAssessedChild(factors: string[]) {
    const child = await s.given.child({ teamId: s.c.teamA.id, workerId: s.c.socialWorker.id });
    const referral = await one(
      `INSERT INTO referral (child_id, received_at, referral_date, source_code, primary_need_code, reason, decision_due_on, decision,
                             decision_reason, decided_at)
       VALUES ($1, '2026-09-01T09:00:00Z', '2026-09-01', '2A', 'N1', 'School worried', '2026-09-02', 'ASSESSMENT', 'Assess', '2026-09-01T11:00:00Z')
       RETURNING id`,
      [child.id],
    );
    const episode = await one(
      `INSERT INTO episode (child_id, referral_id, start_date, referral_source, primary_need_code) VALUES ($1, $2, '2026-09-01', '2A', 'N1')
       RETURNING id`,
      [child.id, referral],
    );
    const assessment = await one(
      `INSERT INTO assessment (child_id, episode_id, status, start_date, due_date, completed_date, authorised_date, factors)
       VALUES ($1, $2, 'AUTHORISED', '2026-09-02', '2026-11-03', '2026-10-08', '2026-10-09', $3) RETURNING id`,
      [child.id, episode, factors],
    );
    return { child, episode, assessment };
  }

  it('shows a worker the error on the record it is in, and nothing once it is put right', async () => {
    const { child, assessment } = await givenAssessedChild(['16A', '16A']);
    const r = await clock.run(ISSUES, { id: child.id }, s.c.socialWorker);
    expect(r.errors).toBeUndefined();
    expect(r.data.child.returnIssues).toEqual([
      {
        rule: '8898', severity: 'ERROR', childId: child.id, laChildId: child.laChildId, field: 'AssessmentFactors', recordId: assessment,
        message: 'The assessment has more than one parental or child factors with the same code',
      },
    ]);

    await q(`UPDATE assessment SET factors = '{16A}' WHERE id = $1`, [assessment]);
    expect((await clock.run(ISSUES, { id: child.id }, s.c.socialWorker)).data.child.returnIssues).toEqual([]);
  });

  it('checks the collection year asked for (none when the child is not in that return) and refuses one outside the range', async () => {
    const { child } = await givenAssessedChild(['16A', '16A']);
    expect((await clock.run(ISSUES, { id: child.id, year: 2027 }, s.c.socialWorker)).data.child.returnIssues).toHaveLength(1);
    expect((await clock.run(ISSUES, { id: child.id, year: 2026 }, s.c.socialWorker)).data.child.returnIssues).toEqual([]);

    const bad = await clock.run(ISSUES, { id: child.id, year: 2013 }, s.c.socialWorker);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0].extensions?.fields?.map((f) => f.field)).toEqual(['year']);
  });

  it('needs child:read and the child in scope: no issues for anyone else', async () => {
    expect(describeRules(permissionMap())['Child.returnIssues']).toBe('can:child:read');
    const { child } = await givenAssessedChild(['21', '16A']);
    expect(codeOf(await clock.run(ISSUES, { id: child.id }, null))).toBe('UNAUTHENTICATED');
    const other = await clock.run(ISSUES, { id: child.id }, s.c.otherSocialWorker);
    expect(codeOf(other)).toBe('NOT_FOUND');
    expect(other.data?.child ?? null).toBeNull();
  });

  it('checks several children in one batch of census queries, not one per child', async () => {
    const a = await givenAssessedChild(['16A']);
    const b = await givenAssessedChild(['21', '4B']);
    const statements = async (query: string, vars: Record<string, unknown>) => {
      s.api.resetStatements();
      const r = await clock.run(query, vars, s.c.teamManager);
      expect(r.errors).toBeUndefined();
      return { n: s.api.statements(), data: r.data };
    };
    const pair = (withIssues: boolean) =>
      `query ($a: ID!, $b: ID!) { a: child(id: $a) { id ${withIssues ? 'returnIssues { rule }' : ''} }
                                  b: child(id: $b) { id ${withIssues ? 'returnIssues { rule }' : ''} } }`;
    const single = (withIssues: boolean) => `query ($a: ID!) { a: child(id: $a) { id ${withIssues ? 'returnIssues { rule }' : ''} } }`;

    const oneChild = (await statements(single(true), { a: a.child.id })).n - (await statements(single(false), { a: a.child.id })).n;
    const both = await statements(pair(true), { a: a.child.id, b: b.child.id });
    const twoChildren = both.n - (await statements(pair(false), { a: a.child.id, b: b.child.id })).n;
    expect(oneChild).toBeGreaterThanOrEqual(2);
    expect(twoChildren).toBe(oneChild);
    expect(both.data.a.returnIssues).toEqual([]);
    expect(both.data.b.returnIssues.map((i: { rule: string }) => i.rule).sort()).toEqual(['8869', '8873Q']);
  });
});

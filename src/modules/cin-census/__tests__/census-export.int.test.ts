import { Element, parseXml } from 'libxmljs2';
import { useCouncilSuite } from '../../../../test/factories';
import { codeOf, testConfig } from '../../../../test/api';
import { Running, startServer } from '../../../server';

const CIN_CENSUS = `query ($year: Int!) {
  cinCensus(year: $year) {
    year referenceDate children xml errorCount queryCount downloadPath
    issues { rule severity childId laChildId field recordId message }
  }
}`;

describe('cinCensus: access, audit, issues and the streamed export', () => {
  const s = useCouncilSuite();
  const q = (sql: string, params: unknown[] = []) => s.api.db.query(sql, params);

  /** A child referred in the 2025-26 year with an open episode and a CP plan (its end date optional). */
  async function givenChildInNeed(cpEnd: string | null = null) {
    const child = await s.given.child();
    const [{ id: referralId }] = await q(
      `INSERT INTO referral (child_id, received_at, referral_date, source_code, primary_need_code, reason, decision_due_on, decision,
                             decision_reason, decided_at)
       VALUES ($1, '2025-06-02T09:00:00Z', '2025-06-02', '6', 'N1', 'Police report', '2025-06-03', 'STRATEGY_DISCUSSION', 'Risk', '2025-06-02T12:00:00Z')
       RETURNING id`,
      [child.id],
    );
    const [{ id: episodeId }] = await q(
      `INSERT INTO episode (child_id, referral_id, start_date, referral_source, primary_need_code) VALUES ($1, $2, '2025-06-02', '6', 'N1') RETURNING id`,
      [child.id, referralId],
    );
    const [{ id: planId }] = await q(
      `INSERT INTO plan (child_id, episode_id, type, status, start_date, end_date, contingency, family_summary, initial_category, latest_category)
       VALUES ($1, $2, 'CHILD_PROTECTION', CASE WHEN $3::date IS NULL THEN 'ACTIVE' ELSE 'ENDED' END, '2025-07-01', $3, 'Court', 'Summary', 'NEG', 'NEG')
       RETURNING id`,
      [child.id, episodeId, cpEnd],
    );
    return { ...child, episodeId, planId };
  }

  it('answers analysts and service managers; refuses practitioners, providers and admins; asks the anonymous to sign in', async () => {
    await givenChildInNeed();
    for (const who of [s.c.analyst, s.c.serviceManager]) {
      const res = await s.api.run(CIN_CENSUS, { year: 2026 }, who);
      expect(res.errors).toBeUndefined();
      expect(res.data.cinCensus.children).toBe(1);
    }
    for (const who of [s.c.socialWorker, s.c.teamManager, s.c.frontDoor, s.c.providerPractitioner, s.c.providerManager, s.c.admin, s.c.governance]) {
      const res = await s.api.run(CIN_CENSUS, { year: 2026 }, who);
      expect(codeOf(res)).toBe('FORBIDDEN');
      expect(res.data).toBeNull();
    }
    expect(codeOf(await s.api.run(CIN_CENSUS, { year: 2026 }, null))).toBe('UNAUTHENTICATED');
    // Refusals are audited; nothing was exported for them.
    const denied = await q(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'access.denied' AND entity = 'Query.cinCensus'`);
    expect(denied[0].n).toBe(7);
    const exported = await q(`SELECT actor_id FROM audit_entry WHERE action = 'return.cinCensus.exported' ORDER BY id`);
    expect(exported.map((r: { actor_id: string }) => r.actor_id)).toEqual([s.c.analyst.id, s.c.serviceManager.id]);
  });

  it('audits every export with who, when and the year, naming no child; the audit row numbers the message', async () => {
    await givenChildInNeed();
    const before = new Date();
    const res = await s.api.run(CIN_CENSUS, { year: 2026 }, s.c.analyst);
    expect(res.errors).toBeUndefined();
    const rows = await q(
      `SELECT id, actor_id, entity, entity_id, child_id, reason, result, at FROM audit_entry WHERE action = 'return.cinCensus.exported'`,
    );
    expect(rows).toEqual([
      expect.objectContaining({ actor_id: s.c.analyst.id, entity: 'cinCensus', entity_id: null, child_id: null, reason: '2026', result: 'ALLOWED' }),
    ]);
    expect(rows[0].at.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(res.data.cinCensus.xml).toContain(`<SerialNo>${String(rows[0].id).padStart(3, '0')}</SerialNo>`);
    // Reading a census does not read (or audit) any child's record.
    const [{ n }] = await q(`SELECT count(*)::int AS n FROM audit_entry WHERE child_id IS NOT NULL`);
    expect(n).toBe(0);
  });

  it('reports the DfE rules it breaks with the rule, the child, the element and the record, and counts errors and queries', async () => {
    const child = await givenChildInNeed('2025-06-20'); // ends before it starts: rule 8925
    const res = await s.api.run(CIN_CENSUS, { year: 2026 }, s.c.analyst);
    expect(res.errors).toBeUndefined();
    const census = res.data.cinCensus;
    expect(census.issues).toContainEqual({
      rule: '8925',
      severity: 'ERROR',
      childId: child.id,
      laChildId: child.laChildId,
      field: 'CPPendDate',
      recordId: child.planId,
      message: 'Child Protection Plan End Date earlier than Start Date',
    });
    const count = (severity: string) => census.issues.filter((i: { severity: string }) => i.severity === severity).length;
    expect(census.errorCount).toBe(count('ERROR'));
    expect(census.queryCount).toBe(count('QUERY'));
  });

  it('refuses a year outside the collections with BAD_USER_INPUT naming the field', async () => {
    for (const year of [1999, 2101]) {
      const res = await s.api.run(CIN_CENSUS, { year }, s.c.analyst);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].extensions!.fields).toEqual([expect.objectContaining({ field: 'year' })]);
    }
    const [{ n }] = await q(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'return.cinCensus.exported'`);
    expect(n).toBe(0);
  });

  it('sends the same number of SQL statements for one child as for many (no N+1)', async () => {
    await givenChildInNeed();
    s.api.resetStatements();
    await s.api.run(CIN_CENSUS, { year: 2026 }, s.c.analyst);
    const forOne = s.api.statements();
    for (let i = 0; i < 5; i++) await givenChildInNeed();
    s.api.resetStatements();
    const res = await s.api.run(CIN_CENSUS, { year: 2026 }, s.c.analyst);
    expect(res.data.cinCensus.children).toBe(6);
    expect(s.api.statements()).toBe(forOne);
  });

  describe('GET /exports/cin-census/:year.xml', () => {
    let server: Running;
    beforeAll(async () => {
      server = await startServer(testConfig({ PORT: '0', LOG_LEVEL: 'silent' }));
    });
    afterAll(() => server.stop());
    const get = (path: string, token?: string) => fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

    it('streams the XML to an analyst (chunked, not cached) and audits the download', async () => {
      const child = await givenChildInNeed();
      const res = await get('/exports/cin-census/2026.xml', await s.api.token(s.c.analyst));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
      expect(res.headers.get('transfer-encoding')).toBe('chunked');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="cin-census-2026.xml"');
      const doc = parseXml(await res.text());
      expect((doc.get('/Message/Header/CollectionDetails/Year') as Element).text()).toBe('2026');
      expect(doc.find('/Message/Children/Child/ChildIdentifiers/LAchildID').map((e) => (e as Element).text())).toEqual([child.laChildId]);
      const rows = await q(`SELECT actor_id, child_id, reason FROM audit_entry WHERE action = 'return.cinCensus.exported'`);
      expect(rows).toEqual([{ actor_id: s.c.analyst.id, child_id: null, reason: '2026' }]);
    });

    it('answers 401 without a valid token, 403 without the permission and 400 for a bad year, as JSON', async () => {
      const unauthenticated = await get('/exports/cin-census/2026.xml');
      expect(unauthenticated.status).toBe(401);
      expect(((await unauthenticated.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      const forged = await get('/exports/cin-census/2026.xml', 'not-a-token');
      expect(forged.status).toBe(401);
      expect(((await forged.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');

      for (const who of [s.c.socialWorker, s.c.providerManager, s.c.admin]) {
        const res = await get('/exports/cin-census/2026.xml', await s.api.token(who));
        expect(res.status).toBe(403);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(((await res.json()) as any).errors[0].extensions.code).toBe('FORBIDDEN');
      }
      const denied = await q(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'access.denied' AND entity = 'GET /exports/cin-census'`);
      expect(denied[0].n).toBe(3);

      const token = await s.api.token(s.c.analyst);
      for (const year of ['1999', '20x6', '20260']) {
        const res = await get(`/exports/cin-census/${year}.xml`, token);
        expect(res.status).toBe(400);
        const body = (await res.json()) as any;
        expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [expect.objectContaining({ field: 'year' })] });
      }
      const [{ n }] = await q(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'return.cinCensus.exported'`);
      expect(n).toBe(0);
    });
  });
});

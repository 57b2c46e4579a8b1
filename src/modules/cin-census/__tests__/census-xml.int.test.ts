import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Element, parseXml } from 'libxmljs2';
import type { DataSource } from 'typeorm';
import { useCouncilSuite } from '../../../../test/factories';
import { databaseName, onServer, testDatabaseUrl } from '../../../../test/setup/database';
import { createDataSource } from '../../../shared/db/data-source';
import { seedDemoCouncil } from '../../../seed/demo-council';
import { seedCensusPeriod } from '../../../seed/census-faults';
import { londonDate } from '../../../shared/clock/calendar';
import { loadCensusChild, loadCensusChildren } from '../census.loader';
import { writeCensusXml } from '../census.xml';
import { censusPeriod } from '../rules';

const CIN_CENSUS = `query ($year: Int!) { cinCensus(year: $year) { year referenceDate children xml errorCount queryCount downloadPath } }`;

/** Leaf elements under an element, in document order, as `path=text` (the order and the values in one list). */
function leaves(el: Element, prefix = ''): string[] {
  const kids = el.childNodes().filter((n): n is Element => n.type() === 'element');
  if (kids.length === 0) return [`${prefix}${el.name()}=${el.text()}`];
  return kids.flatMap((k) => leaves(k, `${prefix}${el.name()}/`));
}

function childElement(xml: string, laChildId: string): string[] | null {
  const child = parseXml(xml).get(`/Message/Children/Child[ChildIdentifiers/LAchildID='${laChildId}']`) as Element | null;
  return child ? child.childNodes().filter((n): n is Element => n.type() === 'element').flatMap((k) => leaves(k)) : null;
}

/**
 * The published 2024 schema with the documented 2024-25 change (<Sex> M/F/U instead of <GenderCurrent>) and
 * NumberOfPreviousCPP allowed to be 0: the schema says positiveInteger, but DfE rule 8730 asks for a number "greater
 * than or equal to zero" and a child's first plan has none before it.
 */
function censusSchema(): string {
  const xsd = readFileSync(path.resolve(__dirname, '../../../../test/fixtures/dfe/CIN_schema_2024.xsd'), 'utf8');
  const sex = `<xs:simpleType name="sextype"><xs:restriction base="nonEmptyString">
    <xs:enumeration value="M"/><xs:enumeration value="F"/><xs:enumeration value="U"/></xs:restriction></xs:simpleType>`;
  const patched = xsd
    .replace('<xs:element name="GenderCurrent" type="gendertype" minOccurs="1" maxOccurs="1"/>', '<xs:element name="Sex" type="sextype" minOccurs="1" maxOccurs="1"/>')
    .replace(/<xs:simpleType name="gendertype">[\s\S]*?<\/xs:simpleType>/, sex)
    .replace('<xs:element name="NumberOfPreviousCPP" type="xs:positiveInteger"', '<xs:element name="NumberOfPreviousCPP" type="xs:nonNegativeInteger"');
  expect(patched).toContain('name="Sex" type="sextype"');
  expect(patched).not.toContain('GenderCurrent');
  expect(patched).toContain('xs:nonNegativeInteger');
  return patched;
}

function schemaErrors(xml: string): string[] {
  const doc = parseXml(xml);
  if (doc.validate(parseXml(censusSchema()))) return [];
  return doc.validationErrors.map((e) => `${e.line}: ${e.message.trim()}`);
}

describe('CIN census XML', () => {
  const s = useCouncilSuite();
  const q = (sql: string, params: unknown[] = []) => s.api.db.query(sql, params);
  const one = async (sql: string, params: unknown[]) => (await q(sql, params))[0].id as string;

  const referral = (childId: string, date: string, decision: string | null, source = '2A', need = 'N1') =>
    one(
      `INSERT INTO referral (child_id, received_at, referral_date, source_code, primary_need_code, reason, decision_due_on, decision,
                             decision_reason, decided_at)
       VALUES ($1, ($2::date + time '10:00') AT TIME ZONE 'Europe/London', $2, $3, $4, 'Worried about the child', $2, $5,
               CASE WHEN $5::text IS NOT NULL THEN 'Decided' END, CASE WHEN $5::text IS NOT NULL THEN ($2::date + time '12:00') AT TIME ZONE 'Europe/London' END)
       RETURNING id`,
      [childId, date, source, need, decision],
    );
  const episode = (childId: string, referralId: string, start: string, source: string, need: string, closure: string | null = null, reason: string | null = null) =>
    one(
      `INSERT INTO episode (child_id, referral_id, start_date, referral_source, primary_need_code, closure_date, closure_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [childId, referralId, start, source, need, closure, reason],
    );
  const assessment = (childId: string, episodeId: string, start: string, authorised: string | null, factors: string[]) =>
    one(
      `INSERT INTO assessment (child_id, episode_id, status, start_date, due_date, completed_date, authorised_date, factors)
       VALUES ($1, $2, CASE WHEN $4::date IS NULL THEN 'COMPLETED' ELSE 'AUTHORISED' END, $3, $3::date + 60, $3::date + 30, $4, $5) RETURNING id`,
      [childId, episodeId, start, authorised, factors],
    );
  const section47 = async (
    childId: string, episodeId: string, start: string, target: string, icpc: string | null, notRequired = false, concluded: string | null = icpc,
  ) => {
    const sd = await one(
      `INSERT INTO strategy_discussion (child_id, episode_id, held_on, participants, decision, rationale)
       VALUES ($1, $2, $3, '[]', 'START_SECTION_47', 'Police and health agree') RETURNING id`,
      [childId, episodeId, start],
    );
    return one(
      `INSERT INTO section47 (child_id, episode_id, strategy_discussion_id, start_date, icpc_target_date, icpc_date, conference_not_required,
                              status, concluded_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8::date IS NULL THEN 'OPEN' ELSE 'CONCLUDED' END, $8) RETURNING id`,
      [childId, episodeId, sd, start, target, icpc, notRequired, concluded],
    );
  };
  const plan = (childId: string, episodeId: string, type: string, start: string, end: string | null, initial: string | null = null, latest = initial) =>
    one(
      `INSERT INTO plan (child_id, episode_id, type, status, start_date, end_date, contingency, family_summary, initial_category, latest_category)
       VALUES ($1, $2, $3, CASE WHEN $5::date IS NULL THEN 'ACTIVE' ELSE 'ENDED' END, $4, $5, 'Court if no change', 'What we agreed', $6, $7)
       RETURNING id`,
      [childId, episodeId, type, start, end, initial, latest],
    );
  const conference = (childId: string, episodeId: string, kind: string, heldOn: string, links: { section47Id?: string; planId?: string } = {}) =>
    one(
      `INSERT INTO child_protection_conference (child_id, episode_id, kind, section47_id, plan_id, held_on, chair_id, attendees, decision, rationale)
       VALUES ($1, $2, $3, $4, $5, $6, $7, '[]', $8, 'Agreed') RETURNING id`,
      [childId, episodeId, kind, links.section47Id ?? null, links.planId ?? null, heldOn, s.c.conferenceChair.id, kind === 'INITIAL' ? 'PLAN' : 'CONTINUE'],
    );

  /** Three children in the 2025-26 return (one restricted) and two outside it; every element of the message is used. */
  async function givenReturn() {
    const a = await s.given.child();
    await q(`UPDATE child SET former_upn = $2, disabilities = '{AUT,COMM}', ethnicity = 'MWBA' WHERE id = $1`, [a.id, 'A201202600099']);
    const [{ upn }] = await q(`SELECT upn FROM child WHERE id = $1`, [a.id]);
    // An earlier episode with a CP plan (NumberOfPreviousCPP) and an NFA referral before the year: not in the return.
    const r0 = await referral(a.id, '2022-01-01', 'STRATEGY_DISCUSSION');
    const e0 = await episode(a.id, r0, '2022-01-01', '6', 'N1', '2022-10-01', 'RC7');
    await plan(a.id, e0, 'CHILD_PROTECTION', '2022-01-10', '2022-09-01', 'PHY');
    await referral(a.id, '2025-03-31', 'NO_FURTHER_ACTION');
    // In the year: an NFA referral, then an episode with everything.
    await referral(a.id, '2025-04-10', 'NO_FURTHER_ACTION', '1A', 'N4');
    const r1 = await referral(a.id, '2025-05-01', 'STRATEGY_DISCUSSION');
    const e1 = await episode(a.id, r1, '2025-05-01', '2A', 'N1', '2026-03-20', 'RC7');
    await assessment(a.id, e1, '2025-05-02', '2025-06-10', ['3A', '16A']);
    await assessment(a.id, e1, '2026-03-02', '2026-04-10', ['4B']); // authorised after 31 March: not yet, as at the return
    const s1 = await section47(a.id, e1, '2025-05-05', '2025-05-27', '2025-05-26');
    await section47(a.id, e1, '2025-10-01', '2025-10-22', null, true, '2025-10-10');
    const cp = await plan(a.id, e1, 'CHILD_PROTECTION', '2025-05-26', '2025-11-30', 'NEG', 'EMO');
    await conference(a.id, e1, 'INITIAL', '2025-05-26', { section47Id: s1, planId: cp });
    await conference(a.id, e1, 'REVIEW', '2025-08-20', { planId: cp });
    await conference(a.id, e1, 'REVIEW', '2025-11-30', { planId: cp });
    await plan(a.id, e1, 'CHILD_IN_NEED', '2025-12-01', '2026-03-20');
    // After the year: not in the return.
    await referral(a.id, '2026-04-02', 'NO_FURTHER_ACTION');

    // Unborn, referred in the year: an initial conference with no section 47 (at CINdetails level), a CP plan still open.
    const b = await s.given.child();
    await q(
      `UPDATE child SET date_of_birth = NULL, expected_date_of_birth = '2026-05-01', sex = 'U', upn = NULL, upn_unknown_reason = 'UN1',
              ethnicity = 'NOBT', disabilities = '{}' WHERE id = $1`,
      [b.id],
    );
    const r2 = await referral(b.id, '2026-01-10', 'ASSESSMENT', '3B', 'N3');
    const e2 = await episode(b.id, r2, '2026-01-10', '3B', 'N3');
    const cp2 = await plan(b.id, e2, 'CHILD_PROTECTION', '2026-02-02', null, 'PHY');
    await conference(b.id, e2, 'INITIAL', '2026-02-02', { planId: cp2 });

    // Restricted, died in the year; an early help referral with no episode counts as NFA.
    const c = await s.given.child({ restrictedTo: [s.c.socialWorker.id] });
    await q(`UPDATE child SET date_of_death = '2026-02-01' WHERE id = $1`, [c.id]);
    await referral(c.id, '2025-07-01', 'EARLY_HELP', '5D', 'N5');
    const r3 = await referral(c.id, '2025-09-01', 'ASSESSMENT', '3A', 'N2');
    await episode(c.id, r3, '2025-09-01', '3A', 'N2', '2026-02-01', 'RC2');

    // Outside the return: an episode closed before the year; an undecided referral.
    const d = await s.given.child();
    const r4 = await referral(d.id, '2024-05-01', 'ASSESSMENT');
    await episode(d.id, r4, '2024-05-01', '2A', 'N1', '2025-03-31', 'RC7');
    const e = await s.given.child();
    await referral(e.id, '2026-03-31', null);
    return { a: { ...a, upn: upn as string }, b, c, d, e, e1, cp };
  }

  it('writes every element of the specification, in its order, with the values as at 31 March', async () => {
    const { a, b, c } = await givenReturn();
    const res = await s.api.run(CIN_CENSUS, { year: 2026 }, s.c.analyst);
    expect(res.errors).toBeUndefined();
    const census = res.data.cinCensus;
    expect(census).toMatchObject({ year: 2026, referenceDate: '2026-03-31', children: 3, downloadPath: '/exports/cin-census/2026.xml' });

    const doc = parseXml(census.xml);
    expect(leaves(doc.get('/Message/Header') as Element)).toEqual([
      'Header/CollectionDetails/Collection=CIN',
      'Header/CollectionDetails/Year=2026',
      'Header/CollectionDetails/ReferenceDate=2026-03-31',
      'Header/Source/SourceLevel=L',
      'Header/Source/LEA=201',
      'Header/Source/SoftwareCode=Haven',
      'Header/Source/Release=0.1.0',
      expect.stringMatching(/^Header\/Source\/SerialNo=\d{3,}$/),
      expect.stringMatching(/^Header\/Source\/DateTime=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
    ]);

    expect(childElement(census.xml, a.laChildId)).toEqual([
      `ChildIdentifiers/LAchildID=${a.laChildId}`,
      `ChildIdentifiers/UPN=${a.upn}`,
      'ChildIdentifiers/FormerUPN=A201202600099',
      'ChildIdentifiers/PersonBirthDate=2015-06-01',
      'ChildIdentifiers/Sex=F',
      'ChildCharacteristics/Ethnicity=MWBA',
      'ChildCharacteristics/Disabilities/Disability=AUT',
      'ChildCharacteristics/Disabilities/Disability=COMM',
      // The NFA referral: no closure, ReferralNFA true.
      'CINdetails/CINreferralDate=2025-04-10',
      'CINdetails/ReferralSource=1A',
      'CINdetails/PrimaryNeedCode=N4',
      'CINdetails/ReferralNFA=true',
      'CINdetails/CINreferralDate=2025-05-01',
      'CINdetails/ReferralSource=2A',
      'CINdetails/PrimaryNeedCode=N1',
      'CINdetails/CINclosureDate=2026-03-20',
      'CINdetails/ReasonForClosure=RC7',
      'CINdetails/Assessments/AssessmentActualStartDate=2025-05-02',
      'CINdetails/Assessments/AssessmentAuthorisationDate=2025-06-10',
      'CINdetails/Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors=3A',
      'CINdetails/Assessments/FactorsIdentifiedAtAssessment/AssessmentFactors=16A',
      // Authorised after 31 March: no authorisation date and no factors yet.
      'CINdetails/Assessments/AssessmentActualStartDate=2026-03-02',
      'CINdetails/CINPlanDates/CINPlanStartDate=2025-12-01',
      'CINdetails/CINPlanDates/CINPlanEndDate=2026-03-20',
      'CINdetails/Section47/S47ActualStartDate=2025-05-05',
      'CINdetails/Section47/InitialCPCtarget=2025-05-27',
      'CINdetails/Section47/DateOfInitialCPC=2025-05-26',
      'CINdetails/Section47/ICPCnotRequired=false',
      'CINdetails/Section47/S47ActualStartDate=2025-10-01',
      'CINdetails/Section47/InitialCPCtarget=2025-10-22',
      'CINdetails/Section47/ICPCnotRequired=true',
      'CINdetails/ReferralNFA=false',
      'CINdetails/ChildProtectionPlans/CPPstartDate=2025-05-26',
      'CINdetails/ChildProtectionPlans/CPPendDate=2025-11-30',
      'CINdetails/ChildProtectionPlans/InitialCategoryOfAbuse=NEG',
      'CINdetails/ChildProtectionPlans/LatestCategoryOfAbuse=EMO',
      'CINdetails/ChildProtectionPlans/NumberOfPreviousCPP=1',
      'CINdetails/ChildProtectionPlans/Reviews/CPPreviewDate=2025-08-20',
      'CINdetails/ChildProtectionPlans/Reviews/CPPreviewDate=2025-11-30',
    ]);

    expect(childElement(census.xml, b.laChildId)).toEqual([
      `ChildIdentifiers/LAchildID=${b.laChildId}`,
      'ChildIdentifiers/UPNunknown=UN1',
      'ChildIdentifiers/ExpectedPersonBirthDate=2026-05-01',
      'ChildIdentifiers/Sex=U',
      'ChildCharacteristics/Ethnicity=NOBT',
      'CINdetails/CINreferralDate=2026-01-10',
      'CINdetails/ReferralSource=3B',
      'CINdetails/PrimaryNeedCode=N3',
      'CINdetails/DateOfInitialCPC=2026-02-02',
      'CINdetails/ReferralNFA=false',
      'CINdetails/ChildProtectionPlans/CPPstartDate=2026-02-02',
      'CINdetails/ChildProtectionPlans/InitialCategoryOfAbuse=PHY',
      'CINdetails/ChildProtectionPlans/LatestCategoryOfAbuse=PHY',
      'CINdetails/ChildProtectionPlans/NumberOfPreviousCPP=0',
    ]);

    // Restricted children are in the return; an early help referral with no episode is a referral with no further action.
    expect(childElement(census.xml, c.laChildId)).toEqual([
      `ChildIdentifiers/LAchildID=${c.laChildId}`,
      expect.stringMatching(/^ChildIdentifiers\/UPN=/),
      'ChildIdentifiers/PersonBirthDate=2015-06-01',
      'ChildIdentifiers/Sex=F',
      'ChildIdentifiers/PersonDeathDate=2026-02-01',
      'ChildCharacteristics/Ethnicity=WBRI',
      'ChildCharacteristics/Disabilities/Disability=NONE',
      'CINdetails/CINreferralDate=2025-07-01',
      'CINdetails/ReferralSource=5D',
      'CINdetails/PrimaryNeedCode=N5',
      'CINdetails/ReferralNFA=true',
      'CINdetails/CINreferralDate=2025-09-01',
      'CINdetails/ReferralSource=3A',
      'CINdetails/PrimaryNeedCode=N2',
      'CINdetails/CINclosureDate=2026-02-01',
      'CINdetails/ReasonForClosure=RC2',
      'CINdetails/ReferralNFA=false',
    ]);
    expect(schemaErrors(census.xml)).toEqual([]);
  });

  it('returns what had happened by 31 March (a later closure, plan end or birth is left out) and no referral within an open episode', async () => {
    const { a, b, e1, cp } = await givenReturn();
    // The return for the year before: the episode was open, the CP plan too; the unborn child is not referred yet.
    await q(`UPDATE episode SET start_date = '2025-03-01', closure_date = '2025-06-01' WHERE id = $1`, [e1]);
    await q(`UPDATE referral SET referral_date = '2025-03-01' WHERE id = (SELECT referral_id FROM episode WHERE id = $1)`, [e1]);
    await q(`UPDATE plan SET start_date = '2025-03-10', end_date = '2025-05-01' WHERE id = $1`, [cp]);
    await q(`UPDATE child SET date_of_birth = '2025-04-20' WHERE id = $1`, [b.id]);
    const period = censusPeriod(2025);
    const child = await loadCensusChild(s.api.db, period, a.id);
    // The NFA referral of 31 March 2025 came while the episode was open: news on an open case, not a CINdetails.
    expect(child!.details.map((d) => [d.recordType, d.referralDate, d.referralNfa])).toEqual([['episode', '2025-03-01', false]]);
    expect(child!.details[0]).toMatchObject({ recordId: e1, closureDate: null, closureReason: null });
    expect(child!.details[0].cpPlans).toEqual([expect.objectContaining({ recordId: cp, startDate: '2025-03-10', endDate: null, reviewDates: [] })]);
    expect(await loadCensusChild(s.api.db, period, b.id)).toBeNull();
    // Born after 31 March 2026 but referred before: unborn in the 2026 return (expected date of birth, Sex U).
    await q(`UPDATE child SET date_of_birth = '2026-04-20', expected_date_of_birth = NULL, sex = 'M' WHERE id = $1`, [b.id]);
    expect(await loadCensusChild(s.api.db, censusPeriod(2026), b.id)).toMatchObject({ birthDate: null, expectedBirthDate: '2026-04-20', sex: 'U' });
  });

  it('loads a batch with a fixed number of statements, however many children', async () => {
    await givenReturn();
    await givenReturn();
    s.api.resetStatements();
    const batches = [];
    for await (const batch of loadCensusChildren(s.api.db, censusPeriod(2026), { batchSize: 2 })) batches.push(batch.length);
    expect(batches).toEqual([2, 2, 2]);
    // Per batch: the children, their CINdetails, then assessments, plans and section 47s; then a look for more finds none.
    expect(s.api.statements()).toBe(3 * 5 + 1);
  });
});

describe('CIN census XML for the demo council (small seed)', () => {
  const NAME = `${databaseName(testDatabaseUrl())}_census_xml`;
  const url = testDatabaseUrl().replace(/\/[^/]+$/, `/${NAME}`);
  let db: DataSource;
  beforeAll(async () => {
    await onServer(testDatabaseUrl(), [`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`, `CREATE DATABASE ${NAME}`]);
    db = createDataSource({ url });
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
    await seedDemoCouncil(db, 'small');
  }, 120_000);
  afterAll(async () => {
    await db.destroy();
    await onServer(testDatabaseUrl(), [`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`]);
  });

  it("validates against the schema's structure (with <Sex> for <GenderCurrent>) for the seed's census year", async () => {
    const period = seedCensusPeriod(londonDate(new Date()));
    const chunks: string[] = [];
    const sink = new Writable({ decodeStrings: false, write: (chunk: string, _e, done) => { chunks.push(chunk); done(); } });
    const totals = await writeCensusXml({ period, laCode: '201', serialNo: 1, generatedAt: new Date() }, loadCensusChildren(db, period), sink);
    const xml = chunks.join('');
    expect(totals.children).toBeGreaterThan(50);
    for (const element of ['Assessments', 'CINPlanDates', 'Section47', 'ChildProtectionPlans', 'CPPreviewDate', 'UPNunknown', 'ExpectedPersonBirthDate']) {
      expect(xml).toContain(`<${element}>`);
    }
    expect(xml).toContain('<ReferralNFA>true</ReferralNFA>');
    expect(schemaErrors(xml)).toEqual([]);
    // The check is not vacuous: a code outside the enumeration, or elements out of order, fail it.
    expect(schemaErrors(xml.replace(/<Sex>[MF]<\/Sex>/, '<Sex>1</Sex>'))).toEqual([expect.stringContaining("'1' is not an element of the set")]);
    expect(schemaErrors(xml.replace(/(<PersonBirthDate>[^<]*<\/PersonBirthDate>)(\s*)(<Sex>[MFU]<\/Sex>)/, '$3$2$1')).length).toBeGreaterThan(0);
  });
});

import { withUpnCheckLetter } from '../../../child/child.rules';
import type { CensusChild } from '../../census.model';
import { IssueSeverity } from '../../census.model';
import { CHILD_RULES, RULES, validateChild } from '..';
import { CALENDAR, cleanChild, nfaDetail, openEpisode, PERIOD } from './fixtures';

type Change = (c: CensusChild) => void;
const d0 = (c: CensusChild) => c.details[0];
const a0 = (c: CensusChild) => d0(c).assessments[0];
const s0 = (c: CensusChild) => d0(c).section47s[0];
const k0 = (c: CensusChild) => d0(c).cpPlans[0];
const p0 = (c: CensusChild) => d0(c).cinPlans[0];
const openD0 = (c: CensusChild) => Object.assign(d0(c), { closureDate: null, closureReason: null });
const onlyNfa = (c: CensusChild) => Object.assign(c, { details: [nfaDetail()] });
const unborn = (edob: string, sex = 'U') => (c: CensusChild) => Object.assign(c, { birthDate: null, expectedBirthDate: edob, sex });
const assessment = (startDate: string, authorisationDate: string | null, factors: string[] = []) => ({
  recordId: `assessment-${startDate}`, startDate, authorisationDate, factors,
});
const s47 = (startDate: string, icpcDate: string | null, icpcNotRequired = false) => ({
  recordId: `s47-${startDate}`, startDate, icpcTarget: null, icpcDate, icpcNotRequired,
});
const cpPlan = (startDate: string, endDate: string | null) => ({
  recordId: `cp-plan-${startDate}`, startDate, endDate, initialCategory: 'PHY', latestCategory: 'PHY', numberOfPreviousCpp: 1,
  reviewDates: [],
});
const cinPlan = (startDate: string, endDate: string | null) => ({ recordId: `cin-plan-${startDate}`, startDate, endDate });

/**
 * One row per child-level rule: the field it reports, a change that breaks it and a near miss that does not.
 * Each change is applied to a fresh clean child (fixtures.ts), collection year 2025-26.
 */
const CASES: [code: string, field: string, fail: Change, pass: Change][] = [
  // ChildIdentifiers
  ['8500', 'LAchildID', (c) => (c.laChildId = ' '), (c) => (c.laChildId = 'A1')],
  ['1570', 'LAchildID', (c) => (c.laChildId = 'C'.repeat(21)), (c) => (c.laChildId = 'C'.repeat(20))],
  ['1580', 'LAchildID', (c) => (c.laChildId = 'C-000001'), (c) => (c.laChildId = 'C000001')],
  ['1510', 'UPN', (c) => (c.upn = (c.upn![0] === 'A' ? 'B' : 'A') + c.upn!.slice(1)), (c) => (c.upn = withUpnCheckLetter('201000000077'))],
  ['1530', 'UPN', (c) => (c.upn = withUpnCheckLetter('999000000001')), (c) => (c.upn = withUpnCheckLetter('942000000001'))],
  ['1540', 'UPN', (c) => (c.upn = 'A201000X00001'), (c) => (c.upn = withUpnCheckLetter('20100000000A'))],
  ['1550', 'UPN', (c) => (c.upn = 'A20100000000I'), (c) => (c.upn = withUpnCheckLetter('20100000000Z'))],
  ['1560Q', 'FormerUPN', (c) => (c.formerUpn = 'A12345'), (c) => (c.formerUpn = withUpnCheckLetter('20100000000B'))],
  ['4180', 'Sex', (c) => (c.sex = '0'), (c) => (c.sex = 'U')],
  ['8520', 'PersonBirthDate', (c) => (c.birthDate = '2026-04-01'), (c) => (c.birthDate = '2026-03-31')],
  ['8525Q', 'PersonBirthDate', (c) => (c.expectedBirthDate = '2015-05-20'), unborn('2026-05-01')],
  ['8530Q', 'ExpectedPersonBirthDate', unborn('2027-01-01'), unborn('2026-12-31')],
  ['8535Q', 'PersonDeathDate', (c) => (c.deathDate = '2015-05-31'), (c) => (c.deathDate = '2015-06-01')],
  ['8545Q', 'PersonDeathDate', (c) => (c.deathDate = '2026-04-01'), (c) => (c.deathDate = '2025-04-01')],
  ['8590', 'CINdetails', (c) => (c.details = []), onlyNfa],
  ['8750', 'Sex', unborn('2026-05-01', 'F'), unborn('2026-05-01', 'U')],
  ['8770Q', 'UPN', (c) => Object.assign(c, { upn: null, upnUnknown: 'UN1', birthDate: '2022-08-31' }),
    (c) => Object.assign(c, { upn: null, upnUnknown: 'UN1', birthDate: '2022-09-01' })],
  ['8772', 'UPNunknown', (c) => Object.assign(c, { upn: null, upnUnknown: 'UN7' }),
    (c) => Object.assign(onlyNfa(c), { upn: null, upnUnknown: 'UN7' })],
  ['8775Q', 'PersonBirthDate', (c) => (c.birthDate = '2000-01-01'), (c) => (c.birthDate = '2001-03-31')],
  ['4008', 'CINPlanStartDate', (c) => (c.deathDate = '2025-11-30'), (c) => (c.deathDate = '2025-12-01')],
  ['4009Q', 'CINPlanEndDate', (c) => (c.deathDate = '2026-02-09'), (c) => (c.deathDate = '2026-02-10')],
  // ChildCharacteristics and Disabilities
  ['4220', 'Ethnicity', (c) => (c.ethnicity = null), (c) => (c.ethnicity = 'NOBT')],
  ['8540', 'Disability', (c) => (c.disabilities = []), (c) => Object.assign(onlyNfa(c), { disabilities: [] })],
  ['8790', 'Disability', (c) => (c.disabilities = ['NONE', 'AUT']), (c) => (c.disabilities = ['AUT', 'LD'])],
  ['8794', 'Disability', (c) => (c.disabilities = ['AUT', 'AUT']), (c) => (c.disabilities = ['AUT'])],
  // CINdetails
  ['8555Q', 'CINreferralDate', (c) => (c.deathDate = '2025-05-05'), (c) => (c.deathDate = '2026-02-20')],
  ['8585Q', 'ReasonForClosure', (c) => (d0(c).closureReason = 'RC2'),
    (c) => Object.assign(c, { deathDate: '2026-02-20' }) && (d0(c).closureReason = 'RC2')],
  ['8569Q', 'ReferralNFA', (c) => (c.details = [nfaDetail('2025-03-31')]), (c) => (c.details = [nfaDetail('2025-04-01')])],
  ['8600', 'CINreferralDate', (c) => (d0(c).referralDate = '2026-04-01'), (c) => (d0(c).referralDate = '2026-03-31')],
  ['8606', 'CINreferralDate', (c) => (c.birthDate = '2026-02-11'), (c) => (c.birthDate = '2026-02-09')],
  ['8610', 'PrimaryNeedCode', (c) => (d0(c).primaryNeed = null), (c) => (c.details = [{ ...nfaDetail(), primaryNeed: null }])],
  ['8650', 'PrimaryNeedCode', (c) => (d0(c).primaryNeed = 'N10'), (c) => (d0(c).primaryNeed = 'N0')],
  ['8866', 'ReferralSource', (c) => (d0(c).referralSource = '11'), (c) => (d0(c).referralSource = '10')],
  ['8620', 'CINclosureDate', (c) => (d0(c).closureDate = '2026-04-01'), (c) => (d0(c).closureDate = '2026-03-31')],
  ['8630', 'CINclosureDate', (c) => (d0(c).closureDate = '2025-05-05'), (c) => (c.details = [{ ...nfaDetail(), closureDate: '2025-09-01' }])],
  ['8640', 'ReasonForClosure', (c) => (d0(c).closureReason = 'RC10'), (c) => (d0(c).closureReason = 'RC6')],
  ['8805', 'ReasonForClosure', (c) => (d0(c).closureReason = null), openD0],
  ['8810', 'CINclosureDate', (c) => (d0(c).closureDate = null), openD0],
  ['8815', 'CINclosureDate', (c) => openD0(c) && c.details.push(openEpisode('2026-03-02')),
    (c) => openD0(c) && c.details.push(nfaDetail('2026-03-02'))],
  ['8816', 'CINreferralDate', (c) => openD0(c) && c.details.push(nfaDetail('2026-03-10')),
    (c) => openD0(c) && c.details.push(nfaDetail('2025-04-10'))],
  ['8820', 'CINreferralDate', (c) => c.details.push(nfaDetail('2025-08-01')), (c) => c.details.push(nfaDetail('2026-02-20'))],
  ['8825Q', 'ReasonForClosure', (c) => (c.details = [{ ...openEpisode('2025-05-06'), closureDate: '2025-06-01', closureReason: 'RC8' }]),
    (c) => (c.details = [{ ...openEpisode('2025-05-06'), closureDate: '2025-06-21', closureReason: 'RC8', assessments: [a0(c)] }])],
  ['8831', 'ReferralNFA', (c) => (d0(c).referralNfa = true), onlyNfa],
  ['8832', 'ReferralNFA', (c) => (c.details = [{ ...nfaDetail(), cpPlans: [cpPlan('2025-09-10', null)] }]), onlyNfa],
  ['4000', 'ReferralNFA', (c) => (c.details = [{ ...nfaDetail(), cinPlans: [cinPlan('2025-09-10', null)] }]), onlyNfa],
  ['2990', 'ReasonForClosure', (c) => (d0(c).closureReason = 'RC9'),
    (c) => Object.assign(d0(c), { closureReason: 'RC9', section47s: [], cpPlans: [], cinPlans: [] })],
  ['2991Q', 'Assessments', (c) => (d0(c).assessments = []), (c) => (d0(c).assessments = [assessment('2025-05-07', '2025-05-07', ['20'])])],
  ['8565', 'CINPlanEndDate', (c) => (d0(c).closureDate = '2026-02-09'), (c) => (d0(c).closureDate = '2026-02-10')],
  ['8867', 'AssessmentAuthorisationDate', (c) => Object.assign(a0(c), { authorisationDate: null, factors: [] }),
    (c) => openD0(c) && Object.assign(a0(c), { authorisationDate: null, factors: [] })],
  ['8868', 'DateOfInitialCPC', (c) => (d0(c).section47s = [s47('2026-01-05', null)]),
    (c) => (d0(c).section47s = [s47('2026-01-05', null, true)])],
  // Assessments
  ['1103', 'AssessmentActualStartDate', (c) => (a0(c).startDate = '2025-05-05'), (c) => (a0(c).startDate = '2025-05-06')],
  ['8608', 'AssessmentAuthorisationDate', (c) => (a0(c).authorisationDate = '2025-05-06'), (c) => (a0(c).authorisationDate = '2025-05-07')],
  ['8614', 'AssessmentFactors', (c) => (a0(c).authorisationDate = null), (c) => Object.assign(a0(c), { authorisationDate: null, factors: [] })],
  ['8670Q', 'AssessmentActualStartDate', (c) => openD0(c) && d0(c).assessments.push(assessment('2026-01-27', null)),
    (c) => openD0(c) && d0(c).assessments.push(assessment('2026-01-28', null))],
  ['8696', 'AssessmentAuthorisationDate', (c) => (a0(c).authorisationDate = '2026-04-01'), (c) => (a0(c).authorisationDate = '2026-03-31')],
  ['8736', 'AssessmentActualStartDate', (c) => (d0(c).assessments = [assessment('2025-03-31', null)]),
    (c) => (d0(c).assessments = [assessment('2025-04-01', null)])],
  ['8863Q', 'AssessmentActualStartDate', (c) => d0(c).assessments.push(assessment('2025-06-20', '2025-07-01', ['20'])),
    (c) => d0(c).assessments.push(assessment('2025-06-21', '2025-07-01', ['20']))],
  ['8869', 'AssessmentFactors', (c) => (a0(c).factors = ['21', '16A']), (c) => (a0(c).factors = ['21'])],
  ['8873Q', 'ReasonForClosure', (c) => (a0(c).factors = ['21']),
    (c) => (a0(c).factors = ['21']) && d0(c).assessments.push(assessment('2025-07-01', '2025-07-02', ['21']))],
  ['8896', 'AssessmentAuthorisationDate', (c) => openD0(c) && (d0(c).assessments = [assessment('2026-03-02', null), assessment('2026-03-20', null)]),
    (c) => openD0(c) && (d0(c).assessments = [assessment('2026-03-02', '2026-03-19', ['20']), assessment('2026-03-20', null)])],
  ['8897Q', 'AssessmentFactors', (c) => (a0(c).factors = []), (c) => Object.assign(a0(c), { startDate: '2025-03-24', authorisationDate: '2025-03-31', factors: [] })],
  ['8898', 'AssessmentFactors', (c) => (a0(c).factors = ['16A', '16A']), (c) => (a0(c).factors = ['16A', '17A'])],
  ['8945Q', 'AssessmentFactors', (c) => (a0(c).factors = ['18A']), (c) => (a0(c).factors = ['18B'])],
  ['8950Q', 'AssessmentFactors', (c) => (a0(c).factors = ['19A']), (c) => (a0(c).factors = ['19C'])],
  // CINplanDates and Reviews
  ['4001', 'CINPlanEndDate', (c) => Object.assign(k0(c), { endDate: null }) && Object.assign(p0(c), { endDate: null }) && openD0(c),
    (c) => Object.assign(k0(c), { endDate: null }) && openD0(c)],
  ['4003', 'CPPreviewDate', (c) => (k0(c).reviewDates = ['2025-10-09', '2025-12-01']), (c) => (k0(c).reviewDates = ['2025-10-09', '2025-11-28'])],
  ['4004', 'CINPlanEndDate', (c) => openD0(c) && Object.assign(p0(c), { endDate: null }) && d0(c).cinPlans.push(cinPlan('2026-03-02', null)),
    (c) => openD0(c) && d0(c).cinPlans.push(cinPlan('2026-03-02', null))],
  ['4010', 'CINPlanStartDate', (c) => Object.assign(p0(c), { startDate: '2026-04-01', endDate: null }),
    (c) => Object.assign(p0(c), { startDate: '2026-03-31', endDate: null })],
  ['4011', 'CINPlanEndDate', (c) => (p0(c).endDate = '2025-11-30'), (c) => (p0(c).endDate = '2025-12-02')],
  ['4012Q', 'CINPlanEndDate', (c) => (p0(c).endDate = '2025-12-01'), (c) => (p0(c).endDate = '2025-12-02')],
  ['4013', 'CINPlanEndDate', (c) => openD0(c) && (p0(c).endDate = '2026-04-01'), (c) => openD0(c) && (p0(c).endDate = '2026-03-31')],
  ['4014', 'CINPlanStartDate', (c) => d0(c).cinPlans.push(cinPlan('2026-02-10', '2026-02-19')),
    (c) => d0(c).cinPlans.push(cinPlan('2026-02-11', '2026-02-19'))],
  ['4015', 'CINPlanStartDate', (c) => d0(c).cinPlans.push(cinPlan('2025-05-05', '2025-05-06')),
    (c) => d0(c).cinPlans.push(cinPlan('2025-05-06', '2025-05-07'))],
  ['4016', 'CINPlanStartDate', (c) => (p0(c).startDate = '2025-11-28'), (c) => (p0(c).startDate = '2025-11-29')],
  ['4017', 'CPPstartDate', (c) => d0(c).cinPlans.push(cinPlan('2025-07-01', '2025-07-10')),
    (c) => d0(c).cinPlans.push(cinPlan('2025-07-01', '2025-07-09'))],
  // Section47
  ['1104', 'DateOfInitialCPC', (c) => Object.assign(d0(c), { initialCpcDate: '2025-05-05' }),
    (c) => Object.assign(d0(c), { initialCpcDate: '2025-05-06' })],
  ['2884', 'DateOfInitialCPC', (c) => (d0(c).initialCpcDate = '2025-07-10'), (c) => (d0(c).initialCpcDate = '2025-07-11')],
  ['2889', 'S47ActualStartDate', (c) => (s0(c).startDate = '2025-05-05'), (c) => (s0(c).startDate = '2025-05-06')],
  ['8615', 'S47ActualStartDate', (c) => (s0(c).startDate = '2025-07-11'), (c) => (s0(c).startDate = '2025-07-10')],
  ['8675Q', 'S47ActualStartDate', (c) => openD0(c) && d0(c).section47s.push(s47('2026-03-10', null)),
    (c) => openD0(c) && d0(c).section47s.push(s47('2026-03-11', null))],
  ['8715', 'DateOfInitialCPC', (c) => openD0(c) && (s0(c).icpcDate = '2026-04-01'), (c) => openD0(c) && (s0(c).icpcDate = '2026-03-31')],
  ['8740', 'S47ActualStartDate', (c) => (d0(c).section47s = [s47('2025-03-31', null)]), (c) => (d0(c).section47s = [s47('2025-04-01', null)])],
  ['8839', 'DateOfInitialCPC', (c) => openD0(c) && d0(c).section47s.push(s47('2026-03-16', null), s47('2026-03-20', null)),
    (c) => openD0(c) && d0(c).section47s.push(s47('2026-03-16', null, true), s47('2026-03-20', null))],
  ['8870Q', 'InitialCPCtarget', (c) => (s0(c).icpcTarget = '2025-07-12'), (c) => (s0(c).icpcTarget = '2025-07-11')],
  ['8875', 'DateOfInitialCPC', (c) => (s0(c).icpcDate = '2025-07-13'), (c) => (s0(c).icpcDate = '2025-07-11')],
  ['8890', 'S47ActualStartDate', (c) => d0(c).section47s.push(s47('2025-07-10', '2025-07-24')),
    (c) => d0(c).section47s.push(s47('2025-07-11', '2025-07-24'))],
  // ChildProtectionPlans
  ['1105', 'CPPstartDate', (c) => d0(c).cpPlans.push(cpPlan('2025-05-05', '2025-05-06')),
    (c) => d0(c).cpPlans.push(cpPlan('2025-05-06', '2025-05-07'))],
  ['2885', 'CPPstartDate', (c) => (k0(c).startDate = '2025-07-11'), (c) => Object.assign(d0(c), { section47s: [], initialCpcDate: '2025-07-10' })],
  ['8720', 'CPPstartDate', (c) => openD0(c) && Object.assign(k0(c), { startDate: '2026-04-01', endDate: null }),
    (c) => openD0(c) && Object.assign(k0(c), { startDate: '2026-03-31', endDate: null })],
  ['8730', 'NumberOfPreviousCPP', (c) => (k0(c).numberOfPreviousCpp = null), (c) => (k0(c).numberOfPreviousCpp = 0)],
  ['8840', 'CPPendDate', (c) => (k0(c).endDate = '2025-07-10'), (c) => (k0(c).endDate = '2025-07-11')],
  ['8841', 'CPPreviewDate', (c) => (k0(c).reviewDates = ['2025-07-10']), (c) => (k0(c).reviewDates = ['2025-07-11'])],
  ['8905', 'InitialCategoryOfAbuse', (c) => (k0(c).initialCategory = 'ABC'), (c) => (k0(c).initialCategory = 'MUL')],
  ['8910', 'LatestCategoryOfAbuse', (c) => (k0(c).latestCategory = null), (c) => (k0(c).latestCategory = 'EMO')],
  ['8915', 'CPPstartDate', (c) => (c.deathDate = '2025-07-09'), (c) => (c.deathDate = '2025-07-10')],
  ['8920', 'CPPendDate', (c) => (c.deathDate = '2025-11-27'), (c) => (c.deathDate = '2025-11-28')],
  ['8925', 'CPPendDate', (c) => (k0(c).endDate = '2025-07-09'), (c) => (k0(c).endDate = '2025-07-11')],
  ['8930', 'CPPendDate', (c) => openD0(c) && (k0(c).endDate = '2026-04-01'), (c) => openD0(c) && (k0(c).endDate = '2026-03-31')],
  ['8935', 'CPPendDate', (c) => openD0(c) && Object.assign(k0(c), { endDate: null }) && d0(c).cpPlans.push(cpPlan('2026-03-02', null)),
    (c) => openD0(c) && d0(c).cpPlans.push(cpPlan('2026-03-02', null))],
  ['8940', 'CPPstartDate', (c) => d0(c).cpPlans.push(cpPlan('2025-11-28', '2025-11-29')),
    (c) => d0(c).cpPlans.push(cpPlan('2025-11-29', '2025-11-30'))],
];

const run = (change: Change) => {
  const child = cleanChild();
  change(child);
  return validateChild(child, PERIOD, CALENDAR);
};

describe('CIN census child-level rules (2025-26)', () => {
  it('a clean child breaks no rule', () => {
    expect(validateChild(cleanChild(), PERIOD, CALENDAR)).toEqual([]);
  });

  it('has a failing and a passing case for every child-level rule', () => {
    expect(CASES.map(([code]) => code).sort()).toEqual(Object.keys(CHILD_RULES).sort());
  });

  it.each(CASES)('%s fails when broken, naming %s, and passes the near miss', (code, field, fail, pass) => {
    const found = run(fail).filter((i) => i.rule === code);
    expect(found.length).toBeGreaterThan(0);
    const rule = RULES.get(code)!;
    for (const issue of found) {
      expect(issue).toMatchObject({ field, severity: rule.severity, message: rule.message, childId: 'child-1' });
      expect(issue.recordId).toEqual(expect.any(String));
    }
    expect(run(pass).filter((i) => i.rule === code)).toEqual([]);
  });

  it('points at the record to fix', () => {
    expect(run((c) => (a0(c).factors = ['16A', '16A']))).toEqual([
      expect.objectContaining({ rule: '8898', severity: IssueSeverity.ERROR, field: 'AssessmentFactors', recordId: 'assessment-1' }),
    ]);
    expect(run((c) => (c.ethnicity = null))).toEqual([expect.objectContaining({ rule: '4220', field: 'Ethnicity', childId: 'child-1', laChildId: 'C0000001', recordId: 'child-1' })]);
  });
});

import { addCalendarDays } from '../../../shared/clock/calendar';
import { upnCheckLetter } from '../../child/child.rules';
import type { CensusChild, CensusDetails } from '../census.model';
import {
  ASSESSMENT_FACTOR_CODES, CATEGORY_OF_ABUSE_CODES, DISABILITY_CODES, ETHNICITY_CODES, PRIMARY_NEED_CODES,
  REASON_FOR_CLOSURE_CODES, REFERRAL_SOURCE_CODES, SEX_CODES, UPN_LA_CODES,
} from './codes';
import { addYears, isWeekend, RuleContext } from './context';

/** Where a rule found a fault: the element (DfE name) and the Haven record holding it. */
export interface Hit {
  field: string;
  recordId: string | null;
}

/** A rule about one child's return (everything except the LA-wide rules in census-rules.ts). */
export type ChildRule = (child: CensusChild, cx: RuleContext) => Hit[];

type Dated = { recordId: string };
const oneOf = (codes: readonly string[]) => (v: string | null): v is string => v !== null && codes.includes(v);
const validSource = oneOf(REFERRAL_SOURCE_CODES);
const validNeed = oneOf(PRIMARY_NEED_CODES);
const validReason = oneOf(REASON_FOR_CLOSURE_CODES);
const validCategory = oneOf(CATEGORY_OF_ABUSE_CODES);
const validFactor = oneOf(ASSESSMENT_FACTOR_CODES);
const validDisability = oneOf(DISABILITY_CODES);
const UPN_REASONS_SCHOOL_AGE = ['UN2', 'UN3', 'UN4', 'UN5', 'UN6', 'UN7'];

/** a < b, false when either is missing. */
const before = (a: string | null, b: string | null) => a !== null && b !== null && a < b;
/** Outside [from, to] (a missing date is not outside). */
const outside = (d: string | null, from: string, to: string) => d !== null && (d < from || d > to);
const hasDuplicates = (xs: string[]) => new Set(xs).size !== xs.length;
const closedAfterAssessment = (d: CensusDetails) => d.closureReason === 'RC8' || d.closureReason === 'RC9';

const onChild = (c: CensusChild, field: string, when: boolean): Hit[] => (when ? [{ field, recordId: c.childId }] : []);
const where = <T extends Dated>(items: T[], field: string, test: (t: T) => boolean): Hit[] =>
  items.filter(test).map((t) => ({ field, recordId: t.recordId }));
/** A rule applied to each CINdetails of the child. */
const perDetail = (rule: (d: CensusDetails, c: CensusChild, cx: RuleContext) => Hit[]): ChildRule => (c, cx) =>
  c.details.flatMap((d) => rule(d, c, cx));
/** Items of a group whose start falls on or between another's start and its end (or the ReferenceDate when open). */
const overlapping = <T extends Dated>(items: T[], start: (t: T) => string, end: (t: T) => string | null, field: string, ref: string) =>
  where(items, field, (t) => items.some((o) => o !== t && start(t) >= start(o) && start(t) <= (end(o) ?? ref)));
const startsWithin = (d: string | null, from: string, to: string | null, ref: string) => d !== null && d >= from && d <= (to ?? ref);

/** The child-level rules, by DfE code (see catalogue.ts for each rule's message and README.md for the conventions). */
export const CHILD_RULES: Record<string, ChildRule> = {
  // ChildIdentifiers
  '8500': (c) => onChild(c, 'LAchildID', !c.laChildId?.trim()),
  '1570': (c) => onChild(c, 'LAchildID', (c.laChildId ?? '').length > 20),
  '1580': (c) => onChild(c, 'LAchildID', !!c.laChildId && !/^[A-Za-z0-9]+$/.test(c.laChildId)),
  '1510': (c) => {
    const letter = c.upn ? upnCheckLetter(c.upn.toUpperCase()) : null;
    return onChild(c, 'UPN', letter !== null && letter !== c.upn![0].toUpperCase());
  },
  '1530': (c) => onChild(c, 'UPN', c.upn?.length === 13 && !UPN_LA_CODES.has(c.upn.slice(1, 4))),
  '1540': (c) => onChild(c, 'UPN', c.upn?.length === 13 && !/^\d{8}$/.test(c.upn.slice(4, 12))),
  '1550': (c) => onChild(c, 'UPN', c.upn?.length === 13 && !/^[0-9A-HJ-NP-RT-Z]$/.test(c.upn[12])),
  '1560Q': (c) => onChild(c, 'FormerUPN', !!c.formerUpn && !/^[A-Za-z](\d{12}|\d{11}[A-Za-z])$/.test(c.formerUpn)),
  '4180': (c) => onChild(c, 'Sex', !oneOf(SEX_CODES)(c.sex)),
  '8520': (c, cx) => onChild(c, 'PersonBirthDate', before(cx.ref, c.birthDate)),
  '8525Q': (c) => onChild(c, 'PersonBirthDate', !c.birthDate === !c.expectedBirthDate),
  '8530Q': (c, cx) => onChild(c, 'ExpectedPersonBirthDate', outside(c.expectedBirthDate, cx.expectedBirthFrom, cx.expectedBirthTo)),
  '8535Q': (c) => onChild(c, 'PersonDeathDate', before(c.deathDate, c.birthDate)),
  '8545Q': (c, cx) => onChild(c, 'PersonDeathDate', outside(c.deathDate, cx.start, cx.ref)),
  '8590': (c) => onChild(c, 'CINdetails', c.details.length === 0),
  '8750': (c) => onChild(c, 'Sex', !c.birthDate && !!c.expectedBirthDate && c.sex !== 'U'),
  '8770Q': (c, cx) =>
    onChild(c, 'UPN', c.details.some((d) => !d.referralNfa) && !!c.birthDate && c.birthDate <= cx.schoolAgeBornBy && !c.upn
      && !UPN_REASONS_SCHOOL_AGE.includes(c.upnUnknown ?? '')),
  '8772': (c) => onChild(c, 'UPNunknown', c.upnUnknown === 'UN7' && c.details.some((d) => !d.referralNfa)),
  '8775Q': (c, cx) => {
    const birth = c.birthDate;
    if (!birth || birth >= cx.over25BornBefore) return [];
    const at25 = addYears(birth, 25);
    return onChild(c, 'PersonBirthDate', c.details.some((d) => !d.closureDate || d.closureDate > at25));
  },
  '4008': perDetail((d, c) => where(d.cinPlans, 'CINPlanStartDate', (p) => before(c.deathDate, p.startDate))),
  '4009Q': perDetail((d, c) => where(d.cinPlans, 'CINPlanEndDate', (p) => before(c.deathDate, p.endDate))),

  // ChildCharacteristics and Disabilities
  '4220': (c) => onChild(c, 'Ethnicity', !oneOf(ETHNICITY_CODES)(c.ethnicity)),
  '8540': (c) =>
    onChild(c, 'Disability', !!c.birthDate && c.details.some((d) => !d.referralNfa)
      && (c.disabilities.length === 0 || !c.disabilities.every(validDisability))),
  '8790': (c) => onChild(c, 'Disability', c.disabilities.includes('NONE') && c.disabilities.length > 1),
  '8794': (c) => onChild(c, 'Disability', hasDuplicates(c.disabilities)),

  // CINdetails
  '8555Q': perDetail((d, c) => (before(c.deathDate, d.referralDate) ? [{ field: 'CINreferralDate', recordId: d.recordId }] : [])),
  '8585Q': perDetail((d, c) => (d.closureReason === 'RC2' && !c.deathDate ? [{ field: 'ReasonForClosure', recordId: d.recordId }] : [])),
  '8569Q': perDetail((d, _c, cx) => where([d], 'ReferralNFA', () => d.referralNfa && before(d.referralDate, cx.startMinus1Wd))),
  '8600': perDetail((d, _c, cx) => where([d], 'CINreferralDate', () => !d.referralDate || d.referralDate > cx.ref)),
  '8606': perDetail((d, c) =>
    where([d], 'CINreferralDate', () =>
      [c.birthDate, c.expectedBirthDate].some((b) => b !== null && before(d.referralDate, addCalendarDays(b, -280))))),
  '8610': perDetail((d) => where([d], 'PrimaryNeedCode', () => !d.referralNfa && !d.primaryNeed)),
  '8650': perDetail((d) => where([d], 'PrimaryNeedCode', () => !!d.primaryNeed && !validNeed(d.primaryNeed))),
  '8866': perDetail((d) => where([d], 'ReferralSource', () => d.referralDate >= '2013-04-01' && !validSource(d.referralSource))),
  '8620': perDetail((d, _c, cx) => where([d], 'CINclosureDate', () => outside(d.closureDate, cx.start, cx.ref))),
  '8630': perDetail((d) => where([d], 'CINclosureDate', () => before(d.closureDate, d.referralDate))),
  '8640': perDetail((d) => where([d], 'ReasonForClosure', () => !!d.closureReason && !validReason(d.closureReason))),
  '8805': perDetail((d) => where([d], 'ReasonForClosure', () => !!d.closureDate && !d.closureReason)),
  '8810': perDetail((d) => where([d], 'CINclosureDate', () => !!d.closureReason && !d.closureDate)),
  '8815': (c) => {
    const open = c.details.filter((d) => !d.closureDate && !d.referralNfa);
    return open.length > 1 ? where(open, 'CINclosureDate', () => true) : [];
  },
  '8816': (c) =>
    where(c.details.filter((d) => !d.closureDate && !d.referralNfa), 'CINreferralDate', (d) =>
      c.details.some((o) => o.referralDate > d.referralDate)),
  '8820': (c, cx) =>
    where(c.details, 'CINreferralDate', (d) =>
      c.details.some((o) => o !== d && d.referralDate >= o.referralDate
        && (o.closureDate ? d.referralDate < o.closureDate : !o.referralNfa && d.referralDate <= cx.ref))),
  '8825Q': perDetail((d) => where([d], 'ReasonForClosure', () => closedAfterAssessment(d) && d.assessments.length === 0)),
  '8831': perDetail((d) =>
    where([d], 'ReferralNFA', () => d.referralNfa && (d.assessments.length > 0 || d.section47s.length > 0 || !!d.initialCpcDate))),
  '8832': perDetail((d) => where([d], 'ReferralNFA', () => d.referralNfa && d.cpPlans.length > 0)),
  '4000': perDetail((d) => where([d], 'ReferralNFA', () => d.referralNfa && d.cinPlans.length > 0)),
  '2990': perDetail((d) =>
    where([d], 'ReasonForClosure', () =>
      closedAfterAssessment(d) && (!!d.initialCpcDate || d.section47s.length + d.cpPlans.length + d.cinPlans.length > 0))),
  '2991Q': perDetail((d) => where([d], 'Assessments', () => d.section47s.length > 0 && d.assessments.length === 0)),
  '8565': perDetail((d) => {
    const closed = d.closureDate;
    if (!closed) return [];
    const after = (x: string | null) => before(closed, x);
    return [
      ...where([d], 'DateOfInitialCPC', () => after(d.initialCpcDate)),
      ...where(d.assessments, 'AssessmentActualStartDate', (a) => after(a.startDate)),
      ...where(d.assessments, 'AssessmentAuthorisationDate', (a) => after(a.authorisationDate)),
      ...where(d.section47s, 'S47ActualStartDate', (s) => after(s.startDate)),
      ...where(d.section47s, 'DateOfInitialCPC', (s) => after(s.icpcDate)),
      ...where(d.cpPlans, 'CPPendDate', (p) => after(p.endDate)),
      ...where(d.cinPlans, 'CINPlanStartDate', (p) => after(p.startDate)),
      ...where(d.cinPlans, 'CINPlanEndDate', (p) => after(p.endDate)),
    ];
  }),
  '8867': perDetail((d) => (d.closureDate ? where(d.assessments, 'AssessmentAuthorisationDate', (a) => !a.authorisationDate) : [])),
  '8868': perDetail((d) =>
    (d.closureDate ? where(d.section47s, 'DateOfInitialCPC', (s) => !s.icpcDate && !s.icpcNotRequired) : [])),

  // Assessments
  '1103': perDetail((d) => where(d.assessments, 'AssessmentActualStartDate', (a) => before(a.startDate, d.referralDate))),
  '8608': perDetail((d) => where(d.assessments, 'AssessmentAuthorisationDate', (a) => before(a.authorisationDate, a.startDate))),
  '8614': perDetail((d) => where(d.assessments, 'AssessmentFactors', (a) => !a.authorisationDate && a.factors.length > 0)),
  '8670Q': perDetail((d, _c, cx) =>
    where(d.assessments, 'AssessmentActualStartDate', (a) => !a.authorisationDate && before(a.startDate, cx.refMinus45Wd))),
  '8696': perDetail((d, _c, cx) => where(d.assessments, 'AssessmentAuthorisationDate', (a) => outside(a.authorisationDate, cx.start, cx.ref))),
  '8736': perDetail((d, _c, cx) =>
    where(d.assessments, 'AssessmentActualStartDate', (a) => !a.authorisationDate && outside(a.startDate, cx.start, cx.ref))),
  '8863Q': perDetail((d, _c, cx) =>
    overlapping(d.assessments, (a) => a.startDate, (a) => a.authorisationDate, 'AssessmentActualStartDate', cx.ref)),
  '8869': perDetail((d) => where(d.assessments, 'AssessmentFactors', (a) => a.factors.includes('21') && a.factors.length > 1)),
  '8873Q': perDetail((d) =>
    where([d], 'ReasonForClosure', () => d.assessments.length === 1 && d.assessments[0].factors.includes('21') && !closedAfterAssessment(d))),
  '8896': perDetail((d) => {
    const open = d.assessments.filter((a) => !a.authorisationDate);
    return open.length > 1 ? where(open, 'AssessmentAuthorisationDate', () => true) : [];
  }),
  '8897Q': perDetail((d, _c, cx) =>
    where(d.assessments, 'AssessmentFactors', (a) =>
      !!a.authorisationDate && a.authorisationDate >= cx.start && (a.factors.length === 0 || !a.factors.every(validFactor)))),
  '8898': perDetail((d) => where(d.assessments, 'AssessmentFactors', (a) => hasDuplicates(a.factors))),
  '8945Q': perDetail((d) => where(d.assessments, 'AssessmentFactors', (a) => a.factors.includes('18A'))),
  '8950Q': perDetail((d) => where(d.assessments, 'AssessmentFactors', (a) => a.factors.includes('19A'))),

  // CINplanDates (and 4003, Reviews)
  '4001': perDetail((d) =>
    (d.cpPlans.some((p) => !p.endDate) ? where(d.cinPlans, 'CINPlanEndDate', (p) => !p.endDate) : [])),
  '4003': perDetail((d, _c, cx) =>
    where(d.cpPlans, 'CPPreviewDate', (k) =>
      k.reviewDates.some((r) => r !== k.endDate && d.cinPlans.some((p) => startsWithin(r, p.startDate, p.endDate, cx.ref))))),
  '4004': (c) => {
    const open = c.details.flatMap((d) => d.cinPlans.filter((p) => !p.endDate));
    return open.length > 1 ? where(open, 'CINPlanEndDate', () => true) : [];
  },
  '4010': perDetail((d, _c, cx) => where(d.cinPlans, 'CINPlanStartDate', (p) => !p.startDate || p.startDate > cx.ref)),
  '4011': perDetail((d) => where(d.cinPlans, 'CINPlanEndDate', (p) => before(p.endDate, p.startDate))),
  '4012Q': perDetail((d) => where(d.cinPlans, 'CINPlanEndDate', (p) => p.endDate === p.startDate)),
  '4013': perDetail((d, _c, cx) => where(d.cinPlans, 'CINPlanEndDate', (p) => outside(p.endDate, cx.start, cx.ref))),
  '4014': perDetail((d, _c, cx) => overlapping(d.cinPlans, (p) => p.startDate, (p) => p.endDate, 'CINPlanStartDate', cx.ref)),
  '4015': perDetail((d) => where(d.cinPlans, 'CINPlanStartDate', (p) => before(p.startDate, d.referralDate))),
  '4016': perDetail((d, _c, cx) =>
    where(d.cinPlans, 'CINPlanStartDate', (p) => d.cpPlans.some((k) => startsWithin(p.startDate, k.startDate, k.endDate, cx.ref)))),
  '4017': perDetail((d, _c, cx) =>
    where(d.cpPlans, 'CPPstartDate', (k) => d.cinPlans.some((p) => startsWithin(k.startDate, p.startDate, p.endDate, cx.ref)))),

  // Section47
  '1104': perDetail((d) => [
    ...where([d], 'DateOfInitialCPC', () => before(d.initialCpcDate, d.referralDate)),
    ...where(d.section47s, 'DateOfInitialCPC', (s) => before(s.icpcDate, d.referralDate)),
  ]),
  '2884': perDetail((d, c) =>
    where([d], 'DateOfInitialCPC', () =>
      !!d.initialCpcDate && c.details.some((o) => o.section47s.some((s) => s.icpcDate === d.initialCpcDate)))),
  '2889': perDetail((d) => where(d.section47s, 'S47ActualStartDate', (s) => before(s.startDate, d.referralDate))),
  '8615': perDetail((d) => where(d.section47s, 'S47ActualStartDate', (s) => !!s.icpcDate && (!s.startDate || s.startDate > s.icpcDate))),
  '8675Q': perDetail((d, _c, cx) =>
    where(d.section47s, 'S47ActualStartDate', (s) => !s.icpcDate && !s.icpcNotRequired && before(s.startDate, cx.refMinus15Wd))),
  '8715': perDetail((d, _c, cx) => [
    ...where([d], 'DateOfInitialCPC', () => outside(d.initialCpcDate, cx.start, cx.ref)),
    ...where(d.section47s, 'DateOfInitialCPC', (s) => outside(s.icpcDate, cx.start, cx.ref)),
  ]),
  '8740': perDetail((d, _c, cx) =>
    where(d.section47s, 'S47ActualStartDate', (s) => !s.icpcDate && !s.icpcNotRequired && outside(s.startDate, cx.start, cx.ref))),
  '8839': perDetail((d) => {
    const open = d.section47s.filter((s) => !s.icpcDate && !s.icpcNotRequired);
    return open.length > 1 ? where(open, 'DateOfInitialCPC', () => true) : [];
  }),
  '8870Q': perDetail((d) => where(d.section47s, 'InitialCPCtarget', (s) => !!s.icpcTarget && isWeekend(s.icpcTarget))),
  '8875': perDetail((d) => [
    ...where([d], 'DateOfInitialCPC', () => !!d.initialCpcDate && isWeekend(d.initialCpcDate)),
    ...where(d.section47s, 'DateOfInitialCPC', (s) => !!s.icpcDate && isWeekend(s.icpcDate)),
  ]),
  '8890': perDetail((d, _c, cx) =>
    where(d.section47s, 'S47ActualStartDate', (s) =>
      d.section47s.some((o) => o !== s && s.startDate >= o.startDate
        && (o.icpcDate ? s.startDate <= o.icpcDate : !o.icpcNotRequired && s.startDate <= cx.ref)))),

  // ChildProtectionPlans
  '1105': perDetail((d) => where(d.cpPlans, 'CPPstartDate', (k) => before(k.startDate, d.referralDate))),
  '2885': perDetail((d, _c, cx) =>
    where(d.cpPlans, 'CPPstartDate', (k) =>
      !outside(k.startDate, cx.start, cx.ref) && !!k.startDate
      && !(d.section47s.some((s) => s.icpcDate === k.startDate) || d.initialCpcDate === k.startDate))),
  '8720': perDetail((d, _c, cx) => where(d.cpPlans, 'CPPstartDate', (k) => !k.startDate || k.startDate > cx.ref)),
  '8730': perDetail((d) => where(d.cpPlans, 'NumberOfPreviousCPP', (k) => k.numberOfPreviousCpp === null || k.numberOfPreviousCpp < 0)),
  '8840': perDetail((d) => where(d.cpPlans, 'CPPendDate', (k) => k.endDate === k.startDate)),
  '8841': perDetail((d) => where(d.cpPlans, 'CPPreviewDate', (k) => k.reviewDates.some((r) => r <= k.startDate))),
  '8905': perDetail((d) => where(d.cpPlans, 'InitialCategoryOfAbuse', (k) => !validCategory(k.initialCategory))),
  '8910': perDetail((d) => where(d.cpPlans, 'LatestCategoryOfAbuse', (k) => !validCategory(k.latestCategory))),
  '8915': perDetail((d, c) => where(d.cpPlans, 'CPPstartDate', (k) => before(c.deathDate, k.startDate))),
  '8920': perDetail((d, c) => where(d.cpPlans, 'CPPendDate', (k) => before(c.deathDate, k.endDate))),
  '8925': perDetail((d) => where(d.cpPlans, 'CPPendDate', (k) => before(k.endDate, k.startDate))),
  '8930': perDetail((d, _c, cx) => where(d.cpPlans, 'CPPendDate', (k) => outside(k.endDate, cx.start, cx.ref))),
  '8935': (c) => {
    const open = c.details.flatMap((d) => d.cpPlans.filter((k) => !k.endDate));
    return open.length > 1 ? where(open, 'CPPendDate', () => true) : [];
  },
  '8940': (c, cx) =>
    overlapping(c.details.flatMap((d) => d.cpPlans), (k) => k.startDate, (k) => k.endDate, 'CPPstartDate', cx.ref),
};

/**
 * One child's CIN census data for a collection year, as the XML carries it (cin_census_code_tables.md §1) plus the ids
 * of the Haven records each item comes from, so a validation issue can point at the record to fix. Built by
 * census.loader.ts from the database; read by the XML writer (census.xml.ts) and the DfE rules (rules/*.ts).
 * Dates are ISO `YYYY-MM-DD` strings; absent items are null.
 */
export interface CensusChild {
  childId: string;
  laChildId: string;
  upn: string | null;
  formerUpn: string | null;
  upnUnknown: string | null;
  birthDate: string | null;
  expectedBirthDate: string | null;
  /** M, F or U (<Sex> N00783). */
  sex: string | null;
  deathDate: string | null;
  ethnicity: string | null;
  /** Disability codes (N00099); ['NONE'] for none. */
  disabilities: string[];
  details: CensusDetails[];
}

/** <CINdetails>: one per episode of need, or per referral that led to no further action (ReferralNFA true). */
export interface CensusDetails {
  /** The episode (or, for an NFA referral, the referral) this comes from. */
  recordId: string;
  recordType: 'episode' | 'referral';
  referralDate: string;
  referralSource: string | null;
  primaryNeed: string | null;
  closureDate: string | null;
  closureReason: string | null;
  referralNfa: boolean;
  /** <DateOfInitialCPC> at CINdetails level (an ICPC with no section 47 in the episode). */
  initialCpcDate: string | null;
  assessments: CensusAssessment[];
  cinPlans: CensusCinPlan[];
  section47s: CensusSection47[];
  cpPlans: CensusCpPlan[];
}

export interface CensusAssessment {
  recordId: string;
  startDate: string;
  /** <AssessmentAuthorisationDate> (completion). */
  authorisationDate: string | null;
  factors: string[];
}

export interface CensusCinPlan {
  recordId: string;
  startDate: string;
  endDate: string | null;
}

export interface CensusSection47 {
  recordId: string;
  startDate: string;
  icpcTarget: string | null;
  icpcDate: string | null;
  icpcNotRequired: boolean;
}

export interface CensusCpPlan {
  recordId: string;
  startDate: string;
  endDate: string | null;
  initialCategory: string | null;
  latestCategory: string | null;
  numberOfPreviousCpp: number | null;
  reviewDates: string[];
}

/** The collection year: 1 April (year - 1) to 31 March `year` (the ReferenceDate). */
export interface CensusPeriod {
  year: number;
  start: string;
  referenceDate: string;
}

export enum IssueSeverity {
  ERROR = 'ERROR',
  QUERY = 'QUERY',
}

/** A validation issue: the DfE rule, error or query, the child, the field at fault (N-code element name), the message. */
export interface CensusIssue {
  rule: string;
  severity: IssueSeverity;
  childId: string | null;
  laChildId: string | null;
  /** The element at fault, e.g. 'CPPstartDate', and the Haven record holding it. */
  field: string;
  recordId: string | null;
  message: string;
}

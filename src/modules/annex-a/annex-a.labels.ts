import { ETHNICITY_CODES } from '../reference/codes';

/**
 * Ofsted Annex A cell values (shared/domain/annex_a_lists.md; the labels are those of the Annex A template as read by
 * liia-tools' Annex A schema and D2I's Annex A extract, lettered as Ofsted letters them).
 */

export const YES = 'a) Yes';
export const NO = 'b) No';
export const UNKNOWN = 'c) Unknown';

const SEX: Record<string, string> = { M: 'a) Male', F: 'b) Female', U: 'c) Not stated/recorded' };

/** a) WBRI … t) NOBT, in the CIN census order. */
const ETHNICITY: Record<string, string> = Object.fromEntries(ETHNICITY_CODES.map((c, i) => [c, `${String.fromCharCode(97 + i)}) ${c}`]));

/** Contact and referral source (CIN census N00152); 5D, added later, is lettered p1). */
const SOURCE: Record<string, string> = {
  '1A': 'a) 1A: Individual', '1B': 'b) 1B: Individual', '1C': 'c) 1C: Individual', '1D': 'd) 1D: Individual',
  '2A': 'e) 2A: Schools', '2B': 'f) 2B: Education services',
  '3A': 'g) 3A: Health services', '3B': 'h) 3B: Health services', '3C': 'i) 3C: Health services', '3D': 'j) 3D: Health services',
  '3E': 'k) 3E: Health services', '3F': 'l) 3F: Health services',
  '4': 'm) 4: Housing',
  '5A': 'n) 5A: LA services', '5B': 'o) 5B: LA services', '5C': 'p) 5C: LA services', '5D': 'p1) 5D: LA services',
  '6': 'q) 6: Police', '7': 'r) 7: Other legal agency', '8': 's) 8: Other', '9': 't) 9: Anonymous', '10': 'u) 10: Unknown',
};

const PRIMARY_NEED: Record<string, string> = {
  N0: 'N0 - Not stated', N1: 'N1 - Abuse or neglect', N2: "N2 - Child's disability", N3: 'N3 - Parental disability or illness',
  N4: 'N4 - Family in acute stress', N5: 'N5 - Family dysfunction', N6: 'N6 - Socially unacceptable behaviour', N7: 'N7 - Low income',
  N8: 'N8 - Absent parenting', N9: 'N9 - Cases other than children in need',
};

const CLOSURE_REASON: Record<string, string> = {
  RC1: 'RC1 - Adopted', RC2: 'RC2 - Died', RC3: 'RC3 - Child arrangements order', RC4: 'RC4 - Special guardianship order',
  RC5: 'RC5 - Transferred to services of another local authority', RC6: 'RC6 - Transferred to adult social care services',
  RC7: 'RC7 - Services ceased for any other reason, including child no longer in need',
  RC8: 'RC8 - Case closed after assessment, no further action', RC9: 'RC9 - Case closed after assessment, referred to early help',
};

const CATEGORY: Record<string, string> = {
  NEG: 'a) Neglect', PHY: 'b) Physical abuse', SAB: 'c) Sexual abuse', EMO: 'd) Emotional abuse', MUL: 'e) Multiple/not recommended',
};

/** List 6 "Case status" (a) Looked after child is not recorded in Haven). */
const CASE_STATUS: Record<string, string> = {
  CP: 'b) Child Protection plan', CIN: 'c) Child in need plan', ASSESSMENT: 'd) Open assessment', CLOSED: 'e) Closed episode',
};

/** A code's label; an unexpected code is shown as it is rather than dropped. */
const label = (table: Record<string, string>) => (code: string | null): string | null => (code == null ? null : table[code] ?? code);

export const sexLabel = label(SEX);
export const sourceLabel = label(SOURCE);
export const primaryNeedLabel = label(PRIMARY_NEED);
export const closureReasonLabel = label(CLOSURE_REASON);
export const categoryLabel = label(CATEGORY);
export const caseStatusLabel = label(CASE_STATUS);
/** No ethnicity recorded is "information not yet obtained". */
export const ethnicityLabel = (code: string | null): string => label(ETHNICITY)(code ?? 'NOBT') as string;

/** "Does the Child have a Disability": any code but NONE is yes; NONE alone is no; nothing recorded is unknown. */
export function disabilityLabel(codes: string[]): string {
  if (codes.some((c) => c !== 'NONE')) return YES;
  return codes.length ? NO : UNKNOWN;
}

export const yesNo = (v: boolean | null): string | null => (v == null ? null : v ? YES : NO);

/** Dates as Ofsted's template has them: DD/MM/YYYY. */
export const ukDate = (iso: string | null): string | null => (iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : null);

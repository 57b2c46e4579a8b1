import { englandAndWalesBankHolidays, WorkingCalendar } from '../../../../shared/clock/calendar';
import { withUpnCheckLetter } from '../../../child/child.rules';
import type { CensusChild, CensusDetails } from '../../census.model';
import { censusPeriod } from '../context';

/** The 2025-26 collection year (1 April 2025 to 31 March 2026) and the England and Wales calendar. */
export const PERIOD = censusPeriod(2026);
export const CALENDAR = new WorkingCalendar(englandAndWalesBankHolidays(2024, 2027).map((h) => h.date));

/**
 * A child whose return breaks no rule: referred in May 2025, assessed, a section 47 enquiry and initial conference,
 * a child protection plan (reviewed once), stepped down to a child in need plan, closed in February 2026.
 */
export function cleanChild(n = 1): CensusChild {
  return {
    childId: `child-${n}`,
    laChildId: `C${String(n).padStart(7, '0')}`,
    upn: withUpnCheckLetter(`201${String(n).padStart(9, '0')}`),
    formerUpn: null,
    upnUnknown: null,
    birthDate: '2015-06-01',
    expectedBirthDate: null,
    sex: 'F',
    deathDate: null,
    ethnicity: 'WBRI',
    disabilities: ['NONE'],
    details: [
      {
        recordId: `episode-${n}`,
        recordType: 'episode',
        referralDate: '2025-05-06',
        referralSource: '2A',
        primaryNeed: 'N1',
        closureDate: '2026-02-20',
        closureReason: 'RC7',
        referralNfa: false,
        initialCpcDate: null,
        assessments: [{ recordId: `assessment-${n}`, startDate: '2025-05-07', authorisationDate: '2025-06-20', factors: ['16A', '3B'] }],
        cinPlans: [{ recordId: `cin-plan-${n}`, startDate: '2025-12-01', endDate: '2026-02-10' }],
        section47s: [{ recordId: `s47-${n}`, startDate: '2025-06-23', icpcTarget: '2025-07-14', icpcDate: '2025-07-10', icpcNotRequired: false }],
        cpPlans: [
          {
            recordId: `cp-plan-${n}`, startDate: '2025-07-10', endDate: '2025-11-28', initialCategory: 'NEG', latestCategory: 'NEG',
            numberOfPreviousCpp: 0, reviewDates: ['2025-10-09'],
          },
        ],
      },
    ],
  };
}

/** A referral in the year that led to no further action (no closure, nothing else). */
export function nfaDetail(referralDate = '2025-09-01', recordId = 'referral-nfa'): CensusDetails {
  return {
    recordId, recordType: 'referral', referralDate, referralSource: '6', primaryNeed: 'N4', closureDate: null, closureReason: null,
    referralNfa: true, initialCpcDate: null, assessments: [], cinPlans: [], section47s: [], cpPlans: [],
  };
}

/** An open episode of need with nothing recorded yet. */
export function openEpisode(referralDate: string, recordId = 'episode-open'): CensusDetails {
  return { ...nfaDetail(referralDate, recordId), recordType: 'episode', primaryNeed: 'N1', referralNfa: false };
}

/** Clean children with between them nine disability codes, one child with two (the LA-wide disability queries pass). */
export function cleanPopulation(size = 10): CensusChild[] {
  const sets = [['MOB', 'HAND'], ['PC'], ['INC'], ['COMM'], ['LD'], ['HEAR'], ['VIS'], ['BEH']];
  return Array.from({ length: size }, (_, k) => ({ ...cleanChild(k + 1), disabilities: sets[k] ?? ['NONE'] }));
}

import type { EntityManager } from 'typeorm';
import { addCalendarDays } from '../shared/clock/calendar';
import { withUpnCheckLetter } from '../modules/child/child.rules';
import { censusPeriod, censusYearOf } from '../modules/cin-census/rules';
import type { CensusPeriod } from '../modules/cin-census/census.model';

/**
 * The CIN census year the demo seed is built to be clean for: the latest collection year that ended at least 140 days
 * before the seed's today, so that nothing still in progress today (the seed keeps in-progress work under 200 days old)
 * was already open at its reference date. A seed made on 26 November 2026 gives 2026, the year 1 April 2025 to
 * 31 March 2026; one made between 1 April and mid-August gives the year before the latest.
 */
export function seedCensusYear(today: string): number {
  return censusYearOf(addCalendarDays(today, -140)) - 1;
}

export function seedCensusPeriod(today: string): CensusPeriod {
  return censusPeriod(seedCensusYear(today));
}

interface Fault {
  laChildId: string;
  /** The one DfE rule the child's return breaks. */
  rule: string;
  fault: string;
  child?: { upn?: string | null; upnUnknownReason?: string | null; disabilities?: string[] };
  closureReason?: string;
  /** The factors on the child's one assessment; null: no assessment was recorded. */
  factors?: string[] | null;
}

/**
 * The deliberate data-quality faults in the seed's census year, one rule each, every one on its own child with a
 * recognisable LA child ID. Each child is otherwise an ordinary closed case: a referral in the year decided for
 * assessment, an assessment authorised on time, the episode closed (RC7) five weeks after the referral. The XML
 * stays valid against the schema: these are faults only the DfE rules find.
 */
const FAULTS: Fault[] = [
  { laChildId: 'DQ01', rule: '1530', fault: 'UPN with LA code 999, which does not exist (its check letter is right)',
    child: { upn: withUpnCheckLetter('999000000101') } },
  { laChildId: 'DQ02', rule: '8790', fault: 'disabilities recorded as NONE and autism', child: { disabilities: ['NONE', 'AUT'] } },
  { laChildId: 'DQ03', rule: '8540', fault: 'no disability recorded (not even NONE)', child: { disabilities: [] } },
  { laChildId: 'DQ04', rule: '8770Q', fault: 'a school-age child with neither a UPN nor a reason it is unknown', child: { upn: null } },
  { laChildId: 'DQ05', rule: '8772', fault: 'UPN unknown reason UN7 (referral with no further action) on a child assessed',
    child: { upn: null, upnUnknownReason: 'UN7' } },
  { laChildId: 'DQ06', rule: '8585Q', fault: 'episode closed RC2 (died) with no date of death', closureReason: 'RC2' },
  { laChildId: 'DQ07', rule: '8825Q', fault: 'episode closed RC8 (after assessment, no further action) with no assessment',
    closureReason: 'RC8', factors: null },
  { laChildId: 'DQ08', rule: '8873Q', fault: 'the only assessment found no factors (21) but the episode closed RC7, not RC8 or RC9',
    factors: ['21'] },
  { laChildId: 'DQ09', rule: '8897Q', fault: 'an assessment authorised in the year with no factors recorded', factors: [] },
  { laChildId: 'DQ10', rule: '8898', fault: 'an assessment with the same factor (16A) recorded twice', factors: ['16A', '16A'] },
];

/** What the seed's census year reports: exactly these (LA child ID, rule) pairs. */
export const CENSUS_FAULTS: readonly { laChildId: string; rule: string; fault: string }[] = FAULTS.map(({ laChildId, rule, fault }) => ({
  laChildId, rule, fault,
}));

const FIRST_NAMES = ['Ava', 'Leo', 'Maya', 'Omar', 'Isla', 'Theo', 'Zara', 'Kian', 'Esme', 'Remi'];

/**
 * Adds the fault children (run last, in the seed's transaction). Dates are working days from a referral 30 to 111 days
 * into the census year, so every record is inside it.
 */
export async function seedCensusFaults(tx: EntityManager, today: string): Promise<void> {
  const period = seedCensusPeriod(today);
  const rows = FAULTS.map((f, k) => ({
    k,
    la_child_id: f.laChildId,
    first_name: FIRST_NAMES[k % FIRST_NAMES.length],
    date_of_birth: `${2013 + (k % 5)}-0${1 + (k % 9)}-1${k % 10}`,
    sex: k % 2 ? 'M' : 'F',
    upn: f.child?.upn === undefined ? withUpnCheckLetter(`201${String(999900 + k + 1).padStart(9, '0')}`) : f.child.upn,
    upn_unknown_reason: f.child?.upnUnknownReason ?? null,
    disabilities: f.child?.disabilities ?? ['NONE'],
    closure_reason: f.closureReason ?? 'RC7',
    assessed: f.factors !== null,
    factors: f.factors ?? ['16A', '4B'],
  }));
  const q = (sql: string) => tx.query(sql);
  const worker = `md5('account-social.worker@haven.example')::uuid`;
  const manager = `md5('account-team.manager@haven.example')::uuid`;
  const screener = `md5('account-front.door@haven.example')::uuid`;
  await tx.query(
    `CREATE TEMP TABLE dq ON COMMIT DROP AS
     SELECT x.*, md5('dq-child-' || x.la_child_id)::uuid AS child_id, t0,
            ((t0 + interval '10 hours') AT TIME ZONE 'Europe/London') AS received_at
     FROM jsonb_to_recordset($1::jsonb) AS x(k int, la_child_id text, first_name text, date_of_birth date, sex text, upn text,
                                              upn_unknown_reason text, disabilities text[], closure_reason text, assessed boolean,
                                              factors text[])
     CROSS JOIN LATERAL (SELECT haven_add_working_days($2::date + 30 + 9 * x.k, 1) AS t0) d`,
    [JSON.stringify(rows), period.start],
  );
  await q(
    `INSERT INTO child (id, la_child_id, first_name, last_name, date_of_birth, sex, ethnicity, disabilities, upn, upn_unknown_reason,
                        created_by_id, updated_by_id)
     SELECT child_id, la_child_id, first_name, 'Example', date_of_birth, sex, 'WBRI', disabilities, upn, upn_unknown_reason,
            ${screener}, ${screener}
     FROM dq`,
  );
  await q(
    `INSERT INTO contact (id, child_id, received_at, source_code, summary, outcome, created_at, updated_at, created_by_id, updated_by_id)
     SELECT md5('dq-contact-' || la_child_id)::uuid, child_id, received_at, '2A', 'Email from school safeguarding lead.', 'REFERRAL',
            received_at, received_at, ${screener}, ${screener}
     FROM dq`,
  );
  await q(
    `INSERT INTO referral (id, child_id, contact_id, received_at, referral_date, source_code, primary_need_code, reason, decision_due_on,
                           decision, decision_reason, decided_at, decided_by_id, created_at, updated_at, created_by_id, updated_by_id)
     SELECT md5('dq-referral-' || la_child_id)::uuid, child_id, md5('dq-contact-' || la_child_id)::uuid, received_at, t0, '2A', 'N4',
            'School concerned about the child’s attendance and low mood.', haven_add_working_days(t0, 1), 'ASSESSMENT',
            'Child and family assessment needed to understand the needs.', received_at + interval '2 hours', ${screener},
            received_at, received_at + interval '2 hours', ${screener}, ${screener}
     FROM dq`,
  );
  await q(
    `INSERT INTO episode (id, child_id, referral_id, start_date, referral_source, primary_need_code, closure_date, closure_reason,
                          created_at, updated_at, created_by_id, updated_by_id)
     SELECT md5('dq-episode-' || la_child_id)::uuid, child_id, md5('dq-referral-' || la_child_id)::uuid, t0, '2A', 'N4',
            haven_add_working_days(t0, CASE WHEN assessed THEN 35 ELSE 10 END), closure_reason,
            received_at, received_at, ${worker}, ${manager}
     FROM dq`,
  );
  await q(
    `INSERT INTO assessment (id, child_id, episode_id, status, start_date, due_date, completed_date, authorised_date, authorised_by_id,
                             factors, risks, strengths, analysis, outcome, created_at, updated_at, created_by_id, updated_by_id)
     SELECT md5('dq-assessment-' || la_child_id)::uuid, child_id, md5('dq-episode-' || la_child_id)::uuid, 'AUTHORISED',
            haven_add_working_days(t0, 1), haven_add_working_days(t0, 45), haven_add_working_days(t0, 25),
            haven_add_working_days(t0, 27), ${manager}, factors,
            'Low mood and school absence; no safeguarding concerns found.', 'Close to her grandmother; engaged with school.',
            'Needs can be met by universal services.', 'CLOSE', received_at, received_at, ${worker}, ${manager}
     FROM dq WHERE assessed`,
  );
}

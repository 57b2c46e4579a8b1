import type { EntityManager } from 'typeorm';
import type {
  CensusAssessment, CensusChild, CensusCinPlan, CensusCpPlan, CensusDetails, CensusPeriod, CensusSection47,
} from './census.model';

type Runner = Pick<EntityManager, 'query'>;

const FIRST_ID = '00000000-0000-0000-0000-000000000000';
const DEFAULT_BATCH = 1000;

/*
 * Who and what the return holds (cin_census_code_tables.md §1), as at the ReferenceDate R for the year from P:
 * - children with an episode of need open at any time in the year, or a referral in the year that led to no further
 *   action (NFA_REFERRAL): ReferralNFA true, no closure. Restricted children are included: the return is complete,
 *   access to it is by permission.
 * - for each episode, the assessments, CIN plans, section 47s and CP plans active in the year (started in it, or still
 *   open at its start); when the episode itself started in the year, everything recorded on it, so an item dated before
 *   its referral (a recording error) reaches the rules as recorded.
 * - dates after R had not happened as at R: a closure, authorisation, ICPC, plan end or death after R is left out, and
 *   a child born after R is returned as unborn (expected date of birth, Sex U).
 * Each batch is five set-based statements (children, CINdetails, assessments, plans with reviews, section 47s).
 */

/**
 * A referral in the year that led to no further action: decided NO_FURTHER_ACTION or EARLY_HELP, no episode opened,
 * and not received while the child's episode of need was open (that is news on an open case, part of the episode:
 * as a CINdetails of its own it would overlap the episode, rules 8820 and 8816).
 */
const NFA_REFERRAL = `r.referral_date BETWEEN $1 AND $2 AND r.decision IN ('NO_FURTHER_ACTION', 'EARLY_HELP')
  AND NOT EXISTS (SELECT 1 FROM episode e WHERE e.referral_id = r.id)
  AND NOT EXISTS (SELECT 1 FROM episode e
                  WHERE e.child_id = r.child_id AND e.start_date <= r.referral_date AND (e.closure_date IS NULL OR e.closure_date >= r.referral_date))`;

// OFFSET 0 keeps each EXISTS a per-child index probe: without it PostgreSQL hashes the whole year's episodes and
// referrals again for every batch (measured 43 ms against 12 ms a batch on the council seed).
const CHILDREN_SQL = `
  SELECT c.id, c.la_child_id, c.upn, c.former_upn, c.upn_unknown_reason, c.date_of_birth, c.expected_date_of_birth, c.sex,
         c.date_of_death, c.ethnicity, c.disabilities
  FROM child c
  WHERE c.id > $3 AND ($5::uuid[] IS NULL OR c.id = ANY($5))
    AND (EXISTS (SELECT 1 FROM episode e
                 WHERE e.child_id = c.id AND e.start_date <= $2 AND (e.closure_date IS NULL OR e.closure_date >= $1) OFFSET 0)
      OR EXISTS (SELECT 1 FROM referral r WHERE r.child_id = c.id AND ${NFA_REFERRAL} OFFSET 0))
  ORDER BY c.id
  LIMIT $4`;

const DETAILS_SQL = `
  SELECT e.child_id, e.id AS record_id, 'episode' AS record_type, e.start_date AS referral_date, e.referral_source,
         e.primary_need_code AS primary_need,
         CASE WHEN e.closure_date <= $2 THEN e.closure_date END AS closure_date,
         CASE WHEN e.closure_date <= $2 THEN e.closure_reason END AS closure_reason,
         false AS referral_nfa,
         (SELECT max(k.held_on) FROM child_protection_conference k
          WHERE k.child_id = e.child_id AND k.episode_id = e.id AND k.kind = 'INITIAL' AND k.section47_id IS NULL AND k.held_on <= $2
            AND (k.held_on >= $1 OR e.start_date >= $1)) AS initial_cpc_date
  FROM episode e
  WHERE e.child_id = ANY($3) AND e.start_date <= $2 AND (e.closure_date IS NULL OR e.closure_date >= $1)
  UNION ALL
  SELECT r.child_id, r.id, 'referral', r.referral_date, r.source_code, r.primary_need_code, NULL, NULL, true, NULL
  FROM referral r
  WHERE r.child_id = ANY($3) AND ${NFA_REFERRAL}
  ORDER BY child_id, referral_date, record_id`;

const ASSESSMENTS_SQL = `
  SELECT a.episode_id, a.id AS record_id, a.start_date,
         CASE WHEN a.authorised_date <= $2 THEN a.authorised_date END AS authorisation_date,
         CASE WHEN a.authorised_date <= $2 THEN a.factors ELSE '{}' END AS factors
  FROM assessment a JOIN episode e ON e.id = a.episode_id
  WHERE a.episode_id = ANY($3) AND a.start_date <= $2
    AND (e.start_date >= $1 OR a.start_date >= $1 OR a.authorised_date IS NULL OR a.authorised_date >= $1)
  ORDER BY a.episode_id, a.start_date, a.id`;

const PLANS_SQL = `
  SELECT p.episode_id, p.id AS record_id, p.type, p.start_date,
         CASE WHEN p.end_date <= $2 THEN p.end_date END AS end_date, p.initial_category, p.latest_category,
         CASE WHEN p.type = 'CHILD_PROTECTION' THEN
           (SELECT count(*) FROM plan q WHERE q.child_id = p.child_id AND q.type = 'CHILD_PROTECTION' AND q.start_date < p.start_date)
         END AS previous_cpp,
         CASE WHEN p.type = 'CHILD_PROTECTION' THEN
           ARRAY(SELECT k.held_on::text FROM child_protection_conference k
                 WHERE k.plan_id = p.id AND k.kind = 'REVIEW' AND k.held_on <= $2
                   AND (k.held_on >= $1 OR p.start_date >= $1 OR e.start_date >= $1)
                 ORDER BY k.held_on)
         END AS review_dates
  FROM plan p JOIN episode e ON e.id = p.episode_id
  WHERE p.episode_id = ANY($3) AND p.type IN ('CHILD_IN_NEED', 'CHILD_PROTECTION') AND p.start_date <= $2
    AND (e.start_date >= $1 OR p.start_date >= $1 OR p.end_date IS NULL OR p.end_date >= $1)
  ORDER BY p.episode_id, p.start_date, p.id`;

const SECTION47_SQL = `
  SELECT s.episode_id, s.id AS record_id, s.start_date, s.icpc_target_date AS icpc_target,
         CASE WHEN s.icpc_date <= $2 THEN s.icpc_date END AS icpc_date,
         s.conference_not_required AND coalesce(s.concluded_on <= $2, true) AS icpc_not_required
  FROM section47 s JOIN episode e ON e.id = s.episode_id
  WHERE s.episode_id = ANY($3) AND s.start_date <= $2
    AND (e.start_date >= $1 OR s.start_date >= $1
         OR ((s.icpc_date IS NULL OR s.icpc_date >= $1) AND NOT (s.conference_not_required AND coalesce(s.concluded_on < $1, false))))
  ORDER BY s.episode_id, s.start_date, s.id`;

interface ChildRow {
  id: string;
  la_child_id: string;
  upn: string | null;
  former_upn: string | null;
  upn_unknown_reason: string | null;
  date_of_birth: string | null;
  expected_date_of_birth: string | null;
  sex: string | null;
  date_of_death: string | null;
  ethnicity: string | null;
  disabilities: string[];
}

interface DetailsRow {
  child_id: string;
  record_id: string;
  record_type: 'episode' | 'referral';
  referral_date: string;
  referral_source: string | null;
  primary_need: string | null;
  closure_date: string | null;
  closure_reason: string | null;
  referral_nfa: boolean;
  initial_cpc_date: string | null;
}

interface AssessmentRow { episode_id: string; record_id: string; start_date: string; authorisation_date: string | null; factors: string[] }
interface PlanRow {
  episode_id: string;
  record_id: string;
  type: 'CHILD_IN_NEED' | 'CHILD_PROTECTION';
  start_date: string;
  end_date: string | null;
  initial_category: string | null;
  latest_category: string | null;
  previous_cpp: number | null;
  review_dates: string[] | null;
}
interface Section47Row {
  episode_id: string;
  record_id: string;
  start_date: string;
  icpc_target: string | null;
  icpc_date: string | null;
  icpc_not_required: boolean;
}

function toChild(c: ChildRow, ref: string): CensusChild {
  const bornAfterRef = c.date_of_birth !== null && c.date_of_birth > ref;
  return {
    childId: c.id,
    laChildId: c.la_child_id,
    upn: c.upn,
    formerUpn: c.former_upn,
    upnUnknown: c.upn_unknown_reason,
    birthDate: bornAfterRef ? null : c.date_of_birth,
    expectedBirthDate: bornAfterRef ? (c.expected_date_of_birth ?? c.date_of_birth) : c.expected_date_of_birth,
    sex: bornAfterRef ? 'U' : c.sex,
    deathDate: c.date_of_death !== null && c.date_of_death <= ref ? c.date_of_death : null,
    ethnicity: c.ethnicity,
    disabilities: c.disabilities,
    details: [],
  };
}

/** Loads one batch of children (already chosen) with everything the return holds about them. */
async function loadBatch(db: Runner, period: CensusPeriod, rows: ChildRow[]): Promise<CensusChild[]> {
  const p = [period.start, period.referenceDate];
  const children = rows.map((r) => toChild(r, period.referenceDate));
  const byChild = new Map(children.map((c) => [c.childId, c]));
  const details: DetailsRow[] = await db.query(DETAILS_SQL, [...p, rows.map((r) => r.id)]);
  const episodes = new Map<string, CensusDetails>();
  for (const d of details) {
    const item: CensusDetails = {
      recordId: d.record_id,
      recordType: d.record_type,
      referralDate: d.referral_date,
      referralSource: d.referral_source,
      primaryNeed: d.primary_need,
      closureDate: d.closure_date,
      closureReason: d.closure_reason,
      referralNfa: d.referral_nfa,
      initialCpcDate: d.initial_cpc_date,
      assessments: [],
      cinPlans: [],
      section47s: [],
      cpPlans: [],
    };
    byChild.get(d.child_id)!.details.push(item);
    if (d.record_type === 'episode') episodes.set(d.record_id, item);
  }
  if (episodes.size === 0) return children;

  const ids = [...episodes.keys()];
  // One after another: in a transaction they share a connection, which runs one statement at a time anyway.
  const assessments: AssessmentRow[] = await db.query(ASSESSMENTS_SQL, [...p, ids]);
  const plans: PlanRow[] = await db.query(PLANS_SQL, [...p, ids]);
  const section47s: Section47Row[] = await db.query(SECTION47_SQL, [...p, ids]);
  for (const a of assessments) {
    const item: CensusAssessment = { recordId: a.record_id, startDate: a.start_date, authorisationDate: a.authorisation_date, factors: a.factors };
    episodes.get(a.episode_id)!.assessments.push(item);
  }
  for (const pl of plans) {
    const episode = episodes.get(pl.episode_id)!;
    if (pl.type === 'CHILD_IN_NEED') {
      const item: CensusCinPlan = { recordId: pl.record_id, startDate: pl.start_date, endDate: pl.end_date };
      episode.cinPlans.push(item);
    } else {
      const item: CensusCpPlan = {
        recordId: pl.record_id,
        startDate: pl.start_date,
        endDate: pl.end_date,
        initialCategory: pl.initial_category,
        latestCategory: pl.latest_category,
        numberOfPreviousCpp: pl.previous_cpp,
        reviewDates: pl.review_dates ?? [],
      };
      episode.cpPlans.push(item);
    }
  }
  for (const s of section47s) {
    const item: CensusSection47 = {
      recordId: s.record_id,
      startDate: s.start_date,
      icpcTarget: s.icpc_target,
      icpcDate: s.icpc_date,
      icpcNotRequired: s.icpc_not_required,
    };
    episodes.get(s.episode_id)!.section47s.push(item);
  }
  return children;
}

/**
 * The children of the CIN census for `period`, in batches (keyset over child id), each child with its CINdetails in
 * referral date order. `childIds` limits the return to those children (those of them that are in it).
 */
export async function* loadCensusChildren(
  db: Runner,
  period: CensusPeriod,
  opts: { childIds?: string[]; batchSize?: number } = {},
): AsyncGenerator<CensusChild[]> {
  const size = opts.batchSize ?? DEFAULT_BATCH;
  let after = FIRST_ID;
  for (;;) {
    const rows: ChildRow[] = await db.query(CHILDREN_SQL, [period.start, period.referenceDate, after, size, opts.childIds ?? null]);
    if (rows.length === 0) return;
    yield await loadBatch(db, period, rows);
    if (rows.length < size) return;
    after = rows[rows.length - 1].id;
  }
}

/** One child as the return for `period` holds them, or null when the child is not in it. */
export async function loadCensusChild(db: Runner, period: CensusPeriod, childId: string): Promise<CensusChild | null> {
  for await (const batch of loadCensusChildren(db, period, { childIds: [childId], batchSize: 1 })) return batch[0] ?? null;
  return null;
}

import {
  caseStatusLabel, categoryLabel, closureReasonLabel, disabilityLabel, ethnicityLabel, NO, primaryNeedLabel, sexLabel, sourceLabel, ukDate,
  UNKNOWN, YES, yesNo,
} from './annex-a.labels';
import { AnnexAList } from './annex-a.types';

/**
 * Ofsted Annex A lists 1–7 (shared/domain/annex_a_lists.md): each is one SQL statement over the window [$1 from, $2 to]
 * (dates, inclusive) and a mapping of its rows to Ofsted's cells. The list is as it stood at the end of `to`: a date
 * after `to` (a closure, an authorisation, a conference) is not shown. Every child is included, restricted ones too
 * (a complete return; access is by permission). Child Unique ID is the LA child ID: no names.
 *
 * - Age of Child (Years): completed years at `to` (blank for an unborn child).
 * - "… in the last 12 months": the child's records dated in the 12 months ending `to`, this row's own included.
 * - Allocated Team / Worker: the allocation open at the end of `to`, else the latest one that was open during the window.
 */
export interface AnnexAListSpec {
  columns: string[];
  sql: string;
  cells(row: Row): (string | null)[];
}

type Row = Record<string, any>;

const FROM = `$1::date`;
const TO = `$2::date`;
/** The window as instants (events recorded with a time count on their date in England). */
const START_TS = `(${FROM}::timestamp AT TIME ZONE 'Europe/London')`;
const END_TS = `((${TO} + 1)::timestamp AT TIME ZONE 'Europe/London')`;
const YEAR_BEFORE_TO = `(${TO} - interval '12 months')::date`;

const CHILD_SQL = `c.la_child_id, c.sex, c.ethnicity, c.date_of_birth, c.disabilities,
  CASE WHEN c.date_of_birth <= ${TO} THEN date_part('year', age(${TO}, c.date_of_birth))::int END AS age`;

const ALLOCATED_SQL = `LEFT JOIN LATERAL (
    SELECT t.name AS team, w.display_name AS worker
    FROM allocation a JOIN team t ON t.id = a.team_id LEFT JOIN account w ON w.id = a.worker_id
    WHERE a.child_id = c.id AND a.started_at < ${END_TS} AND (a.ended_at IS NULL OR a.ended_at >= ${START_TS})
    ORDER BY (a.ended_at IS NULL OR a.ended_at >= ${END_TS}) DESC, a.started_at DESC, a.id DESC
    LIMIT 1) al ON true`;

const CHILD_COLUMNS = ['Child Unique ID', 'Gender', 'Ethnicity', 'Date of Birth', 'Age of Child (Years)'];
const DISABILITY_COLUMN = 'Does the Child have a Disability';
const ALLOCATED_COLUMNS = ['Allocated Team', 'Allocated Worker'];

const childCells = (r: Row) => [
  r.la_child_id, sexLabel(r.sex), ethnicityLabel(r.ethnicity), ukDate(r.date_of_birth), r.age == null ? null : String(r.age),
];
const allocatedCells = (r: Row) => [r.team ?? null, r.worker ?? null];
const count = (n: number) => String(n);

export const ANNEX_A_LISTS: Record<AnnexAList, AnnexAListSpec> = {
  [AnnexAList.LIST_1_CONTACTS]: {
    columns: [...CHILD_COLUMNS, 'Date of Contact', 'Contact Source'],
    sql: `
      SELECT ${CHILD_SQL}, (ct.received_at AT TIME ZONE 'Europe/London')::date AS contact_date, ct.source_code
      FROM contact ct JOIN child c ON c.id = ct.child_id
      WHERE ct.received_at >= ${START_TS} AND ct.received_at < ${END_TS}
      ORDER BY ct.received_at, c.la_child_id, ct.id`,
    cells: (r) => [...childCells(r), ukDate(r.contact_date), sourceLabel(r.source_code)],
  },

  // Early help assessments open during the window, one row per child of the episode. The council completes those
  // without a provider.
  [AnnexAList.LIST_2_EARLY_HELP]: {
    columns: [...CHILD_COLUMNS, 'Assessment start date', 'Assessment completion date', 'Organisation completing assessment'],
    sql: `
      SELECT ${CHILD_SQL}, a.started_on, CASE WHEN a.completed_on <= ${TO} THEN a.completed_on END AS completed_on,
             coalesce(p.name, 'Local authority') AS organisation
      FROM early_help_assessment a
      JOIN early_help_child ec ON ec.episode_id = a.episode_id
      JOIN child c ON c.id = ec.child_id
      LEFT JOIN provider p ON p.id = a.completed_by_provider_id
      WHERE a.started_on <= ${TO} AND (a.completed_on IS NULL OR a.completed_on >= ${FROM})
      ORDER BY a.started_on, c.la_child_id, a.id`,
    cells: (r) => [...childCells(r), ukDate(r.started_on), ukDate(r.completed_on), r.organisation],
  },

  // Referrals received in the window, one row per referral. NFA: yes, no, or unknown while undecided at `to`.
  [AnnexAList.LIST_3_REFERRALS]: {
    columns: [
      ...CHILD_COLUMNS, 'Date of referral', 'Referral Source', 'Referral NFA?', 'Number of Referrals in Last 12 Months', ...ALLOCATED_COLUMNS,
    ],
    sql: `
      SELECT ${CHILD_SQL}, r.referral_date, r.source_code, CASE WHEN r.decided_at < ${END_TS} THEN r.decision END AS decision,
             (SELECT count(*) FROM referral r2
              WHERE r2.child_id = r.child_id AND r2.referral_date > ${YEAR_BEFORE_TO} AND r2.referral_date <= ${TO}) AS referrals_12m,
             al.team, al.worker
      FROM referral r JOIN child c ON c.id = r.child_id ${ALLOCATED_SQL}
      WHERE r.referral_date BETWEEN ${FROM} AND ${TO}
      ORDER BY r.referral_date, c.la_child_id, r.id`,
    cells: (r) => [
      ...childCells(r), ukDate(r.referral_date), sourceLabel(r.source_code),
      // NFA as the CIN census reckons it (census.loader.ts): no further action by social care, or passed to early help.
      r.decision == null ? UNKNOWN : r.decision === 'NO_FURTHER_ACTION' || r.decision === 'EARLY_HELP' ? YES : NO, count(r.referrals_12m), ...allocatedCells(r),
    ],
  },

  // Child and family assessments open during the window (not yet authorised, or authorised in it). Seen: a visit
  // where the child was seen, between the start and the authorisation. Requiring support: the authorised outcome
  // (a plan or a strategy discussion: yes; early help or closure: no).
  [AnnexAList.LIST_4_ASSESSMENTS]: {
    columns: [
      ...CHILD_COLUMNS, DISABILITY_COLUMN, 'Continuous Assessment Start Date', 'Child Seen During Continuous Assessment',
      'Continuous Assessment Date of Authorisation', "Was the child assessed as requiring LA children's social care support?",
      ...ALLOCATED_COLUMNS,
    ],
    sql: `
      SELECT ${CHILD_SQL}, a.start_date, CASE WHEN a.authorised_date <= ${TO} THEN a.authorised_date END AS authorised_date,
             CASE WHEN a.authorised_date <= ${TO} THEN a.outcome END AS outcome,
             EXISTS (SELECT 1 FROM visit v WHERE v.child_id = a.child_id AND v.seen
                       AND v.visited_on BETWEEN a.start_date AND least(coalesce(a.authorised_date, ${TO}), ${TO})) AS seen,
             al.team, al.worker
      FROM assessment a JOIN child c ON c.id = a.child_id ${ALLOCATED_SQL}
      WHERE a.start_date <= ${TO} AND (a.authorised_date IS NULL OR a.authorised_date >= ${FROM})
      ORDER BY a.start_date, c.la_child_id, a.id`,
    cells: (r) => [
      ...childCells(r), disabilityLabel(r.disabilities), ukDate(r.start_date), yesNo(r.seen), ukDate(r.authorised_date),
      r.authorised_date == null ? null : r.outcome == null ? UNKNOWN : yesNo(r.outcome === 'CIN_PLAN' || r.outcome === 'STRATEGY_DISCUSSION'),
      ...allocatedCells(r),
    ],
  },

  // Section 47 enquiries open during the window (open ones included), one row per enquiry, with the date of the strategy
  // discussion that started it and its initial conference.
  [AnnexAList.LIST_5_SECTION47]: {
    columns: [
      ...CHILD_COLUMNS, DISABILITY_COLUMN, 'Strategy discussion initiating Section 47 Enquiry Start Date',
      'Was an Initial Child Protection Conference deemed unnecessary?', 'Date of Initial Child Protection Conference',
      'Did the Initial Child Protection Conference Result in a Child Protection Plan', 'Number of Section 47 Enquiries in the last 12 months',
      'Number of ICPCs in the last 12 months', ...ALLOCATED_COLUMNS,
    ],
    sql: `
      SELECT ${CHILD_SQL}, sd.held_on AS strategy_on, (s.conference_not_required AND s.concluded_on <= ${TO}) AS not_required,
             icpc.held_on AS icpc_on, icpc.decision AS icpc_decision,
             (SELECT count(*) FROM section47 s2
              WHERE s2.child_id = s.child_id AND s2.start_date > ${YEAR_BEFORE_TO} AND s2.start_date <= ${TO}) AS s47_12m,
             (SELECT count(*) FROM child_protection_conference k
              WHERE k.child_id = s.child_id AND k.kind = 'INITIAL' AND k.held_on > ${YEAR_BEFORE_TO} AND k.held_on <= ${TO}) AS icpc_12m,
             al.team, al.worker
      FROM section47 s JOIN child c ON c.id = s.child_id JOIN strategy_discussion sd ON sd.id = s.strategy_discussion_id
      LEFT JOIN LATERAL (SELECT k.held_on, k.decision FROM child_protection_conference k
                         WHERE k.section47_id = s.id AND k.kind = 'INITIAL' AND k.held_on <= ${TO}
                         ORDER BY k.held_on LIMIT 1) icpc ON true
      ${ALLOCATED_SQL}
      WHERE s.start_date <= ${TO} AND (s.concluded_on IS NULL OR s.concluded_on >= ${FROM})
      ORDER BY s.start_date, c.la_child_id, s.id`,
    cells: (r) => [
      ...childCells(r), disabilityLabel(r.disabilities), ukDate(r.strategy_on),
      r.not_required ? YES : r.icpc_on ? NO : null, ukDate(r.icpc_on), r.icpc_on ? yesNo(r.icpc_decision === 'PLAN') : null,
      count(r.s47_12m), count(r.icpc_12m), ...allocatedCells(r),
    ],
  },

  // Episodes of need open at `to` or during the window, one row per episode. Last seen: the latest visit in it where
  // the child was seen. Status at `to`: closed, else on a CP plan, else on a CIN plan, else still being assessed.
  [AnnexAList.LIST_6_CHILDREN_IN_NEED]: {
    columns: [
      ...CHILD_COLUMNS, DISABILITY_COLUMN, 'CIN Start Date', 'Primary Need Code', 'Date Child Was Last Seen', 'CIN Closure Date',
      'Reason for Closure', 'Case Status', ...ALLOCATED_COLUMNS,
    ],
    sql: `
      SELECT ${CHILD_SQL}, e.start_date, e.primary_need_code,
             (SELECT max(v.visited_on) FROM visit v WHERE v.child_id = e.child_id AND v.seen
                AND v.visited_on BETWEEN e.start_date AND least(coalesce(e.closure_date, ${TO}), ${TO})) AS last_seen,
             CASE WHEN e.closure_date <= ${TO} THEN e.closure_date END AS closure_date,
             CASE WHEN e.closure_date <= ${TO} THEN e.closure_reason END AS closure_reason,
             CASE WHEN e.closure_date <= ${TO} THEN 'CLOSED'
                  ELSE coalesce((SELECT CASE WHEN bool_or(p.type = 'CHILD_PROTECTION') THEN 'CP' WHEN bool_or(p.type = 'CHILD_IN_NEED') THEN 'CIN' END
                                 FROM plan p WHERE p.episode_id = e.id AND p.start_date <= ${TO} AND (p.end_date IS NULL OR p.end_date > ${TO})),
                                'ASSESSMENT') END AS case_status,
             al.team, al.worker
      FROM episode e JOIN child c ON c.id = e.child_id ${ALLOCATED_SQL}
      WHERE e.start_date <= ${TO} AND (e.closure_date IS NULL OR e.closure_date >= ${FROM})
      ORDER BY e.start_date, c.la_child_id, e.id`,
    cells: (r) => [
      ...childCells(r), disabilityLabel(r.disabilities), ukDate(r.start_date), primaryNeedLabel(r.primary_need_code), ukDate(r.last_seen),
      ukDate(r.closure_date), closureReasonLabel(r.closure_reason), caseStatusLabel(r.case_status), ...allocatedCells(r),
    ],
  },

  // Child protection plans open at `to` or ended in the window, one row per plan. The last statutory visit is the
  // latest in the plan where the child was seen (seen alone on any visit that day). The latest category is the plan's
  // current one. Haven records no emergency protection orders or police protection: that column is blank. Previous
  // plans: the child's CP plans started before this one.
  [AnnexAList.LIST_7_CHILD_PROTECTION]: {
    columns: [
      ...CHILD_COLUMNS, DISABILITY_COLUMN, 'Child Protection Plan Start Date', 'Initial Category of Abuse', 'Latest Category of Abuse',
      'Date of the Last Statutory Visit', 'Was the Child Seen Alone?', 'Date of latest review conference', 'Child Protection Plan End Date',
      'Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)',
      'Number of Previous Child Protection Plans', ...ALLOCATED_COLUMNS,
    ],
    sql: `
      SELECT ${CHILD_SQL}, p.start_date, p.initial_category, coalesce(p.latest_category, p.initial_category) AS latest_category,
             lv.visited_on, lv.seen_alone,
             (SELECT max(k.held_on) FROM child_protection_conference k
              WHERE k.plan_id = p.id AND k.kind = 'REVIEW' AND k.held_on <= ${TO}) AS review_on,
             CASE WHEN p.end_date <= ${TO} THEN p.end_date END AS end_date,
             (SELECT count(*) FROM plan p2
              WHERE p2.child_id = p.child_id AND p2.type = 'CHILD_PROTECTION' AND p2.start_date < p.start_date) AS previous,
             al.team, al.worker
      FROM plan p JOIN child c ON c.id = p.child_id
      LEFT JOIN LATERAL (SELECT v.visited_on, v.seen_alone FROM visit v
                         WHERE v.child_id = p.child_id AND v.seen
                           AND v.visited_on BETWEEN p.start_date AND least(coalesce(p.end_date, ${TO}), ${TO})
                         ORDER BY v.visited_on DESC, v.seen_alone DESC LIMIT 1) lv ON true
      ${ALLOCATED_SQL}
      WHERE p.type = 'CHILD_PROTECTION' AND p.start_date <= ${TO} AND (p.end_date IS NULL OR p.end_date >= ${FROM})
      ORDER BY p.start_date, c.la_child_id, p.id`,
    cells: (r) => [
      ...childCells(r), disabilityLabel(r.disabilities), ukDate(r.start_date), categoryLabel(r.initial_category),
      categoryLabel(r.latest_category), ukDate(r.visited_on), r.visited_on ? yesNo(r.seen_alone) : null, ukDate(r.review_on),
      ukDate(r.end_date), null, count(r.previous), ...allocatedCells(r),
    ],
  },
};

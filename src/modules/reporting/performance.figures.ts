import type { Params } from '../../shared/db/sql';

/**
 * The `performance` figures, each defined ONCE as a SQL "membership": one row per record it counts, with the columns
 * (record_type, record_id, child_id, team_id, bucket, measure). A figure's value is count(*) over its membership, its
 * buckets GROUP BY bucket, its drill-down a keyset page of the same rows, so a figure cannot disagree with its list.
 *
 * Conventions:
 * - The period is [from, to] in England (timestamps are read as Europe/London dates); snapshots ("open at `to`") are
 *   taken at the end of `to`.
 * - ONE team rule (FigureQuery.teamAt, over the `spell` CTE): a record belongs to the team whose allocation held the
 *   child at the end of the figure's day: `to` for snapshots (open cases, caseloads, plans, visits, waiting), the day
 *   the event happened for figures that count events in the period (decided, authorised, held, started, closed), so
 *   consecutive periods add up and a child who has moved on stays counted where the work was done. Workers
 *   (supervision) belong to their own team.
 *   The provider narrows the early help figures only (statutory figures ignore it).
 * - One row set for every actor (membershipSql): for an actor who drills down to records (performance:records), rows
 *   of restricted children they are not named on are left out of the figure itself (and of the caseloads), so its
 *   value, its buckets and the records listed agree, and a count does not reveal an unseen child. A manager's records
 *   are exactly those their team's figure counts. Analysts count every row; their list withholds a restricted child's
 *   identifiers.
 * - Working days: `cal` numbers every day from 3 years before `from` to 400 days after `to` with k = working days on
 *   or before it, by the rule and table of haven_add_working_days (Monday-Friday less bank_holiday). Working days
 *   between a and b (a < d <= b, same day 0) = k(b) - k(a); "n working days after d" = the working day with k(d) + n
 *   (what haven_add_working_days(d, n) returns). Dates before the calendar count from its first day: every
 *   threshold used here (at most 61 working days, and visit or supervision frequencies) is far shorter than 3 years.
 * - "Within n working days" (decisions, initial conferences) means done on or before the due date, the n-th working
 *   day after the start; an assessment is within 45 working days when authorised by its own due date (45 working days
 *   after the referral that prompted it, which a re-referral into an open episode restarts). A record's measure is the
 *   working days it took, counted as the DfE duration bands count them (a < d <= b). Visits and supervision are
 *   overdue when `to` is past their due date (the same clocks as the caseload's due items and the supervision status).
 */

export type FigureName =
  | 'openCasesByStage'
  | 'openCasesByTeam'
  | 'caseload'
  | 'workersOverCap'
  | 'referralDecisions'
  | 'assessmentsCompleted'
  | 'assessmentDurations'
  | 'initialConferences'
  | 'reviewConferences'
  | 'childProtectionPlansByCategory'
  | 'childProtectionPlanDurations'
  | 'childProtectionPlansStarted'
  | 'visits'
  | 'supervision'
  | 'earlyHelpWaiting'
  | 'earlyHelpAssessments'
  | 'earlyHelpOutcomes'
  | 'stepUps'
  | 'stepDowns';

/** Shared CTEs a membership may read, in the order they must be declared. */
type SharedCte = 'cal' | 'wd' | 'cal_index' | 'spell' | 'hidden' | 'open_case' | 'caseload' | 'worker_load';

export interface FigureDef {
  name: FigureName;
  /** Counts events dated in the period (so consecutive periods add up); otherwise a snapshot at `to`. */
  additive: boolean;
  needs: SharedCte[];
  /** The buckets always reported (zero when empty), in this order; other keys follow, sorted. */
  keys: readonly string[];
  members(q: FigureQuery): string;
}

/** A non-count number summarising a figure's records (its `measure` column), overall and by the figure's buckets. */
export interface MeasureDef {
  name: 'weightedCaseload' | 'earlyHelpWaitingMedianDays' | 'earlyHelpWaitingLongestDays';
  figure: FigureName;
  aggregate: 'sum' | 'median' | 'max';
}

export interface PerformanceFilter {
  from: string;
  to: string;
  teamId: string | null;
  providerId: string | null;
  /**
   * The account that drills down to records (performance:records): restricted children it is not named on are left
   * out of every figure. Null: every row counts (analysts).
   */
  viewerId: string | null;
}

/**
 * The filter as SQL parameters (each added on first use, so a statement never carries a parameter it does not
 * read), and the fragments every membership uses.
 */
export class FigureQuery {
  private readonly params = new Map<string, string>();

  constructor(
    readonly p: Params,
    readonly filter: PerformanceFilter,
  ) {}

  private param(key: string, value: unknown, cast: string): string {
    let ref = this.params.get(key);
    if (!ref) {
      ref = `${this.p.add(value)}::${cast}`;
      this.params.set(key, ref);
    }
    return ref;
  }

  get from(): string {
    return this.param('from', this.filter.from, 'date');
  }

  get to(): string {
    return this.param('to', this.filter.to, 'date');
  }

  /** The instants the period starts and ends (midnight in England). */
  get fromStart(): string {
    return `(${this.from}::timestamp AT TIME ZONE 'Europe/London')`;
  }

  /** The end of the period's first day. */
  get fromEnd(): string {
    return `((${this.from} + 1)::timestamp AT TIME ZONE 'Europe/London')`;
  }

  get toEnd(): string {
    return `((${this.to} + 1)::timestamp AT TIME ZONE 'Europe/London')`;
  }

  get team(): string | null {
    return this.filter.teamId ? this.param('team', this.filter.teamId, 'uuid') : null;
  }

  get provider(): string | null {
    return this.filter.providerId ? this.param('provider', this.filter.providerId, 'uuid') : null;
  }

  /** `AND <col> = team` when a team is asked for. */
  teamIs(col: string): string {
    return this.team ? `AND ${col} = ${this.team}` : '';
  }

  providerIs(col: string): string {
    return this.provider ? `AND ${col} = ${this.provider}` : '';
  }

  /**
   * THE team rule: joins, as `al` (columns team_id, worker_id), the allocation that held the child at the end of
   * `day` (England), from `spell`; team_id is null when none did (or, when a team is asked for, another team did).
   */
  teamAt(childCol: string, day: string): string {
    return `LEFT JOIN spell al ON al.child_id = ${childCol} AND al.d0 <= ${day} AND ${day} < al.d1`;
  }

  /**
   * When a team is asked for, only its records: those teamAt finds a spell for (`spell` then holds only the team's;
   * testing for one rather than comparing team ids keeps the planner's row estimates sane).
   */
  teamHeld(): string {
    return this.team ? 'AND al.team_id IS NOT NULL' : '';
  }

  /** Leaves out the children the viewer may not see (restricted, not named on them), when there is a viewer. */
  visible(childCol: string): string {
    return this.filter.viewerId ? `AND NOT EXISTS (SELECT 1 FROM hidden h WHERE h.id = ${childCol})` : '';
  }

  /**
   * Joins, as `alias` (columns d, k), the `cal` day of a date (clamped to the calendar's first day; a date past its
   * end finds none), read from `cal_index` by position: an equality join to `cal` itself was planned as a nested loop
   * scanning the whole calendar for every record, most of the dashboard's time (bench/load.ts). `left` keeps the row
   * without a day; `when` is a further condition for finding one.
   */
  day(alias: string, date: string, opts: { left?: boolean; when?: string } = {}): string {
    return `${opts.left ? 'LEFT JOIN' : 'JOIN'} LATERAL (
        SELECT x.d, ci.ks[x.d - ci.d0 + 1] AS k FROM (SELECT greatest(${date}, ${this.calendarStart}) AS d) x, cal_index ci
        WHERE x.d - ci.d0 < cardinality(ci.ks) ${opts.when ? `AND ${opts.when}` : ''}) ${alias} ON true`;
  }

  /**
   * Joins, as `alias` (columns k, d), the n-th working day after the day joined as `from` (haven_add_working_days(from,
   * n)), read from `cal_index` by its number k; none when the calendar does not reach it.
   */
  due(alias: string, from: string, n: string | number, join = 'JOIN'): string {
    return `${join} LATERAL (SELECT ${from}.k + ${n} AS k, ci.wds[${from}.k + ${n}] AS d FROM cal_index ci
        WHERE ci.wds[${from}.k + ${n}] IS NOT NULL) ${alias} ON true`;
  }

  /** The calendar's first day: 3 years before `from`. */
  get calendarStart(): string {
    return `(${this.from} - 1096)`;
  }

  /** Only children the team held at the end of some day of the period (a superset of its records), when a team is asked for. */
  teamChildren(childCol: string): string {
    return this.team ? `AND ${childCol} IN (SELECT child_id FROM spell)` : '';
  }

  /** The shared CTEs (in declaration order) a set of memberships needs. */
  shared(needs: Iterable<SharedCte>): string[] {
    const wanted = new Set<SharedCte>();
    const add = (n: SharedCte) => {
      if (wanted.has(n)) return;
      wanted.add(n);
      for (const dep of SHARED_DEPS[n]) add(dep);
    };
    for (const n of needs) add(n);
    // Every membership reads the team rule, and leaves out hidden children when there is a viewer.
    wanted.add('spell');
    if (this.filter.viewerId) wanted.add('hidden');
    const order: SharedCte[] = ['cal', 'wd', 'cal_index', 'spell', 'hidden', 'open_case', 'caseload', 'worker_load'];
    return order.filter((n) => wanted.has(n)).map((n) => `${n} AS (${this.sharedSql(n)})`);
  }

  private sharedSql(n: SharedCte): string {
    const T = this.to;
    switch (n) {
      case 'cal':
        return `SELECT g.d, x.w, (count(*) FILTER (WHERE x.w) OVER (ORDER BY g.d))::int AS k
          FROM (SELECT generate_series(${this.calendarStart}, ${T} + 400, interval '1 day')::date AS d) g
          CROSS JOIN LATERAL (SELECT extract(isodow FROM g.d) < 6 AND NOT EXISTS (SELECT 1 FROM bank_holiday b WHERE b.date = g.d) AS w) x`;
      case 'wd':
        return `SELECT k, d FROM cal WHERE w`;
      case 'cal_index':
        // One row: every day's k in date order (ks[d - d0 + 1]) and the working days in order (wds[k] has number k).
        return `SELECT (SELECT min(d) FROM cal) AS d0, (SELECT array_agg(k ORDER BY d) FROM cal) AS ks,
                  (SELECT array_agg(d ORDER BY k) FROM wd) AS wds`;
      case 'spell':
        // Each allocation as the days at whose end it held the child: [d0, d1) in England dates (started_at < the end of
        // d <= ended_at), cut short where the child's next allocation starts, so a child's spells never overlap. Only
        // those that may hold the child at the end of a day of the period (and only the team's, when one is asked for).
        return `SELECT a.id, a.child_id, a.team_id, a.worker_id, (a.started_at AT TIME ZONE 'Europe/London')::date AS d0,
                  coalesce((least(a.ended_at, (SELECT min(n.started_at) FROM allocation n
                                               WHERE n.child_id = a.child_id AND (n.started_at, n.id) > (a.started_at, a.id)))
                            AT TIME ZONE 'Europe/London')::date, 'infinity') AS d1
          FROM allocation a
          WHERE a.started_at < ${this.toEnd} AND (a.ended_at IS NULL OR a.ended_at >= ${this.fromEnd}) ${this.teamIs('a.team_id')}`;
      case 'hidden':
        // Restricted children the viewer is not named on.
        return `SELECT c.id FROM child c WHERE c.restricted AND NOT EXISTS (
          SELECT 1 FROM restriction_grant g WHERE g.child_id = c.id AND g.account_id = ${this.param('viewer', this.filter.viewerId, 'uuid')})`;
      case 'open_case':
        // The child's stage at the end of `to`: the most advanced open record decides it (one row per child).
        return `SELECT DISTINCT ON (x.child_id) x.child_id, x.record_type, x.record_id, x.stage
          FROM (
            SELECT p.child_id, 'PLAN' AS record_type, p.id AS record_id,
                   CASE p.type WHEN 'CHILD_PROTECTION' THEN 'CHILD_PROTECTION' ELSE 'CHILD_IN_NEED' END AS stage,
                   CASE p.type WHEN 'CHILD_PROTECTION' THEN 1 ELSE 2 END AS rank
            FROM plan p
            WHERE p.type IN ('CHILD_PROTECTION', 'CHILD_IN_NEED') AND p.start_date <= ${T} AND (p.end_date IS NULL OR p.end_date > ${T})
              ${this.teamChildren('p.child_id')}
            UNION ALL
            SELECT a.child_id, 'ASSESSMENT', a.id, 'ASSESSMENT', 3
            FROM assessment a JOIN episode e ON e.id = a.episode_id
            WHERE a.start_date <= ${T} AND (a.authorised_date IS NULL OR a.authorised_date > ${T})
              AND (e.closure_date IS NULL OR e.closure_date > ${T}) ${this.teamChildren('a.child_id')}
            UNION ALL
            SELECT r.child_id, 'REFERRAL', r.id, 'AWAITING_DECISION', 4
            FROM referral r
            WHERE r.referral_date <= ${T} AND (r.decided_at IS NULL OR r.decided_at >= ${this.toEnd}) ${this.teamChildren('r.child_id')}
            UNION ALL
            SELECT e.child_id, 'EPISODE', e.id, 'OTHER_OPEN', 5
            FROM episode e
            WHERE e.start_date <= ${T} AND (e.closure_date IS NULL OR e.closure_date > ${T}) ${this.teamChildren('e.child_id')}
          ) x
          ORDER BY x.child_id, x.rank, x.record_id`;
      case 'caseload':
        // Allocations to a worker holding the child at the end of `to` (the team rule), weighted by its stage then.
        return `SELECT a.id, a.child_id, a.team_id, a.worker_id,
                  (CASE o.stage WHEN 'CHILD_PROTECTION' THEN s.weight_child_protection WHEN 'CHILD_IN_NEED' THEN s.weight_child_in_need
                                WHEN 'ASSESSMENT' THEN s.weight_assessment ELSE s.weight_other END)::float8 AS weight
          FROM spell a
          CROSS JOIN caseload_setting s
          LEFT JOIN open_case o ON o.child_id = a.child_id
          WHERE a.worker_id IS NOT NULL AND a.d0 <= ${T} AND ${T} < a.d1 ${this.visible('a.child_id')}`;
      case 'worker_load':
        // Each worker's caseload against their cap (newly qualified workers: the protected cap).
        return `SELECT l.worker_id, w.team_id, w.newly_qualified, count(*)::int AS cases, sum(l.weight)::float8 AS weighted,
                  max(CASE WHEN w.newly_qualified THEN s.protected_cap ELSE s.standard_cap END)::int AS cap
          FROM caseload l JOIN account w ON w.id = l.worker_id CROSS JOIN caseload_setting s
          GROUP BY l.worker_id, w.team_id, w.newly_qualified`;
    }
  }
}

const SHARED_DEPS: Record<SharedCte, SharedCte[]> = {
  cal: [],
  wd: ['cal'],
  cal_index: ['wd'],
  spell: [],
  hidden: [],
  open_case: ['spell'],
  caseload: ['spell', 'open_case'],
  worker_load: ['caseload'],
};

const ON_TIME = ['ON_TIME', 'LATE'] as const;
/** The DfE's completed-assessment duration bands (working days from start to authorisation; same day = 0). */
export const DURATION_BANDS = ['SAME_DAY', '1-10', '11-20', '21-30', '31-40', '41-45', '46-50', '51-60', '61+'] as const;

/** The DfE duration band of a number of working days. */
const durationBand = (n: string) => `CASE WHEN ${n} <= 0 THEN 'SAME_DAY' WHEN ${n} <= 10 THEN '1-10' WHEN ${n} <= 20 THEN '11-20'
  WHEN ${n} <= 30 THEN '21-30' WHEN ${n} <= 40 THEN '31-40' WHEN ${n} <= 45 THEN '41-45' WHEN ${n} <= 50 THEN '46-50'
  WHEN ${n} <= 60 THEN '51-60' ELSE '61+' END`;

/**
 * Assessments authorised in the period: on time when authorised by their own due date (45 working days after the
 * referral that prompted them: assessment.service.ts); working days from that referral (whose working-day number is
 * the due date's less 45) and from their own start (the DfE bands).
 */
const authorisedAssessments = (q: FigureQuery) => `
  SELECT a.id, a.child_id, al.team_id, ca.k - (cd.k - 45) AS from_referral, ca.k - cs.k AS from_start,
         a.authorised_date <= a.due_date AS on_time
  FROM assessment a ${q.day('cd', 'a.due_date')} ${q.day('cs', 'a.start_date')} ${q.day('ca', 'a.authorised_date')}
  ${q.teamAt('a.child_id', 'a.authorised_date')}
  WHERE a.authorised_date BETWEEN ${q.from} AND ${q.to} ${q.teamHeld()}`;

/** Child protection plans open at the end of `to`. */
const openChildProtectionPlans = (q: FigureQuery) => `
  SELECT p.id, p.child_id, al.team_id, p.start_date, p.latest_category
  FROM plan p ${q.teamAt('p.child_id', q.to)}
  WHERE p.type = 'CHILD_PROTECTION' AND p.start_date <= ${q.to} AND (p.end_date IS NULL OR p.end_date > ${q.to}) ${q.teamHeld()}`;

export const FIGURES: readonly FigureDef[] = [
  {
    name: 'openCasesByStage',
    additive: false,
    needs: ['open_case'],
    keys: ['AWAITING_DECISION', 'ASSESSMENT', 'CHILD_IN_NEED', 'CHILD_PROTECTION', 'OTHER_OPEN'],
    members: (q) => `
      SELECT o.record_type, o.record_id, o.child_id, al.team_id, o.stage AS bucket, NULL::float8 AS measure
      FROM open_case o ${q.teamAt('o.child_id', q.to)} WHERE true ${q.teamHeld()}`,
  },
  {
    name: 'openCasesByTeam',
    additive: false,
    needs: ['open_case'],
    keys: [],
    members: (q) => `
      SELECT o.record_type, o.record_id, o.child_id, al.team_id, coalesce(al.team_id::text, 'UNALLOCATED') AS bucket, NULL::float8 AS measure
      FROM open_case o ${q.teamAt('o.child_id', q.to)} WHERE true ${q.teamHeld()}`,
  },
  {
    name: 'caseload',
    additive: false,
    needs: ['caseload'],
    keys: [],
    members: () => `
      SELECT 'ALLOCATION' AS record_type, l.id AS record_id, l.child_id, l.team_id, l.worker_id::text AS bucket, l.weight AS measure
      FROM caseload l`,
  },
  {
    name: 'workersOverCap',
    additive: false,
    needs: ['worker_load'],
    keys: ['STANDARD_CAP', 'PROTECTED_CAP'],
    members: () => `
      SELECT 'ACCOUNT' AS record_type, w.worker_id AS record_id, NULL::uuid AS child_id, w.team_id,
             CASE WHEN w.newly_qualified THEN 'PROTECTED_CAP' ELSE 'STANDARD_CAP' END AS bucket, w.weighted AS measure
      FROM worker_load w WHERE w.weighted > w.cap`,
  },
  {
    name: 'referralDecisions',
    additive: true,
    needs: ['cal_index'],
    keys: ON_TIME,
    members: (q) => `
      SELECT 'REFERRAL' AS record_type, r.id AS record_id, r.child_id, al.team_id,
             CASE WHEN cd.d <= due.d THEN 'ON_TIME' ELSE 'LATE' END AS bucket, (cd.k - cr.k)::float8 AS measure
      FROM referral r ${q.day('cr', 'r.referral_date')} ${q.day('cd', `(r.decided_at AT TIME ZONE 'Europe/London')::date`)}
      ${q.due('due', 'cr', 1)} ${q.teamAt('r.child_id', 'cd.d')}
      WHERE r.decided_at >= ${q.fromStart} AND r.decided_at < ${q.toEnd} ${q.teamHeld()}`,
  },
  {
    name: 'assessmentsCompleted',
    additive: true,
    needs: ['cal_index'],
    keys: ON_TIME,
    members: (q) => `
      SELECT 'ASSESSMENT' AS record_type, x.id AS record_id, x.child_id, x.team_id,
             CASE WHEN x.on_time THEN 'ON_TIME' ELSE 'LATE' END AS bucket, x.from_referral::float8 AS measure
      FROM (${authorisedAssessments(q)}) x`,
  },
  {
    name: 'assessmentDurations',
    additive: true,
    needs: ['cal_index'],
    keys: DURATION_BANDS,
    members: (q) => `
      SELECT 'ASSESSMENT' AS record_type, x.id AS record_id, x.child_id, x.team_id, ${durationBand('x.from_start')} AS bucket,
             x.from_start::float8 AS measure
      FROM (${authorisedAssessments(q)}) x`,
  },
  {
    name: 'initialConferences',
    additive: true,
    needs: ['cal_index'],
    keys: [...ON_TIME, 'NO_STRATEGY_DISCUSSION'],
    members: (q) => `
      SELECT 'CONFERENCE' AS record_type, c.id AS record_id, c.child_id, al.team_id,
             CASE WHEN sd.held_on IS NULL THEN 'NO_STRATEGY_DISCUSSION' WHEN c.held_on <= due.d THEN 'ON_TIME' ELSE 'LATE' END AS bucket,
             CASE WHEN sd.held_on IS NOT NULL THEN (ch.k - cs.k)::float8 END AS measure
      FROM child_protection_conference c
      LEFT JOIN section47 s ON s.id = c.section47_id
      LEFT JOIN strategy_discussion sd ON sd.id = s.strategy_discussion_id
      ${q.day('ch', 'c.held_on')}
      ${q.day('cs', 'sd.held_on', { left: true, when: 'sd.held_on IS NOT NULL' })} ${q.due('due', 'cs', 15, 'LEFT JOIN')}
      ${q.teamAt('c.child_id', 'c.held_on')}
      WHERE c.kind = 'INITIAL' AND c.held_on BETWEEN ${q.from} AND ${q.to} ${q.teamHeld()}`,
  },
  {
    name: 'reviewConferences',
    additive: true,
    needs: [],
    keys: [...ON_TIME, 'NO_DUE_DATE'],
    members: (q) => `
      SELECT 'CONFERENCE' AS record_type, c.id AS record_id, c.child_id, al.team_id,
             CASE WHEN c.due_by IS NULL THEN 'NO_DUE_DATE' WHEN c.held_on <= c.due_by THEN 'ON_TIME' ELSE 'LATE' END AS bucket,
             (c.held_on - c.due_by)::float8 AS measure
      FROM child_protection_conference c ${q.teamAt('c.child_id', 'c.held_on')}
      WHERE c.kind = 'REVIEW' AND c.held_on BETWEEN ${q.from} AND ${q.to} ${q.teamHeld()}`,
  },
  {
    name: 'childProtectionPlansByCategory',
    additive: false,
    needs: [],
    keys: ['NEG', 'PHY', 'EMO', 'SAB', 'MUL', 'NOT_RECORDED'],
    members: (q) => `
      SELECT 'PLAN' AS record_type, x.id AS record_id, x.child_id, x.team_id, coalesce(x.latest_category, 'NOT_RECORDED') AS bucket,
             (${q.to} - x.start_date)::float8 AS measure
      FROM (${openChildProtectionPlans(q)}) x`,
  },
  {
    name: 'childProtectionPlanDurations',
    additive: false,
    needs: [],
    keys: ['UP_TO_2_YEARS', 'OVER_2_YEARS'],
    members: (q) => `
      SELECT 'PLAN' AS record_type, x.id AS record_id, x.child_id, x.team_id,
             CASE WHEN x.start_date < (${q.to} - interval '2 years')::date THEN 'OVER_2_YEARS' ELSE 'UP_TO_2_YEARS' END AS bucket,
             (${q.to} - x.start_date)::float8 AS measure
      FROM (${openChildProtectionPlans(q)}) x`,
  },
  {
    name: 'childProtectionPlansStarted',
    additive: true,
    needs: [],
    keys: ['FIRST', 'REPEAT_WITHIN_2_YEARS', 'REPEAT_AFTER_2_YEARS'],
    // A repeat plan: the child had a child protection plan before; within 2 years when it started no more than 2 years
    // after the previous plan ended.
    members: (q) => `
      SELECT 'PLAN' AS record_type, p.id AS record_id, p.child_id, al.team_id,
             CASE WHEN prev.ended IS NULL THEN 'FIRST'
                  WHEN p.start_date <= (prev.ended + interval '2 years')::date THEN 'REPEAT_WITHIN_2_YEARS'
                  ELSE 'REPEAT_AFTER_2_YEARS' END AS bucket,
             (p.start_date - prev.ended)::float8 AS measure
      FROM plan p
      LEFT JOIN LATERAL (SELECT coalesce(pp.end_date, pp.start_date) AS ended FROM plan pp
                         WHERE pp.child_id = p.child_id AND pp.type = 'CHILD_PROTECTION' AND (pp.start_date, pp.id) < (p.start_date, p.id)
                         ORDER BY pp.start_date DESC, pp.id DESC LIMIT 1) prev ON true
      ${q.teamAt('p.child_id', 'p.start_date')}
      WHERE p.type = 'CHILD_PROTECTION' AND p.start_date BETWEEN ${q.from} AND ${q.to} ${q.teamHeld()}`,
  },
  {
    name: 'visits',
    additive: false,
    needs: ['cal_index'],
    keys: ['ON_TIME', 'OVERDUE'],
    // Children on a plan at `to` (their most protective plan, as the caseload's VISIT item): the next visit is due
    // the plan type's frequency after the last visit the child was seen (or the plan's start).
    members: (q) => `
      SELECT 'PLAN' AS record_type, v.plan_id AS record_id, v.child_id, v.team_id,
             CASE WHEN ${q.to} > due.d THEN 'OVERDUE' ELSE 'ON_TIME' END AS bucket, (ct.k - cl.k)::float8 AS measure
      FROM (
        SELECT DISTINCT ON (p.child_id) p.child_id, p.id AS plan_id, al.team_id, st.visit_every_working_days AS every,
               coalesce((SELECT max(v.visited_on) FROM visit v
                         WHERE v.child_id = p.child_id AND v.seen AND v.visited_on >= p.start_date AND v.visited_on <= ${q.to}),
                        p.start_date) AS last
        FROM plan p JOIN plan_type_setting st ON st.plan_type = p.type ${q.teamAt('p.child_id', q.to)}
        WHERE p.start_date <= ${q.to} AND (p.end_date IS NULL OR p.end_date > ${q.to}) ${q.teamHeld()}
        ORDER BY p.child_id, CASE p.type WHEN 'CHILD_PROTECTION' THEN 0 WHEN 'CHILD_IN_NEED' THEN 1 ELSE 2 END, p.id
      ) v
      ${q.day('cl', 'v.last')} ${q.day('ct', q.to)} ${q.due('due', 'cl', 'v.every')}`,
  },
  {
    name: 'supervision',
    additive: false,
    needs: ['cal_index'],
    keys: ['ON_TIME', 'OVERDUE'],
    // Social workers (enabled, created by `to`): the next supervision is due their frequency after the last one (or
    // after the account was created), as on their supervision clock.
    members: (q) => `
      SELECT 'ACCOUNT' AS record_type, a.id AS record_id, NULL::uuid AS child_id, a.team_id,
             CASE WHEN ${q.to} > due.d THEN 'OVERDUE' ELSE 'ON_TIME' END AS bucket, (ct.k - cl.k)::float8 AS measure
      FROM account a
      CROSS JOIN LATERAL (SELECT coalesce((SELECT max(s.held_on) FROM supervision s WHERE s.supervisee_id = a.id AND s.held_on <= ${q.to}),
                                          (a.created_at AT TIME ZONE 'Europe/London')::date) AS last) l
      ${q.day('cl', 'l.last')} ${q.day('ct', q.to)} ${q.due('due', 'cl', 'a.supervision_every_working_days')}
      WHERE NOT a.disabled AND a.created_at < ${q.toEnd} ${q.teamIs('a.team_id')}
        AND EXISTS (SELECT 1 FROM account_role r WHERE r.account_id = a.id AND r.role_code = 'SOCIAL_WORKER')`,
  },
  {
    name: 'earlyHelpWaiting',
    additive: false,
    needs: [],
    keys: [],
    // Families waiting at `to` (requested, work not started, not closed), by the provider their referral was offered
    // to and not yet decided at `to`; the measure is the calendar days waited.
    members: (q) => `
      SELECT 'EARLY_HELP_EPISODE' AS record_type, e.id AS record_id, e.primary_child_id AS child_id, al.team_id,
             coalesce(r.provider_id::text, 'NOT_COMMISSIONED') AS bucket, (${q.to} - e.requested_on)::float8 AS measure
      FROM early_help_episode e
      LEFT JOIN LATERAL (SELECT r.provider_id FROM early_help_referral r
                         WHERE r.episode_id = e.id AND r.offered_at < ${q.toEnd} AND (r.decided_at IS NULL OR r.decided_at >= ${q.toEnd})
                           AND (r.closed_on IS NULL OR r.closed_on > ${q.to})
                         ORDER BY r.offered_at DESC, r.id LIMIT 1) r ON true
      ${q.teamAt('e.primary_child_id', q.to)}
      WHERE e.requested_on <= ${q.to} AND (e.work_started_on IS NULL OR e.work_started_on > ${q.to})
        AND (e.closed_on IS NULL OR e.closed_on > ${q.to}) ${q.teamHeld()} ${q.providerIs('r.provider_id')}`,
  },
  {
    name: 'earlyHelpAssessments',
    additive: true,
    needs: [],
    keys: ['REASON_RECORDED', 'NO_REASON'],
    members: (q) => `
      SELECT 'EARLY_HELP_ASSESSMENT' AS record_type, a.id AS record_id, e.primary_child_id AS child_id, al.team_id,
             CASE WHEN btrim(a.reason) <> '' THEN 'REASON_RECORDED' ELSE 'NO_REASON' END AS bucket, NULL::float8 AS measure
      FROM early_help_assessment a JOIN early_help_episode e ON e.id = a.episode_id ${q.teamAt('e.primary_child_id', 'a.started_on')}
      WHERE a.started_on BETWEEN ${q.from} AND ${q.to} ${q.teamHeld()} ${q.providerIs('e.provider_id')}`,
  },
  {
    name: 'earlyHelpOutcomes',
    additive: true,
    needs: [],
    keys: ['NEEDS_MET', 'STEPPED_UP', 'CONSENT_WITHDRAWN', 'MOVED_AWAY', 'NO_FURTHER_ACTION', 'NOT_RECORDED'],
    members: (q) => `
      SELECT 'EARLY_HELP_EPISODE' AS record_type, e.id AS record_id, e.primary_child_id AS child_id, al.team_id,
             coalesce(e.outcome, 'NOT_RECORDED') AS bucket, (e.closed_on - e.requested_on)::float8 AS measure
      FROM early_help_episode e ${q.teamAt('e.primary_child_id', 'e.closed_on')}
      WHERE e.closed_on BETWEEN ${q.from} AND ${q.to} ${q.teamHeld()} ${q.providerIs('e.provider_id')}`,
  },
  {
    name: 'stepUps',
    additive: true,
    needs: [],
    keys: ['AWAITING_DECISION', 'NO_FURTHER_ACTION', 'EARLY_HELP', 'ASSESSMENT', 'STRATEGY_DISCUSSION'],
    // Referrals from early help (source 5D) made by a step-up from an early help episode, by their decision.
    members: (q) => `
      SELECT 'REFERRAL' AS record_type, r.id AS record_id, r.child_id, al.team_id, coalesce(r.decision, 'AWAITING_DECISION') AS bucket,
             NULL::float8 AS measure
      FROM referral r JOIN early_help_episode e ON e.id = r.early_help_episode_id ${q.teamAt('r.child_id', 'r.referral_date')}
      WHERE r.source_code = '5D' AND r.referral_date BETWEEN ${q.from} AND ${q.to} ${q.teamHeld()} ${q.providerIs('e.provider_id')}`,
  },
  {
    name: 'stepDowns',
    additive: true,
    needs: [],
    keys: ['REQUESTED', 'OFFERED', 'IN_WORK', 'CLOSED'],
    // Episodes of need closed RC9 (to early help) with the early help episode stepped down from them, by where that
    // early help episode is now.
    members: (q) => `
      SELECT 'EPISODE' AS record_type, ep.id AS record_id, ep.child_id, al.team_id, h.status AS bucket, NULL::float8 AS measure
      FROM episode ep
      JOIN LATERAL (SELECT h.status, h.provider_id FROM early_help_episode h WHERE h.stepped_down_from_episode_id = ep.id
                    ORDER BY h.requested_at DESC, h.id LIMIT 1) h ON true
      ${q.teamAt('ep.child_id', 'ep.closure_date')}
      WHERE ep.closure_reason = 'RC9' AND ep.closure_date BETWEEN ${q.from} AND ${q.to} ${q.teamHeld()} ${q.providerIs('h.provider_id')}`,
  },
];

export const MEASURES: readonly MeasureDef[] = [
  { name: 'weightedCaseload', figure: 'caseload', aggregate: 'sum' },
  { name: 'earlyHelpWaitingMedianDays', figure: 'earlyHelpWaiting', aggregate: 'median' },
  { name: 'earlyHelpWaitingLongestDays', figure: 'earlyHelpWaiting', aggregate: 'max' },
];

/** A figure's rows as the request's actor reads them: its membership less the children the viewer may not see. */
export function membershipSql(q: FigureQuery, def: FigureDef): string {
  const visible = q.visible('m.child_id');
  return visible ? `SELECT m.* FROM (${def.members(q)}) m WHERE true ${visible}` : def.members(q);
}

export const figureDef = (name: FigureName): FigureDef => {
  const def = FIGURES.find((f) => f.name === name);
  if (!def) throw new Error(`unknown figure ${name}`);
  return def;
};

/**
 * One statement for every figure's value and buckets (and the measures, and each worker's caseload): GROUPING SETS
 * give each membership's per-bucket counts and its total. Rows: (figure, bucket, total_row, n, sum, median, longest),
 * then one '_worker' row per worker (bucket = worker id, n = cases, sum = weighted, cap, newly_qualified, team_id).
 */
export function summarySql(q: FigureQuery): string {
  const ctes = [...q.shared(FIGURES.flatMap((f) => f.needs).concat('worker_load')), ...FIGURES.map((f) => `m_${f.name} AS (${membershipSql(q, f)})`)];
  const measured = new Map<FigureName, Set<MeasureDef['aggregate']>>();
  for (const m of MEASURES) measured.set(m.figure, new Set([...(measured.get(m.figure) ?? []), m.aggregate]));
  const selects = FIGURES.map((f) => {
    const aggs = measured.get(f.name) ?? new Set();
    return `SELECT '${f.name}'::text AS figure, bucket, GROUPING(bucket) = 1 AS total_row, count(*)::int AS n,
        ${aggs.has('sum') ? 'sum(measure)' : 'NULL::float8'} AS sum,
        ${aggs.has('median') ? 'percentile_cont(0.5) WITHIN GROUP (ORDER BY measure)' : 'NULL::float8'} AS median,
        ${aggs.has('max') ? 'max(measure)' : 'NULL::float8'} AS longest,
        NULL::int AS cap, NULL::boolean AS newly_qualified, NULL::uuid AS team_id
      FROM m_${f.name} GROUP BY GROUPING SETS ((bucket), ())`;
  });
  selects.push(`SELECT '_worker', worker_id::text, false, cases, weighted, NULL, NULL, cap, newly_qualified, team_id FROM worker_load`);
  return `WITH ${ctes.join(',\n')}\n${selects.join('\nUNION ALL\n')}`;
}

import { FIGURES, MEASURES } from '../src/modules/reporting/performance.figures';

/**
 * The team dashboard for bench/dashboard.ts and bench/load.ts: the GraphQL query, the independent single-statement
 * SQL computing the same numbers, and how both answers are reduced to figure -> bucket -> number for comparing.
 * (To bench an older checkout, copy bench/ into it whole.)
 */
export const DASHBOARD = `query Dashboard($input: PerformanceInput!) { performance(input: $input) { teamId
  ${FIGURES.map((f) => `${f.name} { value buckets { key value } }`).join('\n  ')}
  ${MEASURES.map((m) => `${m.name} { value buckets { key value } }`).join('\n  ')}
  workerCaseloads { workerId cases weighted cap overCap } } }`;

/**
 * The same numbers in one statement: $1 from, $2 to, $3 the team, $4 the manager. Rows (figure, bucket, n); a
 * measure's overall value has bucket '*'; '_cap' rows give each worker's cap. The team's records: the children it held
 * at the end of `to` (snapshots) or of the event's day (`sp`: d0 <= day < d1), less the restricted children the manager
 * is not named on.
 */
export const BASELINE = `
  WITH lim AS (SELECT ($1::date::timestamp AT TIME ZONE 'Europe/London') AS t0, (($2::date + 1)::timestamp AT TIME ZONE 'Europe/London') AS t1,
                      $1::date - 1096 AS lo),
  idx AS MATERIALIZED (
    SELECT d, w, (count(*) FILTER (WHERE w) OVER (ORDER BY d))::int AS k
    FROM (SELECT g::date AS d, extract(isodow FROM g) < 6 AND g::date NOT IN (SELECT date FROM bank_holiday) AS w
          FROM generate_series($1::date - 1096, $2::date + 400, interval '1 day') g) x
  ),
  wdk AS MATERIALIZED (SELECT k, d FROM idx WHERE w),
  hid AS MATERIALIZED (SELECT id FROM child WHERE restricted
                        AND id NOT IN (SELECT child_id FROM restriction_grant WHERE account_id = $4 AND child_id IS NOT NULL)),
  sp AS MATERIALIZED (SELECT child_id, (started_at AT TIME ZONE 'Europe/London')::date AS d0,
                             coalesce((ended_at AT TIME ZONE 'Europe/London')::date, 'infinity') AS d1
                      FROM allocation WHERE team_id = $3 AND child_id NOT IN (SELECT id FROM hid)),
  cur AS MATERIALIZED (SELECT DISTINCT child_id FROM sp WHERE d0 <= $2 AND $2 < d1),
  held AS MATERIALIZED (SELECT a.child_id, a.worker_id FROM allocation a, lim
                        WHERE a.team_id = $3 AND a.worker_id IS NOT NULL AND a.started_at < lim.t1 AND (a.ended_at IS NULL OR a.ended_at >= lim.t1)
                          AND a.child_id NOT IN (SELECT id FROM hid)),
  stage AS MATERIALIZED (
    SELECT c.child_id, CASE
      WHEN EXISTS (SELECT 1 FROM plan p WHERE p.child_id = c.child_id AND p.type = 'CHILD_PROTECTION' AND p.start_date <= $2 AND (p.end_date IS NULL OR p.end_date > $2)) THEN 'CHILD_PROTECTION'
      WHEN EXISTS (SELECT 1 FROM plan p WHERE p.child_id = c.child_id AND p.type = 'CHILD_IN_NEED' AND p.start_date <= $2 AND (p.end_date IS NULL OR p.end_date > $2)) THEN 'CHILD_IN_NEED'
      WHEN EXISTS (SELECT 1 FROM assessment a JOIN episode e ON e.id = a.episode_id WHERE a.child_id = c.child_id AND a.start_date <= $2
                     AND (a.authorised_date IS NULL OR a.authorised_date > $2) AND (e.closure_date IS NULL OR e.closure_date > $2)) THEN 'ASSESSMENT'
      WHEN EXISTS (SELECT 1 FROM referral r, lim WHERE r.child_id = c.child_id AND r.referral_date <= $2 AND (r.decided_at IS NULL OR r.decided_at >= lim.t1)) THEN 'AWAITING_DECISION'
      WHEN EXISTS (SELECT 1 FROM episode e WHERE e.child_id = c.child_id AND e.start_date <= $2 AND (e.closure_date IS NULL OR e.closure_date > $2)) THEN 'OTHER_OPEN' END AS stage
    FROM (SELECT child_id FROM cur UNION SELECT child_id FROM held) c
  ),
  workers AS MATERIALIZED (
    SELECT h.worker_id, w.newly_qualified AS nq, count(*)::int AS cases,
           sum(CASE s.stage WHEN 'CHILD_PROTECTION' THEN cs.weight_child_protection WHEN 'CHILD_IN_NEED' THEN cs.weight_child_in_need
                            WHEN 'ASSESSMENT' THEN cs.weight_assessment ELSE cs.weight_other END)::float8 AS weighted,
           max(CASE WHEN w.newly_qualified THEN cs.protected_cap ELSE cs.standard_cap END) AS cap
    FROM held h JOIN stage s USING (child_id) JOIN account w ON w.id = h.worker_id CROSS JOIN caseload_setting cs
    GROUP BY h.worker_id, w.newly_qualified
  ),
  auth AS MATERIALIZED (
    SELECT a.authorised_date <= a.due_date AS on_time, ia.k - ist.k AS fs
    FROM sp JOIN assessment a ON a.child_id = sp.child_id AND sp.d0 <= a.authorised_date AND a.authorised_date < sp.d1
    CROSS JOIN lim JOIN idx ist ON ist.d = greatest(a.start_date, lim.lo) JOIN idx ia ON ia.d = a.authorised_date
    WHERE a.authorised_date BETWEEN $1 AND $2
  ),
  cp AS MATERIALIZED (
    SELECT p.start_date, p.latest_category FROM plan p JOIN cur USING (child_id)
    WHERE p.type = 'CHILD_PROTECTION' AND p.start_date <= $2 AND (p.end_date IS NULL OR p.end_date > $2)
  ),
  waiting AS MATERIALIZED (
    SELECT coalesce((SELECT r.provider_id::text FROM early_help_referral r
                     WHERE r.episode_id = e.id AND r.offered_at < lim.t1 AND (r.decided_at IS NULL OR r.decided_at >= lim.t1)
                       AND (r.closed_on IS NULL OR r.closed_on > $2) ORDER BY r.offered_at DESC, r.id LIMIT 1), 'NOT_COMMISSIONED') AS b,
           ($2::date - e.requested_on)::float8 AS days
    FROM early_help_episode e JOIN cur ON cur.child_id = e.primary_child_id CROSS JOIN lim
    WHERE e.requested_on <= $2 AND (e.work_started_on IS NULL OR e.work_started_on > $2) AND (e.closed_on IS NULL OR e.closed_on > $2)
  )
  SELECT 'openCasesByStage' AS f, stage AS b, count(*)::float8 AS n FROM stage JOIN cur USING (child_id) WHERE stage IS NOT NULL GROUP BY stage
  UNION ALL SELECT 'openCasesByTeam', $3::text, count(*) FROM stage JOIN cur USING (child_id) WHERE stage IS NOT NULL HAVING count(*) > 0
  UNION ALL SELECT 'caseload', worker_id::text, cases FROM workers
  UNION ALL SELECT 'weightedCaseload', worker_id::text, weighted FROM workers
  UNION ALL SELECT 'weightedCaseload', '*', coalesce(sum(weighted), 0) FROM workers
  UNION ALL SELECT '_cap', worker_id::text, cap FROM workers
  UNION ALL SELECT 'workersOverCap', CASE WHEN nq THEN 'PROTECTED_CAP' ELSE 'STANDARD_CAP' END, count(*) FROM workers WHERE weighted > cap GROUP BY 2
  UNION ALL
  SELECT 'referralDecisions', CASE WHEN (r.decided_at AT TIME ZONE 'Europe/London')::date <= due.d THEN 'ON_TIME' ELSE 'LATE' END, count(*)
  FROM sp JOIN referral r ON r.child_id = sp.child_id CROSS JOIN lim
  JOIN idx ir ON ir.d = greatest(r.referral_date, lim.lo) JOIN wdk due ON due.k = ir.k + 1
  WHERE r.decided_at >= lim.t0 AND r.decided_at < lim.t1
    AND sp.d0 <= (r.decided_at AT TIME ZONE 'Europe/London')::date AND (r.decided_at AT TIME ZONE 'Europe/London')::date < sp.d1
  GROUP BY 2
  UNION ALL SELECT 'assessmentsCompleted', CASE WHEN on_time THEN 'ON_TIME' ELSE 'LATE' END, count(*) FROM auth GROUP BY 2
  UNION ALL
  SELECT 'assessmentDurations', CASE WHEN fs <= 0 THEN 'SAME_DAY' WHEN fs <= 10 THEN '1-10' WHEN fs <= 20 THEN '11-20' WHEN fs <= 30 THEN '21-30'
    WHEN fs <= 40 THEN '31-40' WHEN fs <= 45 THEN '41-45' WHEN fs <= 50 THEN '46-50' WHEN fs <= 60 THEN '51-60' ELSE '61+' END, count(*)
  FROM auth GROUP BY 2
  UNION ALL
  SELECT 'initialConferences', CASE WHEN sd.held_on IS NULL THEN 'NO_STRATEGY_DISCUSSION' WHEN c.held_on <= due.d THEN 'ON_TIME' ELSE 'LATE' END, count(*)
  FROM sp JOIN child_protection_conference c ON c.child_id = sp.child_id AND sp.d0 <= c.held_on AND c.held_on < sp.d1 CROSS JOIN lim
  LEFT JOIN section47 s ON s.id = c.section47_id LEFT JOIN strategy_discussion sd ON sd.id = s.strategy_discussion_id
  LEFT JOIN idx isd ON isd.d = greatest(sd.held_on, lim.lo) LEFT JOIN wdk due ON due.k = isd.k + 15
  WHERE c.kind = 'INITIAL' AND c.held_on BETWEEN $1 AND $2 GROUP BY 2
  UNION ALL
  SELECT 'reviewConferences', CASE WHEN c.due_by IS NULL THEN 'NO_DUE_DATE' WHEN c.held_on <= c.due_by THEN 'ON_TIME' ELSE 'LATE' END, count(*)
  FROM sp JOIN child_protection_conference c ON c.child_id = sp.child_id AND sp.d0 <= c.held_on AND c.held_on < sp.d1
  WHERE c.kind = 'REVIEW' AND c.held_on BETWEEN $1 AND $2 GROUP BY 2
  UNION ALL SELECT 'childProtectionPlansByCategory', coalesce(latest_category, 'NOT_RECORDED'), count(*) FROM cp GROUP BY 2
  UNION ALL
  SELECT 'childProtectionPlanDurations', CASE WHEN start_date < ($2::date - interval '2 years')::date THEN 'OVER_2_YEARS' ELSE 'UP_TO_2_YEARS' END, count(*)
  FROM cp GROUP BY 2
  UNION ALL
  SELECT 'childProtectionPlansStarted', CASE WHEN prev IS NULL THEN 'FIRST' WHEN start_date <= (prev + interval '2 years')::date THEN 'REPEAT_WITHIN_2_YEARS'
    ELSE 'REPEAT_AFTER_2_YEARS' END, count(*)
  FROM (SELECT p.child_id, p.start_date, lag(coalesce(p.end_date, p.start_date)) OVER (PARTITION BY p.child_id ORDER BY p.start_date, p.id) AS prev
        FROM plan p WHERE p.type = 'CHILD_PROTECTION' AND p.child_id IN (SELECT child_id FROM sp)) p
  JOIN sp ON sp.child_id = p.child_id AND sp.d0 <= p.start_date AND p.start_date < sp.d1
  WHERE start_date BETWEEN $1 AND $2 GROUP BY 2
  UNION ALL
  SELECT 'visits', CASE WHEN $2::date > due.d THEN 'OVERDUE' ELSE 'ON_TIME' END, count(*)
  FROM (SELECT DISTINCT ON (p.child_id) p.child_id, st.visit_every_working_days AS every,
               greatest(p.start_date, (SELECT max(v.visited_on) FROM visit v WHERE v.child_id = p.child_id AND v.seen AND v.visited_on <= $2)) AS last
        FROM plan p JOIN cur USING (child_id) JOIN plan_type_setting st ON st.plan_type = p.type
        WHERE p.start_date <= $2 AND (p.end_date IS NULL OR p.end_date > $2)
        ORDER BY p.child_id, CASE p.type WHEN 'CHILD_PROTECTION' THEN 0 WHEN 'CHILD_IN_NEED' THEN 1 ELSE 2 END, p.id) v
  CROSS JOIN lim JOIN idx il ON il.d = greatest(v.last, lim.lo) JOIN wdk due ON due.k = il.k + v.every GROUP BY 2
  UNION ALL
  SELECT 'supervision', CASE WHEN $2::date > due.d THEN 'OVERDUE' ELSE 'ON_TIME' END, count(*)
  FROM account a JOIN account_role r ON r.account_id = a.id AND r.role_code = 'SOCIAL_WORKER' CROSS JOIN lim
  JOIN idx il ON il.d = greatest(coalesce((SELECT max(s.held_on) FROM supervision s WHERE s.supervisee_id = a.id AND s.held_on <= $2),
                                          (a.created_at AT TIME ZONE 'Europe/London')::date), lim.lo)
  JOIN wdk due ON due.k = il.k + a.supervision_every_working_days
  WHERE a.team_id = $3 AND NOT a.disabled AND a.created_at < lim.t1 GROUP BY 2
  UNION ALL SELECT 'earlyHelpWaiting', b, count(*) FROM waiting GROUP BY b
  UNION ALL SELECT 'earlyHelpWaitingMedianDays', coalesce(b, '*'), percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FROM waiting GROUP BY GROUPING SETS ((b), ())
  UNION ALL SELECT 'earlyHelpWaitingLongestDays', coalesce(b, '*'), max(days) FROM waiting GROUP BY GROUPING SETS ((b), ())
  UNION ALL
  SELECT 'earlyHelpAssessments', CASE WHEN btrim(a.reason) <> '' THEN 'REASON_RECORDED' ELSE 'NO_REASON' END, count(*)
  FROM sp JOIN early_help_episode e ON e.primary_child_id = sp.child_id
  JOIN early_help_assessment a ON a.episode_id = e.id AND sp.d0 <= a.started_on AND a.started_on < sp.d1
  WHERE a.started_on BETWEEN $1 AND $2 GROUP BY 2
  UNION ALL
  SELECT 'earlyHelpOutcomes', coalesce(e.outcome, 'NOT_RECORDED'), count(*)
  FROM sp JOIN early_help_episode e ON e.primary_child_id = sp.child_id AND sp.d0 <= e.closed_on AND e.closed_on < sp.d1
  WHERE e.closed_on BETWEEN $1 AND $2 GROUP BY 2
  UNION ALL
  SELECT 'stepUps', coalesce(r.decision, 'AWAITING_DECISION'), count(*)
  FROM sp JOIN referral r ON r.child_id = sp.child_id AND sp.d0 <= r.referral_date AND r.referral_date < sp.d1
  WHERE r.source_code = '5D' AND r.early_help_episode_id IS NOT NULL AND r.referral_date BETWEEN $1 AND $2 GROUP BY 2
  UNION ALL
  SELECT 'stepDowns', (SELECT h.status FROM early_help_episode h WHERE h.stepped_down_from_episode_id = ep.id ORDER BY h.requested_at DESC, h.id LIMIT 1), count(*)
  FROM sp JOIN episode ep ON ep.child_id = sp.child_id AND sp.d0 <= ep.closure_date AND ep.closure_date < sp.d1
  WHERE ep.closure_reason = 'RC9' AND ep.closure_date BETWEEN $1 AND $2
    AND EXISTS (SELECT 1 FROM early_help_episode h WHERE h.stepped_down_from_episode_id = ep.id)
  GROUP BY 2`;

type Buckets = { key: string; value: number | null }[];
export type Numbers = Record<string, Record<string, number>>;

/** The API's answer as figure -> bucket -> number (empty buckets dropped; a measure's value under '*'). */
export function fromApi(p: Record<string, any>): Numbers {
  const out: Numbers = {};
  const add = (f: string, b: string, n: number | null) => {
    if (n === null || n === 0) return;
    (out[f] ??= {})[b] = n;
  };
  for (const f of FIGURES) {
    const buckets = p[f.name].buckets as Buckets;
    const sum = buckets.reduce((s, b) => s + (b.value ?? 0), 0);
    if (sum !== p[f.name].value) throw new Error(`${f.name}: buckets add up to ${sum}, value ${p[f.name].value}`);
    for (const b of buckets) add(f.name, b.key, b.value);
  }
  for (const m of MEASURES) {
    add(m.name, '*', p[m.name].value);
    for (const b of p[m.name].buckets as Buckets) add(m.name, b.key, b.value);
  }
  for (const w of p.workerCaseloads as { workerId: string; cases: number; weighted: number; cap: number; overCap: boolean }[]) {
    if (w.overCap !== w.weighted > w.cap) throw new Error(`worker ${w.workerId}: overCap disagrees with weighted and cap`);
    add('_cap', w.workerId, w.cap);
    if (p.caseload.buckets.find((b: { key: string }) => b.key === w.workerId)?.value !== w.cases) throw new Error(`worker ${w.workerId}: cases`);
  }
  return out;
}

export function fromSql(rows: { f: string; b: string; n: number }[]): Numbers {
  const out: Numbers = {};
  for (const r of rows) if (r.n !== null && Number(r.n) !== 0) (out[r.f] ??= {})[r.b] = Number(r.n);
  return out;
}

/** Stable JSON (sorted keys) for comparing. */
export const canonical = (n: Numbers) =>
  JSON.stringify(Object.keys(n).sort().map((f) => [f, Object.keys(n[f]).sort().map((b) => [b, Math.round(n[f][b] * 1000) / 1000])]));


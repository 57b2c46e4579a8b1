import { createDataSource } from '../src/shared/db/data-source';
import { seedDemoCouncil } from '../src/seed/demo-council';
import { isValidNhsNumber, isValidUpn } from '../src/modules/child/child.rules';
import { RoleCode } from '../src/modules/identity/roles';
import { SHAREABLE_FIELDS, SUBMISSIONS } from '../src/modules/early-help/agreement';
import { databaseName, onServer, testDatabaseUrl } from './setup/database';

/** Its own database, named after the run's test database so parallel runs with different HAVEN_TEST_DB never collide. */
const NAME = `${databaseName(testDatabaseUrl())}_seed`;
const url = testDatabaseUrl().replace(/\/[^/]+$/, `/${NAME}`);

describe('the demo council seed (small)', () => {
  const db = createDataSource({ url });
  beforeAll(async () => {
    await onServer(testDatabaseUrl(), [`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`, `CREATE DATABASE ${NAME}`]);
    await db.initialize();
    await db.runMigrations({ transaction: 'each' });
  });
  afterAll(async () => {
    await db.destroy();
    await onServer(testDatabaseUrl(), [`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`]);
  });

  it('builds a council with a demo account for every role, valid identifiers and referrals in every state', async () => {
    const report = await seedDemoCouncil(db, 'small');
    // A demo account for every role, and a second team manager who manages an early help hub.
    expect(report.demoAccounts.map((a) => a.role).sort()).toEqual([...Object.values(RoleCode), RoleCode.TEAM_MANAGER].sort());
    expect(report.demoAccounts.map((a) => a.email)).toContain('early.help.manager@haven.example');
    const rows = (t: string) => report.counts.find((c) => c.table === t)?.rows ?? 0;
    expect(rows('child')).toBeGreaterThanOrEqual(200);
    expect(rows('family')).toBeGreaterThanOrEqual(100);
    expect(rows('referral')).toBeGreaterThanOrEqual(400);
    expect(rows('provider')).toBeGreaterThanOrEqual(2);

    const ids: { nhs_number: string | null; upn: string | null }[] = await db.query(`SELECT nhs_number, upn FROM child`);
    expect(ids.filter((c) => c.nhs_number && !isValidNhsNumber(c.nhs_number))).toEqual([]);
    expect(ids.filter((c) => c.upn && !isValidUpn(c.upn))).toEqual([]);

    const [states] = await db.query(`
      SELECT count(*) FILTER (WHERE decision IS NOT NULL AND (decided_at AT TIME ZONE 'Europe/London')::date <= decision_due_on)::int AS on_time,
             count(*) FILTER (WHERE decision IS NOT NULL AND (decided_at AT TIME ZONE 'Europe/London')::date > decision_due_on)::int AS late,
             count(*) FILTER (WHERE decision IS NULL AND decision_due_on >= (now() AT TIME ZONE 'Europe/London')::date)::int AS awaiting,
             count(*) FILTER (WHERE decision IS NULL AND decision_due_on < (now() AT TIME ZONE 'Europe/London')::date)::int AS overdue
      FROM referral`);
    for (const state of ['on_time', 'late', 'awaiting', 'overdue']) expect(states[state]).toBeGreaterThan(0);

    const [{ doubled }] = await db.query(
      `SELECT count(*)::int AS doubled FROM (SELECT child_id FROM allocation WHERE ended_at IS NULL GROUP BY child_id HAVING count(*) > 1) x`,
    );
    expect(doubled).toBe(0);
    const [{ held }] = await db.query(
      `SELECT count(*)::int AS held FROM allocation a JOIN account w ON w.id = a.worker_id
       WHERE a.ended_at IS NULL AND w.email = 'social.worker@haven.example'`,
    );
    expect(held).toBeGreaterThanOrEqual(20);
  });

  it('adds statutory casework in every state, on the statutory clocks', async () => {
    const today = `(now() AT TIME ZONE 'Europe/London')::date`;
    const one = async (sql: string) => (await db.query(sql))[0];

    const [tables] = await db.query(`
      SELECT (SELECT count(*) FROM episode)::int AS episode, (SELECT count(*) FROM assessment)::int AS assessment,
             (SELECT count(*) FROM strategy_discussion)::int AS strategy, (SELECT count(*) FROM section47)::int AS s47,
             (SELECT count(*) FROM child_protection_conference)::int AS conference, (SELECT count(*) FROM plan)::int AS plan,
             (SELECT count(*) FROM plan_review)::int AS review, (SELECT count(*) FROM visit)::int AS visit,
             (SELECT count(*) FROM supervision)::int AS supervision, (SELECT count(*) FROM supervision_case)::int AS supervision_case,
             (SELECT count(*) FROM management_decision)::int AS decision`);
    for (const [table, rows] of Object.entries(tables)) expect([table, rows]).not.toEqual([table, 0]);
    expect(tables.visit).toBeGreaterThan(10 * tables.plan);

    // Episodes: one per referral decided for assessment or strategy discussion (or inside an open one); never overlapping;
    // open only for children allocated to a social-work team; closure with a reason, RC8/RC9 only without plans or enquiries.
    const episodes = await one(`
      SELECT (SELECT count(*) FROM referral r WHERE r.decision IN ('ASSESSMENT', 'STRATEGY_DISCUSSION')
                AND NOT EXISTS (SELECT 1 FROM episode e WHERE e.referral_id = r.id)
                AND NOT EXISTS (SELECT 1 FROM episode e WHERE e.child_id = r.child_id AND e.closure_date IS NULL
                                  AND e.start_date < r.referral_date))::int AS missing,
             (SELECT count(*) FROM episode a JOIN episode b ON a.child_id = b.child_id AND a.id < b.id
                AND daterange(a.start_date, a.closure_date, '[]') && daterange(b.start_date, b.closure_date, '[]'))::int AS overlapping,
             (SELECT count(*) FROM episode e WHERE e.closure_date IS NULL AND NOT EXISTS (
                SELECT 1 FROM allocation a JOIN team t ON t.id = a.team_id WHERE a.child_id = e.child_id AND a.ended_at IS NULL
                  AND t.kind IN ('ASSESSMENT', 'CHILD_IN_NEED', 'CHILD_PROTECTION')))::int AS open_unallocated,
             (SELECT count(*) FROM episode e WHERE e.closure_reason IN ('RC8', 'RC9') AND (
                EXISTS (SELECT 1 FROM plan p WHERE p.episode_id = e.id) OR EXISTS (SELECT 1 FROM section47 s WHERE s.episode_id = e.id)))::int AS rc89_with_plan,
             count(*) FILTER (WHERE closure_date IS NULL)::int AS open,
             count(*) FILTER (WHERE closure_reason IN ('RC7', 'RC8', 'RC9'))::int AS usual_closures,
             count(*) FILTER (WHERE closure_reason IS NOT NULL)::int AS closed
      FROM episode`);
    expect(episodes).toMatchObject({ missing: 0, overlapping: 0, open_unallocated: 0, rc89_with_plan: 0 });
    expect(episodes.open).toBeGreaterThan(0);
    expect(episodes.usual_closures).toBeGreaterThan(episodes.closed / 2);

    // Assessments: due 45 working days from the episode start by the SQL clock; every state present.
    const assessments = await one(`
      SELECT count(*) FILTER (WHERE a.due_date <> haven_add_working_days(e.start_date, 45))::int AS wrong_due,
             count(*) FILTER (WHERE a.due_date - e.start_date < 61)::int AS too_soon,
             count(*) FILTER (WHERE a.status = 'AUTHORISED' AND a.completed_date <= a.due_date AND a.authorised_by_id IS NOT NULL)::int AS on_time,
             count(*) FILTER (WHERE a.completed_date > a.due_date AND a.late_reason IS NOT NULL)::int AS late,
             count(*) FILTER (WHERE a.completed_date > a.due_date AND a.late_reason IS NULL)::int AS late_unexplained,
             count(*) FILTER (WHERE a.status = 'IN_PROGRESS' AND a.due_date >= ${today})::int AS due_soon,
             count(*) FILTER (WHERE a.status = 'IN_PROGRESS' AND a.due_date < ${today})::int AS overdue,
             count(*) FILTER (WHERE '21' = ANY(a.factors) AND cardinality(a.factors) > 1)::int AS bad_21,
             count(*) FILTER (WHERE a.factors = '{21}')::int AS no_factors
      FROM assessment a JOIN episode e ON e.id = a.episode_id`);
    expect(assessments).toMatchObject({ wrong_due: 0, too_soon: 0, late_unexplained: 0, bad_21: 0 });
    for (const state of ['on_time', 'late', 'due_soon', 'overdue', 'no_factors']) expect([state, assessments[state]]).not.toEqual([state, 0]);
    expect(assessments.on_time).toBeGreaterThan(assessments.late);

    // Section 47 enquiries: ICPC target 15 working days after the strategy discussion; every state present.
    const s47 = await one(`
      SELECT count(*) FILTER (WHERE s.icpc_target_date <> haven_add_working_days(d.held_on, 15))::int AS wrong_target,
             count(*) FILTER (WHERE s.icpc_date <= s.icpc_target_date)::int AS on_time,
             count(*) FILTER (WHERE s.icpc_date > s.icpc_target_date)::int AS late,
             count(*) FILTER (WHERE s.conference_not_required AND s.not_required_reason IS NOT NULL AND s.concluded_on IS NOT NULL)::int AS not_required,
             count(*) FILTER (WHERE s.status = 'OPEN' AND s.icpc_target_date < ${today})::int AS overdue,
             count(*) FILTER (WHERE s.status = 'OPEN' AND s.icpc_target_date >= ${today})::int AS due_soon,
             count(*) FILTER (WHERE jsonb_array_length(d.participants) < 2 OR NOT d.participants @> '[{"agency":"Police"}]')::int AS thin
      FROM section47 s JOIN strategy_discussion d ON d.id = s.strategy_discussion_id`);
    expect(s47).toMatchObject({ wrong_target: 0, thin: 0 });
    for (const state of ['on_time', 'late', 'not_required', 'overdue', 'due_soon']) expect([state, s47[state]]).not.toEqual([state, 0]);

    // Plans: CP plans start at the initial conference that decided them and are reviewed at 3 then 6 months;
    // CIN plans never overlap CP plans; every state present; text always there.
    const plans = await one(`
      SELECT count(*) FILTER (WHERE p.status = 'ACTIVE' AND p.next_review_due >= ${today})::int AS reviewed_on_time,
             count(*) FILTER (WHERE p.status = 'ACTIVE' AND p.next_review_due < ${today})::int AS review_overdue,
             count(*) FILTER (WHERE p.status = 'ENDED' AND p.end_date IS NOT NULL AND p.end_reason IS NOT NULL)::int AS ended,
             count(*) FILTER (WHERE coalesce(p.end_date, ${today}) - p.start_date > 730)::int AS over_two_years,
             count(*) FILTER (WHERE p.type = 'CHILD_IN_NEED')::int AS cin, count(*) FILTER (WHERE p.type = 'CHILD_PROTECTION')::int AS cp,
             count(*) FILTER (WHERE btrim(p.contingency) = '' OR btrim(p.family_summary) = '')::int AS no_text,
             count(*) FILTER (WHERE p.type = 'CHILD_PROTECTION' AND NOT EXISTS (
               SELECT 1 FROM child_protection_conference k WHERE k.plan_id = p.id AND k.kind = 'INITIAL' AND k.decision = 'PLAN'
                 AND k.held_on = p.start_date))::int AS cp_without_icpc,
             count(*) FILTER (WHERE p.type = 'CHILD_PROTECTION' AND p.status = 'ACTIVE' AND p.next_review_due <> (
               SELECT (k.held_on + CASE k.kind WHEN 'INITIAL' THEN interval '3 months' ELSE interval '6 months' END)::date
               FROM child_protection_conference k WHERE k.plan_id = p.id ORDER BY k.held_on DESC LIMIT 1))::int AS wrong_cp_review,
             count(*) FILTER (WHERE (SELECT count(*) FROM plan_outcome o WHERE o.plan_id = p.id) NOT BETWEEN 1 AND 3
                                 OR (SELECT count(*) FROM plan_action a WHERE a.plan_id = p.id) NOT BETWEEN 1 AND 3)::int AS bad_parts,
             count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM plan_revision r WHERE r.plan_id = p.id AND r.version = 1
                                                AND r.content ? 'contingency'))::int AS no_revision,
             (SELECT count(*) FROM plan a JOIN plan b ON a.child_id = b.child_id AND a.type = 'CHILD_IN_NEED' AND b.type = 'CHILD_PROTECTION'
                AND daterange(a.start_date, a.end_date, '[]') && daterange(b.start_date, b.end_date, '[]'))::int AS cin_cp_overlap,
             (SELECT count(*) FROM plan a JOIN plan b ON a.child_id = b.child_id AND a.type = 'CHILD_PROTECTION'
                AND b.type = 'CHILD_PROTECTION' AND b.start_date > a.end_date AND b.start_date - a.end_date <= 730)::int AS repeat_cp,
             (SELECT count(*) FROM plan_review r JOIN plan p2 ON p2.id = r.plan_id WHERE r.held_on > r.due_by + 30)::int AS odd_review
      FROM plan p`);
    expect(plans).toMatchObject({ no_text: 0, cp_without_icpc: 0, wrong_cp_review: 0, bad_parts: 0, no_revision: 0, cin_cp_overlap: 0,
      odd_review: 0 });
    for (const state of ['reviewed_on_time', 'review_overdue', 'ended', 'over_two_years', 'cin', 'cp', 'repeat_cp']) {
      expect([state, plans[state]]).not.toEqual([state, 0]);
    }

    // Visits: seen, seen alone and not seen; children on time and overdue by the plan type's frequency (case_due_item).
    const visits = await one(`
      SELECT (SELECT count(*) FILTER (WHERE seen AND seen_alone) FROM visit)::int AS seen_alone,
             (SELECT count(*) FILTER (WHERE seen AND NOT seen_alone) FROM visit)::int AS seen,
             (SELECT count(*) FILTER (WHERE NOT seen) FROM visit)::int AS not_seen,
             (SELECT count(*) FROM visit v JOIN plan p ON p.id = v.plan_id
                WHERE v.visited_on < p.start_date OR v.visited_on > coalesce(p.end_date, ${today}))::int AS outside_plan,
             (SELECT count(*) FROM case_due_item WHERE kind = 'VISIT' AND due_on < ${today})::int AS overdue,
             (SELECT count(*) FROM case_due_item WHERE kind = 'VISIT' AND due_on >= ${today})::int AS on_time`);
    expect(visits.outside_plan).toBe(0);
    for (const state of ['seen_alone', 'seen', 'not_seen', 'overdue', 'on_time']) expect([state, visits[state]]).not.toEqual([state, 0]);
    expect(visits.on_time).toBeGreaterThan(visits.overdue);

    // Supervision: every social worker, by their team manager, about their own children; some overdue; NQSWs every 10 WD.
    const supervision = await one(`
      WITH sw AS (SELECT a.id, a.team_id, a.newly_qualified, a.supervision_every_working_days AS every,
                         (SELECT max(s.held_on) FROM supervision s WHERE s.supervisee_id = a.id) AS last
                  FROM account a JOIN account_role r ON r.account_id = a.id AND r.role_code = 'SOCIAL_WORKER')
      SELECT count(*) FILTER (WHERE last IS NULL)::int AS never,
             count(*) FILTER (WHERE haven_add_working_days(last, every) < ${today})::int AS overdue,
             count(*) FILTER (WHERE haven_add_working_days(last, every) >= ${today})::int AS on_time,
             count(*) FILTER (WHERE newly_qualified)::int AS nq, count(*) FILTER (WHERE newly_qualified <> (every = 10))::int AS wrong_every,
             (SELECT count(*) FROM supervision s JOIN account w ON w.id = s.supervisee_id JOIN account m ON m.id = s.supervisor_id
                JOIN account_role mr ON mr.account_id = m.id
                WHERE mr.role_code <> 'TEAM_MANAGER' OR m.team_id <> w.team_id)::int AS wrong_supervisor,
             (SELECT count(*) FROM supervision s WHERE s.held_on < ${today} - 200 OR s.held_on > ${today})::int AS out_of_range,
             (SELECT count(*) FROM supervision s WHERE (SELECT count(*) FROM supervision_case c WHERE c.supervision_id = s.id) > 5)::int AS crowded,
             (SELECT count(*) FROM supervision_case c JOIN supervision s ON s.id = c.supervision_id WHERE NOT EXISTS (
                SELECT 1 FROM allocation a WHERE a.child_id = c.child_id AND a.worker_id = s.supervisee_id AND a.ended_at IS NULL))::int AS not_theirs
      FROM sw`);
    expect(supervision).toMatchObject({ never: 0, wrong_every: 0, wrong_supervisor: 0, out_of_range: 0, crowded: 0, not_theirs: 0 });
    for (const state of ['overdue', 'on_time', 'nq']) expect([state, supervision[state]]).not.toEqual([state, 0]);

    // Nothing recorded in the future.
    expect(await one(`SELECT count(*)::int AS n FROM child_event WHERE occurred_at > now()`)).toEqual({ n: 0 });

    // The demo social worker's caseload shows every state, and one child has a long history (the chronology benchmark).
    const demo = await one(`
      WITH kids AS (SELECT a.child_id FROM allocation a JOIN account w ON w.id = a.worker_id
                    WHERE w.email = 'social.worker@haven.example' AND a.ended_at IS NULL)
      SELECT (SELECT count(*) FROM assessment x JOIN kids USING (child_id) WHERE x.status = 'IN_PROGRESS' AND x.due_date < ${today})::int AS assessment_overdue,
             (SELECT count(*) FROM assessment x JOIN kids USING (child_id) WHERE x.status = 'IN_PROGRESS' AND x.due_date >= ${today})::int AS assessment_due_soon,
             (SELECT count(*) FROM section47 x JOIN kids USING (child_id) WHERE x.status = 'OPEN' AND x.icpc_date IS NULL)::int AS s47_open,
             (SELECT count(*) FROM plan x JOIN kids USING (child_id) WHERE x.status = 'ACTIVE' AND x.type = 'CHILD_IN_NEED')::int AS cin,
             (SELECT count(*) FROM plan x JOIN kids USING (child_id) WHERE x.status = 'ACTIVE' AND x.type = 'CHILD_PROTECTION')::int AS cp,
             (SELECT count(*) FROM plan x JOIN kids USING (child_id) WHERE x.status = 'ACTIVE' AND x.next_review_due < ${today})::int AS review_overdue,
             (SELECT count(*) FROM case_due_item x JOIN kids USING (child_id) WHERE x.kind = 'VISIT' AND x.due_on < ${today})::int AS visit_overdue,
             (SELECT haven_add_working_days(max(s.held_on), 20) < ${today} FROM supervision s JOIN account w ON w.id = s.supervisee_id
               WHERE w.email = 'social.worker@haven.example') AS supervision_overdue,
             (SELECT max(n) FROM (SELECT count(*) AS n FROM child_event x JOIN kids USING (child_id) GROUP BY child_id) e)::int AS most_events`);
    for (const state of ['assessment_overdue', 'assessment_due_soon', 's47_open', 'cin', 'cp', 'review_overdue', 'visit_overdue']) {
      expect([state, demo[state]]).not.toEqual([state, 0]);
    }
    expect(demo.supervision_overdue).toBe(true);
    expect(demo.most_events).toBeGreaterThanOrEqual(60);
  });

  it('adds early help at every stage: providers with contracts and agreements, waiting, escalated, in work, stepped up and down, closed', async () => {
    const today = `(now() AT TIME ZONE 'Europe/London')::date`;
    const one = async (sql: string) => (await db.query(sql))[0];

    // Providers: a contract in force each, the agreements (Harbour without the NHS number and UPN), a system account each.
    const providers: { name: string; capacity: number; visible: string[]; submissions: string[]; systems: number }[] = await db.query(`
      SELECT p.name, c.capacity, d.visible_fields AS visible, d.submissions,
             (SELECT count(*) FROM account a JOIN account_role r ON r.account_id = a.id
              WHERE a.provider_id = p.id AND a.system AND r.role_code = 'PROVIDER_PRACTITIONER')::int AS systems
      FROM provider p
      JOIN provider_contract c ON c.provider_id = p.id AND ${today} BETWEEN c.starts_on AND c.ends_on
      JOIN data_sharing_agreement d ON d.provider_id = p.id AND d.starts_on <= ${today} AND (d.ends_on IS NULL OR d.ends_on >= ${today})
      ORDER BY p.name`);
    expect(providers.map((p) => [p.name, p.systems])).toEqual([['Brightpath Family Support CIC', 1], ['Harbour Early Help Partnership', 1]]);
    expect(providers.every((p) => p.capacity > 0)).toBe(true);
    const [brightpath, harbour] = providers;
    expect([...brightpath.visible].sort()).toEqual([...SHAREABLE_FIELDS].sort());
    expect([...harbour.visible].sort()).toEqual(SHAREABLE_FIELDS.filter((f) => f !== 'Child.nhsNumber' && f !== 'Child.upn').sort());
    for (const p of providers) expect([...p.submissions].sort()).toEqual([...SUBMISSIONS].sort());

    // Every status and outcome; assessments, meetings, family plans with reviews.
    const stages: { stage: string; n: number }[] = await db.query(`
      SELECT coalesce(outcome, status) AS stage, count(*)::int AS n FROM early_help_episode GROUP BY 1`);
    const byStage = Object.fromEntries(stages.map((x) => [x.stage, x.n]));
    for (const stage of ['REQUESTED', 'OFFERED', 'IN_WORK', 'NEEDS_MET', 'STEPPED_UP', 'CONSENT_WITHDRAWN', 'MOVED_AWAY', 'NO_FURTHER_ACTION']) {
      expect([stage, byStage[stage] ?? 0]).not.toEqual([stage, 0]);
    }
    const work = await one(`
      SELECT (SELECT count(*) FROM early_help_episode)::int AS episodes,
             (SELECT count(*) FROM early_help_assessment)::int AS assessments,
             (SELECT count(*) FROM early_help_assessment WHERE btrim(reason) = '')::int AS no_reason,
             (SELECT count(*) FROM early_help_assessment WHERE completed_on IS NULL)::int AS assessing,
             (SELECT count(*) FROM team_around_family_meeting)::int AS meetings,
             (SELECT count(*) FROM plan WHERE type = 'EARLY_HELP' AND early_help_episode_id IS NOT NULL AND status = 'ACTIVE')::int AS active_plans,
             (SELECT count(*) FROM plan_review r JOIN plan p ON p.id = r.plan_id WHERE p.type = 'EARLY_HELP')::int AS reviews,
             (SELECT count(*) FROM plan WHERE type = 'EARLY_HELP' AND (early_help_episode_id IS NULL OR episode_id IS NOT NULL))::int AS unlinked_plans,
             (SELECT count(*) FROM early_help_episode e WHERE e.status = 'IN_WORK' AND (e.lead_practitioner_id IS NULL OR e.work_started_on IS NULL
                OR e.provider_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM early_help_referral r WHERE r.episode_id = e.id AND r.status = 'ACCEPTED'
                                                             AND r.provider_id = e.provider_id)))::int AS bad_in_work,
             (SELECT count(*) FROM early_help_episode e WHERE e.status = 'CLOSED' AND (e.outcome IS NULL OR e.closed_on IS NULL
                OR jsonb_array_length(e.closure_progress) <> cardinality(e.needs)
                OR (SELECT array_agg(x ->> 'need' ORDER BY x ->> 'need') FROM jsonb_array_elements(e.closure_progress) x)
                   <> (SELECT array_agg(n ORDER BY n) FROM unnest(e.needs) n)))::int AS bad_closure,
             (SELECT count(*) FROM early_help_episode e WHERE EXISTS (SELECT 1 FROM early_help_referral r WHERE r.episode_id = e.id)
                AND (SELECT count(DISTINCT kind) FROM early_help_consent k WHERE k.episode_id = e.id) < 2)::int AS commissioned_without_consent`);
    expect(work).toMatchObject({ no_reason: 0, unlinked_plans: 0, bad_in_work: 0, bad_closure: 0, commissioned_without_consent: 0 });
    expect(work.episodes).toBeGreaterThanOrEqual(30);
    for (const k of ['assessments', 'assessing', 'meetings', 'active_plans', 'reviews']) expect([k, work[k]]).not.toEqual([k, 0]);

    // The waiting list: long waits past the configured threshold, escalations (contact, referral, safeguarding concern)
    // after the request, no consent to share, returned by a provider's decline, offered to each provider.
    const waiting = await one(`
      WITH w AS (SELECT e.* FROM early_help_episode e WHERE e.status IN ('REQUESTED', 'OFFERED'))
      SELECT (SELECT count(*) FROM w, early_help_setting s WHERE ${today} - w.requested_on > s.retriage_after_days)::int AS long_wait,
             (SELECT count(*) FROM w WHERE EXISTS (SELECT 1 FROM early_help_child c JOIN contact k ON k.child_id = c.child_id
                WHERE c.episode_id = w.id AND k.received_at > w.requested_at AND k.outcome <> 'REFERRAL'))::int AS escalated_contact,
             (SELECT count(*) FROM w WHERE EXISTS (SELECT 1 FROM early_help_child c JOIN referral k ON k.child_id = c.child_id
                WHERE c.episode_id = w.id AND k.received_at > w.requested_at))::int AS escalated_referral,
             (SELECT count(*) FROM w WHERE EXISTS (SELECT 1 FROM early_help_concern k WHERE k.episode_id = w.id AND k.safeguarding
                AND k.raised_at > w.requested_at AND cardinality(k.needs_added) > 0 AND k.needs_added <@ w.needs))::int AS escalated_concern,
             (SELECT count(*) FROM w WHERE w.status = 'REQUESTED' AND NOT EXISTS (SELECT 1 FROM early_help_consent k
                WHERE k.episode_id = w.id AND k.kind = 'SHARING' AND k.withdrawn_on IS NULL))::int AS without_consent,
             (SELECT count(*) FROM w WHERE w.status = 'REQUESTED' AND w.provider_id IS NULL AND EXISTS (SELECT 1 FROM early_help_referral r
                WHERE r.episode_id = w.id AND r.status = 'DECLINED' AND r.decline_reason IS NOT NULL))::int AS declined,
             (SELECT count(DISTINCT r.provider_id) FROM w JOIN early_help_referral r ON r.episode_id = w.id AND r.status = 'OFFERED'
                AND r.provider_id = w.provider_id WHERE w.status = 'OFFERED')::int AS offered_providers`);
    expect(waiting.offered_providers).toBe(2);
    for (const k of ['long_wait', 'escalated_contact', 'escalated_referral', 'escalated_concern', 'without_consent', 'declined']) {
      expect([k, waiting[k]]).not.toEqual([k, 0]);
    }

    // Step-up: closed STEPPED_UP, each with its referral (source 5D) and every linked referral 5D with its episode of need
    // sourced 5D. Step-down: requested the day a social care episode closed RC9, carrying its authorised assessment.
    const steps = await one(`
      SELECT (SELECT count(*) FROM early_help_episode e WHERE e.outcome = 'STEPPED_UP' AND NOT EXISTS (
                SELECT 1 FROM referral r WHERE r.early_help_episode_id = e.id AND r.source_code = '5D'
                  AND r.child_id IN (SELECT child_id FROM early_help_child c WHERE c.episode_id = e.id)
                  AND r.referral_date = e.closed_on))::int AS step_up_without_referral,
             (SELECT count(*) FROM referral r LEFT JOIN episode x ON x.referral_id = r.id
                WHERE r.early_help_episode_id IS NOT NULL AND (r.source_code <> '5D' OR x.referral_source <> '5D'))::int AS not_5d,
             (SELECT count(*) FROM referral WHERE early_help_episode_id IS NOT NULL)::int AS step_up_referrals,
             (SELECT count(*) FROM early_help_episode e WHERE e.stepped_down_from_episode_id IS NOT NULL)::int AS stepped_down,
             (SELECT count(*) FROM early_help_episode e JOIN episode x ON x.id = e.stepped_down_from_episode_id
                LEFT JOIN assessment a ON a.id = e.stepped_down_assessment_id
                WHERE x.closure_reason IS DISTINCT FROM 'RC9' OR a.status IS DISTINCT FROM 'AUTHORISED' OR a.episode_id <> x.id
                  OR e.requested_on <> x.closure_date)::int AS bad_step_down`);
    expect(steps).toMatchObject({ step_up_without_referral: 0, not_5d: 0, bad_step_down: 0 });
    expect(steps.step_up_referrals).toBeGreaterThan(0);
    expect(steps.stepped_down).toBeGreaterThan(0);

    // One open early help episode per child, and a child's episodes never overlap each other or a social care episode.
    const overlaps = await one(`
      WITH span AS (SELECT c.child_id, e.id, e.status, daterange(e.requested_on, coalesce(e.closed_on, ${today}), '[]') AS r
                    FROM early_help_child c JOIN early_help_episode e ON e.id = c.episode_id)
      SELECT (SELECT count(*) FROM (SELECT child_id FROM span WHERE status <> 'CLOSED' GROUP BY child_id HAVING count(*) > 1) x)::int AS two_open,
             (SELECT count(*) FROM span a JOIN span b ON a.child_id = b.child_id AND a.id < b.id AND a.r && b.r)::int AS overlapping,
             (SELECT count(*) FROM span s JOIN episode x ON x.child_id = s.child_id
                AND daterange(lower(s.r), upper(s.r), '()') && daterange(x.start_date, coalesce(x.closure_date, ${today}), '()'))::int AS with_social_care`);
    expect(overlaps).toEqual({ two_open: 0, overlapping: 0, with_social_care: 0 });

    // Demo accounts: Brightpath's practitioner leads a handful in work, its manager has offers and families in work, and
    // the demo early help practitioner (every early help episode) has families waiting to see.
    const demo = await one(`
      SELECT (SELECT count(*) FROM early_help_episode e JOIN account a ON a.id = e.lead_practitioner_id
                WHERE e.status = 'IN_WORK' AND a.email = 'provider.practitioner@haven.example')::int AS led,
             (SELECT count(*) FROM early_help_referral r JOIN account a ON a.provider_id = r.provider_id
                WHERE r.status = 'OFFERED' AND a.email = 'provider.manager@haven.example')::int AS offered,
             (SELECT count(*) FROM early_help_referral r JOIN account a ON a.provider_id = r.provider_id
                WHERE r.status = 'ACCEPTED' AND a.email = 'provider.manager@haven.example')::int AS accepted,
             (SELECT count(*) FROM early_help_episode WHERE status IN ('REQUESTED', 'OFFERED'))::int AS waiting,
             (SELECT count(*) FROM account a JOIN account_role r ON r.account_id = a.id
                WHERE a.email = 'early.help.practitioner@haven.example' AND r.role_code = 'EARLY_HELP_PRACTITIONER')::int AS practitioner`);
    expect(demo.led).toBeGreaterThanOrEqual(3);
    expect(demo.offered).toBeGreaterThan(0);
    expect(demo.accepted).toBeGreaterThanOrEqual(demo.led);
    expect(demo.waiting).toBeGreaterThanOrEqual(10);
    expect(demo.practitioner).toBe(1);
  });

  it('refuses to seed over existing data without --reset, and is deterministic with it', async () => {
    await expect(seedDemoCouncil(db, 'small')).rejects.toThrow(/--reset/);
    const fingerprint = () =>
      db.query(`SELECT (SELECT md5(string_agg(id::text || first_name || coalesce(nhs_number, ''), ',' ORDER BY id)) FROM child) AS h,
                       (SELECT md5(string_agg(id::text || child_id || start_date || coalesce(end_date::text, '') || coalesce(next_review_due::text, ''),
                                              ',' ORDER BY id)) FROM plan) AS plans,
                       (SELECT md5(string_agg(id::text || visited_on || seen, ',' ORDER BY id)) FROM visit) AS visits,
                       (SELECT md5(string_agg(id::text || held_on, ',' ORDER BY id)) FROM supervision) AS supervision,
                       (SELECT md5(string_agg(id::text || status || requested_at || array_to_string(needs, ',') || coalesce(closed_on::text, ''),
                                              ',' ORDER BY id)) FROM early_help_episode) AS early_help`);
    const before = await fingerprint();
    await seedDemoCouncil(db, 'small', { reset: true });
    expect(await fingerprint()).toEqual(before);
  });
});

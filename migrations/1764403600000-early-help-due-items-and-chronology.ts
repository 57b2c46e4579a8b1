import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Early help in the caseload's due items and in the child's chronology (views case_due_item and child_event), per
 * subject child of the episode (early_help_child):
 * - due, for episodes IN_WORK: the early help assessment (none completed yet: work start + early_help_setting.
 *   assessment_due_working_days working days) and the next team-around-the-family meeting (the last meeting, or the
 *   start of work, + meeting_every_weeks weeks); an early help plan's review is named FAMILY_PLAN_REVIEW;
 * - events: requested (saying when stepped down from social care), commissioned, accepted, declined, concern raised,
 *   assessment, team-around-the-family meeting, closed with its outcome. Codes, names of organisations and dates only,
 *   never free-text notes.
 * Still plain views, so a `child_id = …` filter reaches every branch and its index. `down` restores the definitions of
 * 1764320400000 (case_due_item) and 1764313200000 (child_event).
 */
export class EarlyHelpDueItemsAndChronology1764403600000 implements MigrationInterface {
  name = 'EarlyHelpDueItemsAndChronology1764403600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE VIEW case_due_item AS
      SELECT r.child_id, 'REFERRAL_DECISION'::text AS kind, r.id AS record_id, r.decision_due_on AS due_on
        FROM referral r WHERE r.decision IS NULL
      UNION ALL
      SELECT a.child_id, 'ASSESSMENT', a.id, a.due_date
        FROM assessment a WHERE a.status = 'IN_PROGRESS'
      UNION ALL
      SELECT s.child_id, 'INITIAL_CONFERENCE', s.id, s.icpc_target_date
        FROM section47 s WHERE s.status = 'OPEN' AND s.icpc_date IS NULL AND NOT s.conference_not_required
      UNION ALL
      SELECT p.child_id,
             CASE p.type WHEN 'CHILD_PROTECTION' THEN 'REVIEW_CONFERENCE' WHEN 'EARLY_HELP' THEN 'FAMILY_PLAN_REVIEW' ELSE 'PLAN_REVIEW' END,
             p.id, p.next_review_due
        FROM plan p WHERE p.status = 'ACTIVE' AND p.next_review_due IS NOT NULL
      UNION ALL
      SELECT * FROM (
        SELECT DISTINCT ON (p.child_id) p.child_id, 'VISIT'::text, p.id,
               haven_add_working_days(
                 coalesce((SELECT max(v.visited_on) FROM visit v
                           WHERE v.child_id = p.child_id AND v.seen AND v.visited_on >= p.start_date), p.start_date),
                 st.visit_every_working_days)
          FROM plan p JOIN plan_type_setting st ON st.plan_type = p.type
          WHERE p.status = 'ACTIVE'
          ORDER BY p.child_id, CASE p.type WHEN 'CHILD_PROTECTION' THEN 0 WHEN 'CHILD_IN_NEED' THEN 1 ELSE 2 END) visits
      UNION ALL
      SELECT ec.child_id, 'EARLY_HELP_ASSESSMENT', e.id, haven_add_working_days(e.work_started_on, s.assessment_due_working_days)
        FROM early_help_child ec JOIN early_help_episode e ON e.id = ec.episode_id CROSS JOIN early_help_setting s
        WHERE e.status = 'IN_WORK' AND e.work_started_on IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM early_help_assessment a WHERE a.episode_id = e.id AND a.completed_on IS NOT NULL)
      UNION ALL
      SELECT ec.child_id, 'TEAM_AROUND_FAMILY', e.id,
             (coalesce((SELECT max(m.held_on) FROM team_around_family_meeting m WHERE m.episode_id = e.id), e.work_started_on)
              + make_interval(weeks => s.meeting_every_weeks))::date
        FROM early_help_child ec JOIN early_help_episode e ON e.id = ec.episode_id CROSS JOIN early_help_setting s
        WHERE e.status = 'IN_WORK' AND e.work_started_on IS NOT NULL`);

    await q.query(`CREATE OR REPLACE VIEW child_event AS
      SELECT c.child_id, c.received_at AS occurred_at, 'CONTACT'::text AS kind, c.id AS record_id,
             'Contact from source ' || c.source_code || ': ' || replace(c.outcome, '_', ' ') AS summary, c.created_by_id AS actor_id
        FROM contact c
      UNION ALL
      SELECT r.child_id, r.received_at, 'REFERRAL_RECEIVED', r.id,
             'Referral received (source ' || r.source_code || ', primary need ' || r.primary_need_code || ')', r.created_by_id
        FROM referral r
      UNION ALL
      SELECT r.child_id, r.decided_at, 'REFERRAL_DECIDED', r.id, 'Referral decided: ' || replace(r.decision, '_', ' '), r.decided_by_id
        FROM referral r WHERE r.decided_at IS NOT NULL
      UNION ALL
      SELECT e.child_id, e.start_date::timestamp AT TIME ZONE 'Europe/London', 'EPISODE_OPENED', e.id,
             'Episode of need opened', e.created_by_id
        FROM episode e
      UNION ALL
      SELECT e.child_id, e.closure_date::timestamp AT TIME ZONE 'Europe/London', 'EPISODE_CLOSED', e.id,
             'Episode of need closed (' || e.closure_reason || ')', e.updated_by_id
        FROM episode e WHERE e.closure_date IS NOT NULL
      UNION ALL
      SELECT a.child_id, a.start_date::timestamp AT TIME ZONE 'Europe/London', 'ASSESSMENT_STARTED', a.id,
             'Child and family assessment started (due ' || a.due_date || ')', a.created_by_id
        FROM assessment a
      UNION ALL
      SELECT a.child_id, a.completed_date::timestamp AT TIME ZONE 'Europe/London', 'ASSESSMENT_COMPLETED', a.id,
             'Assessment completed: ' || replace(coalesce(a.outcome, ''), '_', ' '), a.updated_by_id
        FROM assessment a WHERE a.completed_date IS NOT NULL
      UNION ALL
      SELECT a.child_id, a.authorised_date::timestamp AT TIME ZONE 'Europe/London', 'ASSESSMENT_AUTHORISED', a.id,
             'Assessment authorised', a.authorised_by_id
        FROM assessment a WHERE a.authorised_date IS NOT NULL
      UNION ALL
      SELECT d.child_id, d.held_on::timestamp AT TIME ZONE 'Europe/London', 'STRATEGY_DISCUSSION', d.id,
             'Strategy discussion: ' || replace(d.decision, '_', ' '), d.created_by_id
        FROM strategy_discussion d
      UNION ALL
      SELECT s.child_id, s.start_date::timestamp AT TIME ZONE 'Europe/London', 'SECTION47_STARTED', s.id,
             'Section 47 enquiry started (initial conference due ' || s.icpc_target_date || ')', s.created_by_id
        FROM section47 s
      UNION ALL
      SELECT s.child_id, s.concluded_on::timestamp AT TIME ZONE 'Europe/London', 'SECTION47_CONCLUDED', s.id,
             CASE WHEN s.conference_not_required THEN 'Section 47 concluded: conference not required'
                  ELSE 'Section 47 concluded' END, s.updated_by_id
        FROM section47 s WHERE s.concluded_on IS NOT NULL
      UNION ALL
      SELECT k.child_id, k.held_on::timestamp AT TIME ZONE 'Europe/London', 'CONFERENCE', k.id,
             initcap(k.kind) || ' child protection conference: ' || replace(k.decision, '_', ' '), k.chair_id
        FROM child_protection_conference k
      UNION ALL
      SELECT p.child_id, p.start_date::timestamp AT TIME ZONE 'Europe/London', 'PLAN_STARTED', p.id,
             replace(initcap(p.type), '_', ' ') || ' plan started', p.created_by_id
        FROM plan p
      UNION ALL
      SELECT p.child_id, pr.held_on::timestamp AT TIME ZONE 'Europe/London', 'PLAN_REVIEWED', pr.id,
             replace(initcap(p.type), '_', ' ') || ' plan reviewed: ' || replace(pr.decision, '_', ' '), pr.reviewer_id
        FROM plan_review pr JOIN plan p ON p.id = pr.plan_id
      UNION ALL
      SELECT p.child_id, p.end_date::timestamp AT TIME ZONE 'Europe/London', 'PLAN_ENDED', p.id,
             replace(initcap(p.type), '_', ' ') || ' plan ended', p.updated_by_id
        FROM plan p WHERE p.end_date IS NOT NULL
      UNION ALL
      SELECT v.child_id, v.visited_on::timestamp AT TIME ZONE 'Europe/London', 'VISIT', v.id,
             initcap(v.type) || ' visit: ' || CASE WHEN v.seen_alone THEN 'seen alone' WHEN v.seen THEN 'seen' ELSE 'not seen' END,
             v.created_by_id
        FROM visit v
      UNION ALL
      SELECT sc.child_id, s.held_on::timestamp AT TIME ZONE 'Europe/London', 'SUPERVISION', sc.id,
             'Discussed in supervision', s.supervisor_id
        FROM supervision_case sc JOIN supervision s ON s.id = sc.supervision_id
      UNION ALL
      SELECT m.child_id, m.decided_on::timestamp AT TIME ZONE 'Europe/London', 'MANAGEMENT_DECISION', m.id,
             'Management decision recorded', m.decided_by_id
        FROM management_decision m
      UNION ALL
      SELECT al.child_id, al.started_at, 'ALLOCATED', al.id, 'Case allocated', al.created_by_id
        FROM allocation al
      UNION ALL
      SELECT ec.child_id, e.requested_at, 'EARLY_HELP_REQUESTED', e.id,
             'Early help requested' || CASE WHEN e.stepped_down_from_episode_id IS NOT NULL THEN ', stepped down from social care' ELSE '' END
               || ' (needs: ' || replace(lower(array_to_string(e.needs, ', ')), '_', ' ') || ')', e.created_by_id
        FROM early_help_child ec JOIN early_help_episode e ON e.id = ec.episode_id
      UNION ALL
      SELECT ec.child_id, r.offered_at, 'EARLY_HELP_COMMISSIONED', r.id, 'Early help commissioned from ' || pv.name, r.created_by_id
        FROM early_help_child ec JOIN early_help_referral r ON r.episode_id = ec.episode_id JOIN provider pv ON pv.id = r.provider_id
      UNION ALL
      SELECT ec.child_id, r.decided_at, 'EARLY_HELP_ACCEPTED', r.id, 'Early help accepted by ' || pv.name, r.decided_by_id
        FROM early_help_child ec JOIN early_help_referral r ON r.episode_id = ec.episode_id JOIN provider pv ON pv.id = r.provider_id
        WHERE r.decided_at IS NOT NULL AND r.status IN ('ACCEPTED', 'CLOSED')
      UNION ALL
      SELECT ec.child_id, r.decided_at, 'EARLY_HELP_DECLINED', r.id, 'Early help declined by ' || pv.name, r.decided_by_id
        FROM early_help_child ec JOIN early_help_referral r ON r.episode_id = ec.episode_id JOIN provider pv ON pv.id = r.provider_id
        WHERE r.decided_at IS NOT NULL AND r.status = 'DECLINED'
      UNION ALL
      SELECT ec.child_id, k.raised_at, 'EARLY_HELP_CONCERN', k.id,
             CASE WHEN k.safeguarding THEN 'Safeguarding concern raised' ELSE 'Concern raised' END
               || CASE WHEN cardinality(k.needs_added) > 0
                       THEN ' (needs added: ' || replace(lower(array_to_string(k.needs_added, ', ')), '_', ' ') || ')' ELSE '' END,
             k.created_by_id
        FROM early_help_child ec JOIN early_help_concern k ON k.episode_id = ec.episode_id
      UNION ALL
      SELECT ec.child_id, coalesce(a.completed_on, a.started_on)::timestamp AT TIME ZONE 'Europe/London', 'EARLY_HELP_ASSESSMENT', a.id,
             CASE WHEN a.completed_on IS NULL THEN 'Early help assessment started'
                  ELSE 'Early help assessment completed (started ' || a.started_on || ')' END, a.updated_by_id
        FROM early_help_child ec JOIN early_help_assessment a ON a.episode_id = ec.episode_id
      UNION ALL
      SELECT ec.child_id, m.held_on::timestamp AT TIME ZONE 'Europe/London', 'TEAM_AROUND_FAMILY', m.id,
             'Team around the family meeting' || CASE WHEN m.family_present THEN ' (family present)' ELSE ' (family not present)' END,
             m.created_by_id
        FROM early_help_child ec JOIN team_around_family_meeting m ON m.episode_id = ec.episode_id
      UNION ALL
      SELECT ec.child_id, e.closed_on::timestamp AT TIME ZONE 'Europe/London', 'EARLY_HELP_CLOSED', e.id,
             'Early help closed: ' || replace(lower(coalesce(e.outcome, '')), '_', ' '), e.updated_by_id
        FROM early_help_child ec JOIN early_help_episode e ON e.id = ec.episode_id
        WHERE e.closed_on IS NOT NULL`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE VIEW case_due_item AS
      SELECT r.child_id, 'REFERRAL_DECISION'::text AS kind, r.id AS record_id, r.decision_due_on AS due_on
        FROM referral r WHERE r.decision IS NULL
      UNION ALL
      SELECT a.child_id, 'ASSESSMENT', a.id, a.due_date
        FROM assessment a WHERE a.status = 'IN_PROGRESS'
      UNION ALL
      SELECT s.child_id, 'INITIAL_CONFERENCE', s.id, s.icpc_target_date
        FROM section47 s WHERE s.status = 'OPEN' AND s.icpc_date IS NULL AND NOT s.conference_not_required
      UNION ALL
      SELECT p.child_id, CASE WHEN p.type = 'CHILD_PROTECTION' THEN 'REVIEW_CONFERENCE' ELSE 'PLAN_REVIEW' END, p.id, p.next_review_due
        FROM plan p WHERE p.status = 'ACTIVE' AND p.next_review_due IS NOT NULL
      UNION ALL
      SELECT * FROM (
        SELECT DISTINCT ON (p.child_id) p.child_id, 'VISIT'::text, p.id,
               haven_add_working_days(
                 coalesce((SELECT max(v.visited_on) FROM visit v
                           WHERE v.child_id = p.child_id AND v.seen AND v.visited_on >= p.start_date), p.start_date),
                 st.visit_every_working_days)
          FROM plan p JOIN plan_type_setting st ON st.plan_type = p.type
          WHERE p.status = 'ACTIVE'
          ORDER BY p.child_id, CASE p.type WHEN 'CHILD_PROTECTION' THEN 0 WHEN 'CHILD_IN_NEED' THEN 1 ELSE 2 END) visits`);

    await q.query(`CREATE OR REPLACE VIEW child_event AS
      SELECT c.child_id, c.received_at AS occurred_at, 'CONTACT'::text AS kind, c.id AS record_id,
             'Contact from source ' || c.source_code || ': ' || replace(c.outcome, '_', ' ') AS summary, c.created_by_id AS actor_id
        FROM contact c
      UNION ALL
      SELECT r.child_id, r.received_at, 'REFERRAL_RECEIVED', r.id,
             'Referral received (source ' || r.source_code || ', primary need ' || r.primary_need_code || ')', r.created_by_id
        FROM referral r
      UNION ALL
      SELECT r.child_id, r.decided_at, 'REFERRAL_DECIDED', r.id, 'Referral decided: ' || replace(r.decision, '_', ' '), r.decided_by_id
        FROM referral r WHERE r.decided_at IS NOT NULL
      UNION ALL
      SELECT e.child_id, e.start_date::timestamp AT TIME ZONE 'Europe/London', 'EPISODE_OPENED', e.id,
             'Episode of need opened', e.created_by_id
        FROM episode e
      UNION ALL
      SELECT e.child_id, e.closure_date::timestamp AT TIME ZONE 'Europe/London', 'EPISODE_CLOSED', e.id,
             'Episode of need closed (' || e.closure_reason || ')', e.updated_by_id
        FROM episode e WHERE e.closure_date IS NOT NULL
      UNION ALL
      SELECT a.child_id, a.start_date::timestamp AT TIME ZONE 'Europe/London', 'ASSESSMENT_STARTED', a.id,
             'Child and family assessment started (due ' || a.due_date || ')', a.created_by_id
        FROM assessment a
      UNION ALL
      SELECT a.child_id, a.completed_date::timestamp AT TIME ZONE 'Europe/London', 'ASSESSMENT_COMPLETED', a.id,
             'Assessment completed: ' || replace(coalesce(a.outcome, ''), '_', ' '), a.updated_by_id
        FROM assessment a WHERE a.completed_date IS NOT NULL
      UNION ALL
      SELECT a.child_id, a.authorised_date::timestamp AT TIME ZONE 'Europe/London', 'ASSESSMENT_AUTHORISED', a.id,
             'Assessment authorised', a.authorised_by_id
        FROM assessment a WHERE a.authorised_date IS NOT NULL
      UNION ALL
      SELECT d.child_id, d.held_on::timestamp AT TIME ZONE 'Europe/London', 'STRATEGY_DISCUSSION', d.id,
             'Strategy discussion: ' || replace(d.decision, '_', ' '), d.created_by_id
        FROM strategy_discussion d
      UNION ALL
      SELECT s.child_id, s.start_date::timestamp AT TIME ZONE 'Europe/London', 'SECTION47_STARTED', s.id,
             'Section 47 enquiry started (initial conference due ' || s.icpc_target_date || ')', s.created_by_id
        FROM section47 s
      UNION ALL
      SELECT s.child_id, s.concluded_on::timestamp AT TIME ZONE 'Europe/London', 'SECTION47_CONCLUDED', s.id,
             CASE WHEN s.conference_not_required THEN 'Section 47 concluded: conference not required'
                  ELSE 'Section 47 concluded' END, s.updated_by_id
        FROM section47 s WHERE s.concluded_on IS NOT NULL
      UNION ALL
      SELECT k.child_id, k.held_on::timestamp AT TIME ZONE 'Europe/London', 'CONFERENCE', k.id,
             initcap(k.kind) || ' child protection conference: ' || replace(k.decision, '_', ' '), k.chair_id
        FROM child_protection_conference k
      UNION ALL
      SELECT p.child_id, p.start_date::timestamp AT TIME ZONE 'Europe/London', 'PLAN_STARTED', p.id,
             replace(initcap(p.type), '_', ' ') || ' plan started', p.created_by_id
        FROM plan p
      UNION ALL
      SELECT p.child_id, pr.held_on::timestamp AT TIME ZONE 'Europe/London', 'PLAN_REVIEWED', pr.id,
             replace(initcap(p.type), '_', ' ') || ' plan reviewed: ' || replace(pr.decision, '_', ' '), pr.reviewer_id
        FROM plan_review pr JOIN plan p ON p.id = pr.plan_id
      UNION ALL
      SELECT p.child_id, p.end_date::timestamp AT TIME ZONE 'Europe/London', 'PLAN_ENDED', p.id,
             replace(initcap(p.type), '_', ' ') || ' plan ended', p.updated_by_id
        FROM plan p WHERE p.end_date IS NOT NULL
      UNION ALL
      SELECT v.child_id, v.visited_on::timestamp AT TIME ZONE 'Europe/London', 'VISIT', v.id,
             initcap(v.type) || ' visit: ' || CASE WHEN v.seen_alone THEN 'seen alone' WHEN v.seen THEN 'seen' ELSE 'not seen' END,
             v.created_by_id
        FROM visit v
      UNION ALL
      SELECT sc.child_id, s.held_on::timestamp AT TIME ZONE 'Europe/London', 'SUPERVISION', sc.id,
             'Discussed in supervision', s.supervisor_id
        FROM supervision_case sc JOIN supervision s ON s.id = sc.supervision_id
      UNION ALL
      SELECT m.child_id, m.decided_on::timestamp AT TIME ZONE 'Europe/London', 'MANAGEMENT_DECISION', m.id,
             'Management decision recorded', m.decided_by_id
        FROM management_decision m
      UNION ALL
      SELECT al.child_id, al.started_at, 'ALLOCATED', al.id, 'Case allocated', al.created_by_id
        FROM allocation al`);
  }
}

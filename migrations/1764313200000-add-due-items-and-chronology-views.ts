import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two read models, hand-written (no entity), used by caseloads, the chronology and (later) reporting, so every list
 * and figure comes from the same definition:
 * - `case_due_item`: what is due on each child's case, one row per item (kind, record, due date), by the statutory
 *   and local clocks (haven_add_working_days for working days);
 * - `child_event`: every recorded event on a child's record, for the chronology.
 * Both are plain views, so a `child_id = …` filter is pushed into each branch and its index.
 */
export class AddDueItemsAndChronologyViews1764313200000 implements MigrationInterface {
  name = 'AddDueItemsAndChronologyViews1764313200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE VIEW case_due_item AS
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
      SELECT p.child_id, 'VISIT', p.id,
             haven_add_working_days(
               coalesce((SELECT max(v.visited_on) FROM visit v
                         WHERE v.child_id = p.child_id AND v.seen AND v.visited_on >= p.start_date), p.start_date),
               st.visit_every_working_days)
        FROM plan p JOIN plan_type_setting st ON st.plan_type = p.type
        WHERE p.status = 'ACTIVE'`);

    await q.query(`CREATE VIEW child_event AS
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

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW child_event`);
    await q.query(`DROP VIEW case_due_item`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One VISIT item per child: a child with two active plans (e.g. CIN and early help) is visited to the frequency of the
 * highest-priority plan (CP, then CIN, then early help), as Child.visitStatus already says.
 */
export class OneVisitDueItemPerChild1764320400000 implements MigrationInterface {
  name = 'OneVisitDueItemPerChild1764320400000';

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
      SELECT p.child_id, 'VISIT', p.id,
             haven_add_working_days(
               coalesce((SELECT max(v.visited_on) FROM visit v
                         WHERE v.child_id = p.child_id AND v.seen AND v.visited_on >= p.start_date), p.start_date),
               st.visit_every_working_days)
        FROM plan p JOIN plan_type_setting st ON st.plan_type = p.type
        WHERE p.status = 'ACTIVE'`);
  }
}

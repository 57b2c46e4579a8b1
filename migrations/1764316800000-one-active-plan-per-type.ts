import { MigrationInterface, QueryRunner } from 'typeorm';

/** Backstop in the database for what PlanService checks: at most one active plan of each type per child. */
export class OneActivePlanPerType1764316800000 implements MigrationInterface {
  name = 'OneActivePlanPerType1764316800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNIQUE INDEX "plan_one_active_per_type" ON "plan" ("child_id", "type") WHERE status = 'ACTIVE'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "plan_one_active_per_type"`);
  }
}

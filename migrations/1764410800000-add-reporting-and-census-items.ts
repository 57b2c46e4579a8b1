import { MigrationInterface, QueryRunner } from 'typeorm';

/** Reporting and statutory returns: caseload caps and weights; the child's former UPN and date of death (CIN census). */
export class AddReportingAndCensusItems1764410800000 implements MigrationInterface {
  name = 'AddReportingAndCensusItems1764410800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "caseload_setting" ("id" integer NOT NULL, "standard_cap" integer NOT NULL DEFAULT '18', "protected_cap" integer NOT NULL DEFAULT '12', "weight_child_protection" numeric(3,1) NOT NULL DEFAULT '1.5', "weight_child_in_need" numeric(3,1) NOT NULL DEFAULT '1', "weight_assessment" numeric(3,1) NOT NULL DEFAULT '1', "weight_other" numeric(3,1) NOT NULL DEFAULT '0.5', CONSTRAINT "CHK_fb4446eacf46d65486b1ce8906" CHECK (id = 1), CONSTRAINT "PK_1185f7c81f808e4c1f396b36fe4" PRIMARY KEY ("id"))`);
    await q.query(`INSERT INTO caseload_setting (id) VALUES (1)`);
    await q.query(`ALTER TABLE "child" ADD "former_upn" character(13)`);
    await q.query(`ALTER TABLE "child" ADD "date_of_death" date`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "child" DROP COLUMN "date_of_death"`);
    await q.query(`ALTER TABLE "child" DROP COLUMN "former_upn"`);
    await q.query(`DROP TABLE "caseload_setting"`);
  }
}

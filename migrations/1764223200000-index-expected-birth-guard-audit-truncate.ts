import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search by date of birth also matches the expected date of birth: index it (the OR was a sequential scan).
 * The audit log refuses TRUNCATE as it refuses UPDATE and DELETE, unless the session sets
 * `haven.allow_audit_truncate = on` (only the test reset and `npm run seed -- --reset` do, on demo data).
 */
export class IndexExpectedBirthGuardAuditTruncate1764223200000 implements MigrationInterface {
  name = 'IndexExpectedBirthGuardAuditTruncate1764223200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "IDX_cae94b38902705a280ce4fd26a" ON "child" ("expected_date_of_birth")`);
    await q.query(`CREATE FUNCTION audit_entry_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF coalesce(current_setting('haven.allow_audit_truncate', true), 'off') <> 'on' THEN
          RAISE EXCEPTION 'audit_entry is append-only';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON "audit_entry"
      FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_no_truncate()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_entry_no_truncate ON "audit_entry"`);
    await q.query(`DROP FUNCTION audit_entry_no_truncate()`);
    await q.query(`DROP INDEX "public"."IDX_cae94b38902705a280ce4fd26a"`);
  }
}

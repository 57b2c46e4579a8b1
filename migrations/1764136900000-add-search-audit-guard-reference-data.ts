import { MigrationInterface, QueryRunner } from 'typeorm';
import { englandAndWalesBankHolidays } from '../src/shared/clock/calendar';
import { ROLE_NAMES } from '../src/modules/identity/roles';

/**
 * Hand-written: spelling-tolerant name search (pg_trgm trigrams and fuzzystrmatch double metaphone, both trusted
 * extensions), a sequence for generated LA child IDs, the audit log made append-only, and
 * reference data (the eleven roles; England and Wales bank holidays 2015-2035 from date-holidays, which later one-off
 * holidays join through `addBankHoliday`).
 */
export class AddSearchAuditGuardReferenceData1764136900000 implements MigrationInterface {
  name = 'AddSearchAuditGuardReferenceData1764136900000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS fuzzystrmatch`);
    await q.query(
      `CREATE INDEX "child_name_trgm" ON "child" USING gin (lower("first_name" || ' ' || "last_name") gin_trgm_ops)`,
    );
    await q.query(`CREATE INDEX "child_last_name_phonetic" ON "child" (dmetaphone("last_name"))`);
    await q.query(`CREATE INDEX "child_first_name_phonetic" ON "child" (dmetaphone("first_name"))`);
    await q.query(`CREATE SEQUENCE "child_la_id_seq" START 1000000`);
    await q.query(`CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_entry is append-only'; END $$`);
    await q.query(`CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON "audit_entry"
      FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()`);
    for (const [code, name] of Object.entries(ROLE_NAMES)) {
      await q.query(`INSERT INTO "role" ("code", "name") VALUES ($1, $2)`, [code, name]);
    }
    const holidays = englandAndWalesBankHolidays(2015, 2035);
    await q.query(
      `INSERT INTO "bank_holiday" ("date", "name", "source")
       SELECT d, n, 'date-holidays' FROM unnest($1::date[], $2::text[]) AS h(d, n)`,
      [holidays.map((h) => h.date), holidays.map((h) => h.name)],
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM "bank_holiday" WHERE "source" = 'date-holidays'`);
    await q.query(`DELETE FROM "role"`);
    await q.query(`DROP TRIGGER audit_entry_append_only ON "audit_entry"`);
    await q.query(`DROP FUNCTION audit_entry_append_only()`);
    await q.query(`DROP SEQUENCE "child_la_id_seq"`);
    await q.query(`DROP INDEX "child_first_name_phonetic"`);
    await q.query(`DROP INDEX "child_last_name_phonetic"`);
    await q.query(`DROP INDEX "child_name_trgm"`);
  }
}

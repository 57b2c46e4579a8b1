import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partial indexes on the few restricted children and families: the early help scope (and the waiting list) checks
 * "no restricted child the actor is not named on" per episode, which otherwise scans the whole child and family tables.
 */
export class IndexRestrictedRecords1764407200000 implements MigrationInterface {
  name = 'IndexRestrictedRecords1764407200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "child_restricted" ON "child" ("id") WHERE restricted`);
    await q.query(`CREATE INDEX "family_restricted" ON "family" ("id") WHERE restricted`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "family_restricted"`);
    await q.query(`DROP INDEX "child_restricted"`);
  }
}

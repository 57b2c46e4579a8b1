import { DataSource, Migration, MigrationExecutor } from 'typeorm';

/** pg_advisory_lock key held while migrating: the bytes of 'havenmig' as a bigint (any constant unique to Haven would do). */
export const MIGRATION_LOCK_KEY = '7521423030701877607';

/**
 * Applies pending migrations, each in its own transaction, under a PostgreSQL advisory lock. TypeORM takes no lock of
 * its own: two instances starting together would both run the same migration and one would fail half-way through its
 * start. With the lock, the second waits, then finds nothing pending. The lock is session-scoped, so the migrations
 * run on the very connection that holds it (one connection: safe with a pool of 1).
 */
export async function migrate(db: DataSource): Promise<Migration[]> {
  const runner = db.createQueryRunner('master');
  try {
    // No statement timeout on this session: waiting for another instance's migrations, and a migration itself, may
    // take longer than the 15 s that bounds a request's query (the pool's setting).
    await runner.query('SET statement_timeout = 0');
    await runner.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    try {
      const executor = new MigrationExecutor(db, runner);
      executor.transaction = 'each';
      return await executor.executePendingMigrations();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
      await runner.query('RESET statement_timeout');
    }
  } finally {
    await runner.release();
  }
}

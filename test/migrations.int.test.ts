import { createDataSource } from '../src/shared/db/data-source';
import { onServer, testDatabaseUrl } from './setup/database';

const NAME = 'haven_test_migrations';
const url = testDatabaseUrl().replace(/\/[^/]+$/, `/${NAME}`);

describe('migrations', () => {
  beforeAll(() => onServer(testDatabaseUrl(), [`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`, `CREATE DATABASE ${NAME}`]));
  afterAll(() => onServer(testDatabaseUrl(), [`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`]));

  it('apply to an empty database, revert completely with their down steps, and apply again', async () => {
    const db = createDataSource({ url });
    await db.initialize();
    try {
      const applied = await db.runMigrations({ transaction: 'each' });
      expect(applied.length).toBe(db.migrations.length);
      for (let i = 0; i < applied.length; i++) await db.undoLastMigration({ transaction: 'each' });
      const left: { n: number }[] = await db.query(
        `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`,
      );
      expect(left[0].n).toBe(0);
      expect(await db.runMigrations({ transaction: 'each' })).toHaveLength(applied.length);
      const [{ holidays }] = await db.query(`SELECT count(*)::int AS holidays FROM bank_holiday`);
      expect(holidays).toBeGreaterThan(150);
    } finally {
      await db.destroy();
    }
  });
});

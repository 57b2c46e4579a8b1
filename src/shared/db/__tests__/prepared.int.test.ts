import type { DataSource } from 'typeorm';
import { createDataSource, statementCounter } from '../data-source';
import { preparedQuery } from '../prepared';
import { testDatabaseUrl } from '../../../../test/setup/database';

// One connection, so the prepared statements are on the connection every query uses (pg-pool replaces a connection
// whose query failed). A table of this test's own, dropped at the end.
const TABLE = `prepared_probe_${process.pid}`;
let db: DataSource;
beforeAll(async () => {
  db = createDataSource({ url: testDatabaseUrl(), poolMax: 1 });
  await db.initialize();
  await db.query(`CREATE TABLE ${TABLE} (id int PRIMARY KEY)`);
  await db.query(`INSERT INTO ${TABLE} VALUES (1), (2), (3)`);
});
afterAll(async () => {
  await db.query(`DROP TABLE ${TABLE}`);
  await db.destroy();
});

const SQL = `SELECT p.* FROM ${TABLE} p WHERE p.id = ANY($1::int[]) ORDER BY p.id`;

describe('preparedQuery', () => {
  it('runs a read as a named prepared statement, once prepared per text, and counts each statement', async () => {
    const before = statementCounter.count;
    expect(await preparedQuery(db, SQL, [[1, 3]])).toEqual([{ id: 1 }, { id: 3 }]);
    expect(await preparedQuery(db, SQL, [[2]])).toEqual([{ id: 2 }]);
    expect(statementCounter.count - before).toBe(2);
    const prepared = await db.query(`SELECT name FROM pg_prepared_statements WHERE statement = $1`, [SQL]);
    expect(prepared).toHaveLength(1);
    expect(prepared[0].name).toMatch(/^haven_\d+$/);
  });

  it('prepares the text afresh when a migration has changed the table under it (rolling deploys)', async () => {
    expect(await preparedQuery(db, SQL, [[1]])).toEqual([{ id: 1 }]);
    await db.query(`ALTER TABLE ${TABLE} ADD COLUMN note text NOT NULL DEFAULT 'added'`);
    expect(await preparedQuery(db, SQL, [[1]])).toEqual([{ id: 1, note: 'added' }]);
  });

  it('passes other errors on', async () => {
    await expect(preparedQuery(db, `SELECT p.* FROM ${TABLE} p WHERE p.id = $1::int`, ['not a number'])).rejects.toThrow(/invalid input/);
  });
});

import type { DataSource } from 'typeorm';
import { createDataSource, statementCounter } from '../data-source';
import { preparedQuery } from '../prepared';
import { testDatabaseUrl } from '../../../../test/setup/database';

// One connection, so the prepared statements are on the connection every query uses. A table of this test's own,
// dropped at the end.
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
    const nameOf = async () => (await db.query(`SELECT name FROM pg_prepared_statements WHERE statement = $1`, [SQL])).map((r: { name: string }) => r.name);
    const [first] = await nameOf();
    await db.query(`ALTER TABLE ${TABLE} ADD COLUMN note text NOT NULL DEFAULT 'added'`);
    expect(await preparedQuery(db, SQL, [[1]])).toEqual([{ id: 1, note: 'added' }]);
    // The same connection (kept: a stale plan is not a broken connection) now also holds the text under a new name.
    const names = await nameOf();
    expect(names).toHaveLength(2);
    expect(names).toContain(first);
    expect(await preparedQuery(db, SQL, [[2]])).toEqual([{ id: 2, note: 'added' }]);
    expect(await nameOf()).toEqual(names);
  });

  it('passes other errors on, and keeps the connection (only a connection that is gone is discarded)', async () => {
    const pid = async () => (await preparedQuery<{ pid: number }>(db, 'SELECT pg_backend_pid() AS pid', []))[0].pid;
    const before = await pid();
    await expect(preparedQuery(db, `SELECT p.* FROM ${TABLE} p WHERE p.id = $1::int`, ['not a number'])).rejects.toThrow(/invalid input/);
    expect(await pid()).toBe(before);
  });

  it('discards a connection that is gone, and the next query gets a fresh one', async () => {
    const pid = async () => (await preparedQuery<{ pid: number }>(db, 'SELECT pg_backend_pid() AS pid', []))[0].pid;
    const before = await pid();
    const admin = createDataSource({ url: testDatabaseUrl(), poolMax: 1 });
    await admin.initialize();
    try {
      await admin.query('SELECT pg_terminate_backend($1)', [before]);
    } finally {
      await admin.destroy();
    }
    await expect(preparedQuery(db, SQL, [[1]])).rejects.toThrow();
    const after = await pid();
    expect(after).not.toBe(before);
  });
});

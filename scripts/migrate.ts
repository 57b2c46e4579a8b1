import { loadConfig } from '../src/config';
import { connectForScript } from './connect';

/** Applies pending migrations to the configured database (DATABASE_URL, or the embedded one). */
connectForScript(loadConfig())
  .then(async ({ db, close }) => {
    const pending = await db.showMigrations();
    console.log(pending ? 'migrations pending after run?' : 'database is up to date');
    await close();
  })
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });

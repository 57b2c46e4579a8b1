import { loadConfig } from './config';
import { startServer } from './server';

async function main() {
  const running = await startServer(loadConfig());
  let signalled = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (signalled) return;
      signalled = true;
      running.stop().then(
        () => process.exit(0),
        (err) => {
          console.error('shutdown failed', err);
          process.exit(1);
        },
      );
    });
  }
}

main().catch((err) => {
  console.error('Haven failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});

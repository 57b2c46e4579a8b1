import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { seedDemoCouncil, SeedSize } from '../src/seed/demo-council';
import { connectForScript } from './connect';

/** `npm run seed -- [--size small|council] [--reset]`: builds the demo council and prints time, row counts, accounts. */
async function main() {
  const { values } = parseArgs({ options: { size: { type: 'string', default: 'small' }, reset: { type: 'boolean', default: false } } });
  const size = values.size as SeedSize;
  if (size !== 'small' && size !== 'council') throw new Error(`unknown --size ${size}; use small or council`);
  const started = Date.now();
  const { db, close } = await connectForScript(loadConfig());
  try {
    const report = await seedDemoCouncil(db, size, { reset: values.reset });
    const total = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`Seeded size=${size} (anchor date ${report.today}, Europe/London): seed ${report.seconds.toFixed(1)}s, ${total}s in all`);
    const w = Math.max(...report.counts.map((c) => c.table.length));
    console.log(report.counts.map((c) => `  ${c.table.padEnd(w)} ${String(c.rows).padStart(7)}`).join('\n'));
    console.log('Demo accounts (npm run token -- --email <address>):');
    const width = Math.max(...report.demoAccounts.map((d) => d.email.length));
    console.log(report.demoAccounts.map((d) => `  ${d.email.padEnd(width)}  ${d.role.padEnd(24)} ${d.place ?? '-'}`).join('\n'));
  } finally {
    await close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

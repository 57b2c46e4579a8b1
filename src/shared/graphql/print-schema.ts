import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildBareSchema } from '../../app';

/** schema.graphql as generated from the code: sorted, so the committed file only changes when the API does. */
export async function printedSchema(): Promise<string> {
  const schema = await buildBareSchema();
  return `# Generated from the code by \`npm run schema\`; do not edit. A test fails when it is stale.\n\n${printSchema(
    lexicographicSortSchema(schema),
  )}\n`;
}

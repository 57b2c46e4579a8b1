import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { printedSchema } from '../src/shared/graphql/print-schema';

printedSchema().then((sdl) => {
  writeFileSync('schema.graphql', sdl);
  console.log(`schema.graphql written (${sdl.split('\n').length} lines)`);
});

// Prints the GraphQL schema to api/schema.graphql, the committed contract that
// codegen.ts and outside clients read. `--check` only compares and fails when
// the committed file is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printedSchema } from '../src/graphql/print.ts';

const target = fileURLToPath(new URL('../schema.graphql', import.meta.url));
const printed = printedSchema();

if (process.argv.includes('--check')) {
  if (readFileSync(target, 'utf8') !== printed) {
    console.error('api/schema.graphql is out of date: run `npm run schema:print`');
    process.exit(1);
  }
} else {
  writeFileSync(target, printed);
  process.stdout.write('Wrote api/schema.graphql\n');
}

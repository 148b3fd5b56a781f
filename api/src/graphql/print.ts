import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './schema/index.ts';

/** The schema as SDL, sorted so the printed file only changes when the schema does. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

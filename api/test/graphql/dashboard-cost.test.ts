import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDocument } from '@urql/core';
import { type DocumentNode, type FragmentDefinitionNode, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PAGE_SIZE } from '../../src/graphql/builder.ts';
import { COST_MODEL } from '../../src/graphql/document-limits.ts';
import { compileOperationCost, costOf } from '../../src/graphql/operation-cost.ts';
import { schema } from '../../src/graphql/schema/index.ts';
import { OPERATION_LIMITS } from '../../src/graphql/yoga.ts';
import { ROOT } from '../support/process.ts';

/** The largest page the dashboard asks for (the overview's ranking). */
const LARGEST_PAGE = 25;

// Every operation the dashboard sends, as urql sends it (with __typename added), at its largest page.
const components = join(ROOT, 'dashboard/src/components');
const document: DocumentNode = formatDocument(
  parse(
    readdirSync(components)
      .filter((file) => file.endsWith('.graphql'))
      .map((file) => readFileSync(join(components, file), 'utf8'))
      .join('\n'),
  ),
);
const fragments = new Map<string, FragmentDefinitionNode>();
for (const definition of document.definitions) {
  if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
}
const operations = document.definitions.filter(
  (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
);

describe('the dashboard fits the cost limit', () => {
  it('has operations to check', () => {
    expect(operations.length).toBeGreaterThan(5);
    expect(LARGEST_PAGE).toBeGreaterThanOrEqual(DEFAULT_PAGE_SIZE);
  });

  it.each(operations.map((operation) => [operation.name?.value ?? '(anonymous)', operation] as const))(
    '%s costs at most the limit at the largest page',
    (_, operation) => {
      const cost = compileOperationCost(schema, fragments, operation, COST_MODEL);
      expect(costOf(cost, { first: LARGEST_PAGE, last: LARGEST_PAGE })).toBeLessThanOrEqual(OPERATION_LIMITS.maxCost);
    },
  );
});

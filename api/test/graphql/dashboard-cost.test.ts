import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDocument } from '@urql/core';
import { type DocumentNode, type FragmentDefinitionNode, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { PAGE_SIZES } from '../../../dashboard/src/lib/page-sizes.ts';
import { DEFAULT_PAGE_SIZE } from '../../src/graphql/builder.ts';
import { COST_MODEL } from '../../src/graphql/document-limits.ts';
import { compileOperationCost, costOf } from '../../src/graphql/operation-cost.ts';
import { schema } from '../../src/graphql/schema/index.ts';
import { OPERATION_LIMITS } from '../../src/graphql/yoga.ts';
import { ROOT } from '../support/process.ts';

/** The largest page the dashboard asks for: lists without a size of their own are priced at it. */
const LARGEST_PAGE = Math.max(...Object.values(PAGE_SIZES));

// Every operation the dashboard sends, as urql sends it (with __typename added), at the page it asks for.
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
    // Each sized list is one of the operations.
    const names = operations.map((operation) => operation.name?.value);
    for (const name of Object.keys(PAGE_SIZES)) expect(names).toContain(name);
  });

  it.each(operations.map((operation) => [operation.name?.value ?? '(anonymous)', operation] as const))(
    '%s costs at most the limit at the page it asks for',
    (name, operation) => {
      const cost = compileOperationCost(schema, fragments, operation, COST_MODEL);
      const size = (PAGE_SIZES as Record<string, number>)[name] ?? LARGEST_PAGE;
      expect(costOf(cost, { first: size, last: size })).toBeLessThanOrEqual(OPERATION_LIMITS.maxCost);
    },
  );
});

import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { type FragmentDefinitionNode, Kind, type OperationDefinitionNode, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { type CostModel, compileOperationCost, costOf, type VariableValues } from '../../src/graphql/operation-cost.ts';
import { schema } from '../../src/graphql/schema/index.ts';

const MODEL: CostModel = {
  objectCost: 2,
  scalarCost: 1,
  depthCostFactor: 1.5,
  sizeArguments: new Set(['first', 'last', 'days']),
  defaultSize: 20,
};

function priced(query: string, variables: VariableValues = {}): { cost: number; constant: boolean } {
  const document = parse(query);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (operation === undefined) throw new Error('no operation');
  const cost = compileOperationCost(schema, fragments, operation, MODEL);
  return { cost: costOf(cost, variables), constant: typeof cost === 'number' };
}

/** What GraphQL Armor's cost rule finds for a document (it reads only literal `first`/`last`). */
function armorCost(query: string): number {
  const refusals: string[] = [];
  const rule = costLimitRule({
    maxCost: -1,
    propagateOnRejection: false,
    onReject: [(_context, error) => refusals.push(error.message)],
  });
  validate(schema, parse(query), [rule]);
  const found = /found ([\d.]+)/.exec(refusals[0] ?? '')?.[1];
  if (found === undefined) throw new Error(`no cost in ${refusals[0]}`);
  return Number.parseFloat(found);
}

// Documents whose every page size is a literal `first` or `last`, where Armor's prices are the reference.
const LITERAL_DOCUMENTS = [
  '{ overview { users events } }',
  '{ users(first: 7) { totalCount edges { cursor node { id drift { score reasons { code label } } } } } }',
  '{ user(id: "a") { events(last: 40) { edges { node { id meta user { id } } } } } }',
  '{ a: user(id: "a") { id } b: users(first: 3) { nodes { id latestEvent { id kind } } } }',
  '{ user(id: "a") { ...U } } fragment U on User { id events(first: 9) { nodes { ...E } } } fragment E on Event { id kind }',
  '{ user(id: "a") { ... on User { id events(first: 2) { nodes { id } } } } }',
  'subscription { eventIngested { user { events(first: 50) { nodes { id } } } } }',
];

describe('operation cost', () => {
  it.each(LITERAL_DOCUMENTS)('prices literal page sizes as GraphQL Armor does: %s', (query) => {
    const { cost, constant } = priced(query);
    expect(cost).toBe(armorCost(query));
    expect(constant).toBe(true);
  });

  it.each(LITERAL_DOCUMENTS)('prices the same sizes sent as variables the same: %s', (query) => {
    const sizes: Record<string, number> = {};
    let index = 0;
    const body = query.replace(/\b(first|last): (\d+)/g, (_match, name: string, size: string) => {
      index += 1;
      sizes[`s${index}`] = Number(size);
      return `${name}: $s${index}`;
    });
    const declared = Object.keys(sizes)
      .map((name) => `$${name}: Int`)
      .join(', ');
    const withVariables =
      index === 0
        ? query
        : body.replace(/^(subscription )?\{/, (_match, kind?: string) => `${kind ?? 'query '}(${declared}) {`);
    const { cost, constant } = priced(withVariables, sizes);
    expect(cost).toBe(armorCost(query));
    expect(constant).toBe(index === 0);
  });

  it("prices a variable's default, a schema default, and the default page when no size is given", () => {
    const page = '{ nodes { id } }';
    const onePage = priced(`{ users(first: 1) ${page} }`).cost;
    expect(priced(`query($n: Int = 30) { users(first: $n) ${page} }`).cost).toBe(30 * onePage);
    expect(priced(`query($n: Int = 30) { users(first: $n) ${page} }`, { n: 2 }).cost).toBe(2 * onePage);
    // An explicit null is no size: the connection's default page.
    expect(priced(`query($n: Int = 30) { users(first: $n) ${page} }`, { n: null }).cost).toBe(20 * onePage);
    expect(priced(`{ users ${page} }`).cost).toBe(20 * onePage);
    // `riskByDay(days: Int = 30)` and `auditLog(first: Int = 100)` run with their schema defaults.
    const day = priced('{ user(id: "a") { riskByDay(days: 1) { day } } }').cost;
    expect(priced('{ user(id: "a") { riskByDay { day } } }').cost).toBe(2 + 1.5 * ((day - 2) / 1.5) * 30);
    expect(priced('{ auditLog { id } }').cost).toBe(priced('{ auditLog(first: 100) { id } }').cost);
    // The larger of `first` and `last`; nonsense sizes are left to the argument's own checks.
    expect(priced('query($l: Int) { users(first: 2, last: $l) { nodes { id } } }', { l: 50 }).cost).toBe(50 * onePage);
    expect(priced('query($l: Int) { users(last: $l) { nodes { id } } }', { l: -5 }).cost).toBe(onePage);
  });
});

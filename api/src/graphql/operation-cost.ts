import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/** How an operation is priced: GraphQL Armor's cost model, with the sizes it runs with. */
export interface CostModel {
  /** A field with a selection set. */
  objectCost: number;
  /** A leaf field. */
  scalarCost: number;
  /** Each level of nesting multiplies what is under it by this. */
  depthCostFactor: number;
  /** Arguments that say how many items a list field returns (`first`, `last`, …): the largest multiplies the field. */
  sizeArguments: ReadonlySet<string>;
  /** What a field with size arguments returns when none is given and the schema has no default (a connection's page). */
  defaultSize: number;
}

export type VariableValues = Readonly<Record<string, unknown>> | null | undefined;

/**
 * An operation's cost: a number when it depends on no variable, otherwise a
 * function of the request's variable values. Parts of the document that use
 * no variable are priced once, when the operation is compiled.
 */
export type OperationCost = number | ((variables: VariableValues) => number);

export function costOf(cost: OperationCost, variables: VariableValues): number {
  return typeof cost === 'number' ? cost : cost(variables);
}

type Size = number | null | ((variables: VariableValues) => number | null);

/**
 * Prices `operation` as GraphQL Armor's cost limit does (a field costs its own
 * weight plus `depthCostFactor` times its children, all times its page size),
 * except that a page size may come from a variable, a variable's default, the
 * argument's default in the schema or, failing all three, `defaultSize`: the
 * size the field actually runs with. The size asked for is priced even where
 * the resolver caps it, so asking for far more than a page is refused.
 */
export function compileOperationCost(
  schema: GraphQLSchema,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  operation: OperationDefinitionNode,
  model: CostModel,
): OperationCost {
  const variableDefaults = new Map<string, number | null>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue !== undefined) {
      variableDefaults.set(definition.variable.name.value, literalSize(definition.defaultValue));
    }
  }
  const fragmentCosts = new Map<string, OperationCost>();

  function argumentSize(value: ValueNode): Size {
    if (value.kind !== Kind.VARIABLE) return literalSize(value);
    const name = value.name.value;
    const fallback = variableDefaults.has(name) ? (variableDefaults.get(name) ?? null) : undefined;
    return (variables) => {
      if (variables != null && Object.hasOwn(variables, name)) return sizeValue(variables[name]);
      return fallback ?? null;
    };
  }

  function fieldSize(node: FieldNode, definition: GraphQLField<unknown, unknown> | undefined): OperationCost {
    const given: Size[] = [];
    for (const argument of node.arguments ?? []) {
      if (model.sizeArguments.has(argument.name.value)) given.push(argumentSize(argument.value));
    }
    const sizeArgs = definition?.args.filter((arg) => model.sizeArguments.has(arg.name)) ?? [];
    if (given.length === 0 && sizeArgs.length === 0) return 1;
    // What the field runs with when no size reaches it (none given, null, or a variable left out).
    const schemaDefault = sizeArgs.map((arg) => sizeValue(arg.defaultValue)).find((size) => size !== null);
    const unsized = schemaDefault ?? (sizeArgs.length > 0 ? model.defaultSize : 1);
    if (given.every((size) => typeof size !== 'function')) return largest(given as Array<number | null>, unsized);
    return (variables) =>
      largest(
        given.map((size) => (typeof size === 'function' ? size(variables) : size)),
        unsized,
      );
  }

  /** A selection's own cost, before its parent's depth factor. */
  function selectionPart(selection: SelectionNode, parent: GraphQLNamedType | undefined): OperationCost {
    if (selection.kind === Kind.FIELD) return fieldCost(selection, parent);
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
      return add(model.objectCost, selectionsCost(selection.selectionSet, type ?? undefined));
    }
    return add(model.scalarCost, scale(fragmentCost(selection.name.value), model.depthCostFactor));
  }

  /** The children of a field or fragment: each one level deeper. */
  function selectionsCost(selections: SelectionSetNode, parent: GraphQLNamedType | undefined): OperationCost {
    return sum(
      selections.selections.map((selection) => scale(selectionPart(selection, parent), model.depthCostFactor)),
    );
  }

  function fragmentCost(name: string): OperationCost {
    const known = fragmentCosts.get(name);
    if (known !== undefined) return known;
    // Validation refuses unknown and cyclic fragments before anything is priced.
    fragmentCosts.set(name, 0);
    const fragment = fragments.get(name);
    if (fragment === undefined) return 0;
    const type = schema.getType(fragment.typeCondition.name.value) ?? undefined;
    const cost = add(model.objectCost, selectionsCost(fragment.selectionSet, type));
    fragmentCosts.set(name, cost);
    return cost;
  }

  function fieldCost(node: FieldNode, parent: GraphQLNamedType | undefined): OperationCost {
    // Introspection is priced as free, as Armor prices it.
    if (node.name.value === '__schema') return 0;
    if (node.selectionSet === undefined) return model.scalarCost;
    const definition =
      parent !== undefined && (isObjectType(parent) || isInterfaceType(parent))
        ? parent.getFields()[node.name.value]
        : undefined;
    const children = selectionsCost(node.selectionSet, definition ? getNamedType(definition.type) : undefined);
    return multiply(add(model.objectCost, children), fieldSize(node, definition));
  }

  const root = schema.getRootType(operation.operation) ?? undefined;
  return sum(operation.selectionSet.selections.map((selection) => selectionPart(selection, root)));
}

function literalSize(value: ValueNode): number | null {
  return value.kind === Kind.INT ? sizeValue(Number.parseInt(value.value, 10)) : null;
}

/** A size as given: a number, or null for anything else (which fails the argument's own checks). */
function sizeValue(value: unknown): number | null {
  return typeof value === 'number' && !Number.isNaN(value) ? value : null;
}

function largest(sizes: Array<number | null>, unsized: number): number {
  let found: number | null = null;
  for (const size of sizes) if (size !== null) found = found === null ? size : Math.max(found, size);
  return Math.max(1, found ?? unsized);
}

function add(own: number, children: OperationCost): OperationCost {
  return typeof children === 'number' ? own + children : (variables) => own + children(variables);
}

function scale(cost: OperationCost, factor: number): OperationCost {
  return typeof cost === 'number' ? cost * factor : (variables) => cost(variables) * factor;
}

function multiply(cost: OperationCost, size: OperationCost): OperationCost {
  if (typeof cost === 'number' && typeof size === 'number') return cost * size;
  return (variables) => costOf(cost, variables) * costOf(size, variables);
}

function sum(parts: OperationCost[]): OperationCost {
  let constant = 0;
  const variable: Array<(variables: VariableValues) => number> = [];
  for (const part of parts) {
    if (typeof part === 'number') constant += part;
    else variable.push(part);
  }
  if (variable.length === 0) return constant;
  return (variables) => variable.reduce((total, part) => total + part(variables), constant);
}

import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  type DocumentNode,
  type ExecutionArgs,
  type FragmentDefinitionNode,
  GraphQLError,
  getOperationAST,
  Kind,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { DEFAULT_PAGE_SIZE } from './builder.ts';
import { type CostModel, compileOperationCost, costOf, type OperationCost } from './operation-cost.ts';

export interface DocumentLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxDirectives: number;
}

/** GraphQL Armor's default weights; `days` sizes `riskByDay` as `first` sizes a page. */
export const COST_MODEL: CostModel = {
  objectCost: 2,
  scalarCost: 1,
  depthCostFactor: 1.5,
  sizeArguments: new Set(['first', 'last', 'limit', 'days']),
  defaultSize: DEFAULT_PAGE_SIZE,
};

/**
 * GraphQL Armor's depth, alias and directive limits, checked once per
 * distinct document: they depend only on the document, and Yoga's parser
 * cache hands back the same document object for the same query text.
 * Walking every request's document with these rules measured as about a
 * fifth of a cached read's time.
 *
 * The cost limit depends on the variables too (`first: $first`), so it is
 * checked as each operation starts to execute or subscribe, over HTTP, SSE
 * and WebSocket alike. Each operation is compiled once per document into
 * its cost, a number when no page size comes from a variable; otherwise
 * only the variable parts are priced per request.
 */
export function useDocumentLimits(limits: DocumentLimits): Plugin {
  const rules = [
    maxDepthRule({ n: limits.maxDepth }),
    maxAliasesRule({ n: limits.maxAliases }),
    maxDirectivesRule({ n: limits.maxDirectives }),
  ];
  const passed = new WeakSet<DocumentNode>();
  const costs = new WeakMap<DocumentNode, Map<string | null, OperationCost | null>>();

  function operationCost(args: ExecutionArgs): OperationCost | null {
    let byName = costs.get(args.document);
    if (byName === undefined) {
      byName = new Map();
      costs.set(args.document, byName);
    }
    const name = args.operationName ?? null;
    let cost = byName.get(name);
    if (cost === undefined) {
      // No such operation: the executor answers that itself.
      const operation = getOperationAST(args.document, name);
      cost =
        operation == null ? null : compileOperationCost(args.schema, fragmentsOf(args.document), operation, COST_MODEL);
      byName.set(name, cost);
    }
    return cost;
  }

  function refusal(args: ExecutionArgs): { errors: GraphQLError[] } | null {
    const cost = operationCost(args);
    if (cost === null) return null;
    const found = costOf(cost, args.variableValues);
    if (found <= limits.maxCost) return null;
    return {
      errors: [
        new GraphQLError(
          `Query cost limit of ${limits.maxCost} exceeded, found ${Math.round(found)} with the page sizes asked for.`,
          { extensions: { code: 'COST_LIMIT_EXCEEDED', http: { status: 400 } } },
        ),
      ],
    };
  }

  return {
    onValidate({ params, addValidationRule }) {
      if (passed.has(params.documentAST)) return;
      for (const rule of rules) addValidationRule(rule);
      return ({ valid }) => {
        if (valid) passed.add(params.documentAST);
      };
    },
    onExecute({ args, setResultAndStopExecution }) {
      const refused = refusal(args);
      if (refused !== null) setResultAndStopExecution(refused);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refused = refusal(args);
      if (refused !== null) setResultAndStopExecution(refused);
    },
  };
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

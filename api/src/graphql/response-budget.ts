import { handleStreamOrSingleExecutionResult, type Plugin } from '@envelop/core';
import {
  defaultFieldResolver,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  getNamedType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { createGraphQLError } from 'graphql-yoga';

export const RESPONSE_TOO_LARGE = 'RESPONSE_TOO_LARGE';

/**
 * Scalars whose values have no fixed size. Every other leaf (numbers,
 * booleans, timestamps, enum values) takes a few bytes, and the cost limit
 * bounds how many of them one operation can ask for.
 */
const UNBOUNDED_SCALARS = new Set(['String', 'ID', 'JSONObject']);

function tooLarge(maxBytes: number) {
  return createGraphQLError(
    `The response would be larger than ${maxBytes} bytes (MAX_RESPONSE_BYTES): ask for fewer items or fields.`,
    { extensions: { code: RESPONSE_TOO_LARGE } },
  );
}

/** Bytes of one response charged as its values are resolved; throws once past the limit. */
export class ResponseBudget {
  private spent = 0;

  constructor(readonly maxBytes: number) {}

  /** Throws if the budget is already spent, so nothing more is loaded or parsed. */
  check(): void {
    if (this.spent > this.maxBytes) throw tooLarge(this.maxBytes);
  }

  charge(value: unknown): void {
    this.spent += jsonBytes(value, this.maxBytes - this.spent);
    this.check();
  }
}

/**
 * The budgets of one operation: one for a query or mutation, one per event
 * of a subscription (each event is executed with its payload as the root).
 */
export type ResponseBudgets = (root: unknown) => ResponseBudget;

export function responseBudgets(maxBytes: number): ResponseBudgets {
  const whole = new ResponseBudget(maxBytes);
  const perEvent = new WeakMap<object, ResponseBudget>();
  return (root) => {
    if (typeof root !== 'object' || root === null) return whole;
    let budget = perEvent.get(root);
    if (budget === undefined) {
      budget = new ResponseBudget(maxBytes);
      perEvent.set(root, budget);
    }
    return budget;
  };
}

/**
 * About how many bytes `value` takes as JSON (string lengths in UTF-16 code
 * units, a flat 8 per number). Walks without recursion, and stops counting
 * once past `limit`: a huge value costs no more than the budget left.
 */
function jsonBytes(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let total = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0 && total <= limit) {
    const item = pending.pop();
    if (typeof item === 'string') total += item.length + 2;
    else if (typeof item === 'number') total += 8;
    else if (typeof item === 'boolean' || item === null || item === undefined) total += 5;
    else if (Array.isArray(item)) {
      total += 2 + item.length;
      for (const element of item) pending.push(element);
    } else if (typeof item === 'object') {
      total += 2;
      for (const [key, child] of Object.entries(item)) {
        total += key.length + 4;
        pending.push(child);
      }
    }
  }
  return total;
}

type BudgetContext = { responseBudget?: ResponseBudgets };

const charged = new WeakSet<object>();

/**
 * Charges every field whose value has no fixed size (String, ID, JSONObject,
 * and lists of them) to the response budget in the GraphQL context, as it is
 * resolved. Once the budget is spent, such fields throw before resolving,
 * so a huge `meta` is not even parsed. Wraps the schema's resolvers in place,
 * once per schema.
 */
export function chargeResponseBytes(schema: GraphQLSchema): GraphQLSchema {
  if (charged.has(schema)) return schema;
  charged.add(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const leaf = getNamedType(field.type);
      if (!isScalarType(leaf) || !UNBOUNDED_SCALARS.has(leaf.name)) continue;
      field.resolve = charging(field.resolve ?? defaultFieldResolver);
    }
  }
  return schema;
}

function charging(resolve: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, context, info: GraphQLResolveInfo) => {
    const budget = (context as BudgetContext).responseBudget?.(info.rootValue);
    if (budget === undefined) return resolve(source, args, context, info);
    budget.check();
    const value = resolve(source, args, context, info);
    if (isPromiseLike(value)) {
      return value.then((resolved) => {
        budget.charge(resolved);
        return resolved;
      });
    }
    budget.charge(value);
    return value;
  };
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/**
 * A response that ran out of budget is answered with that one error and no
 * data: the part built before the budget ran out is dropped, and the errors
 * of every field refused after it are one.
 */
export function useResponseBudget(): Plugin {
  const onResult = (payload: Parameters<typeof handleStreamOrSingleExecutionResult>[0]) =>
    handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
      const error = result.errors?.find((candidate) => candidate.extensions?.code === RESPONSE_TOO_LARGE);
      if (error === undefined) return;
      setResult({ data: null, errors: [createGraphQLError(error.message, { extensions: error.extensions })] });
    });
  return {
    onExecute() {
      return { onExecuteDone: onResult };
    },
    onSubscribe() {
      return { onSubscribeResult: onResult };
    },
  };
}

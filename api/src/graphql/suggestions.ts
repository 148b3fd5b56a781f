import { handleStreamOrSingleExecutionResult, type Plugin } from '@envelop/core';
import { GraphQLError } from 'graphql';

/**
 * graphql-js ends a message with a suggestion from the schema: ` Did you mean
 * "user" or "users"?`, ` Did you mean the enum value "ADMIN"?`, ` Did you mean
 * to use an inline fragment on "User"?`. Schema names never contain `?`.
 */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;
const SUGGESTS = /Did you mean /;

function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}

/** The errors with suggestions removed, or null when none had one. */
function strip<E extends Error>(errors: readonly E[]): E[] | null {
  if (!errors.some((error) => SUGGESTS.test(error.message))) return null;
  return errors.map((error) => {
    const message = withoutSuggestions(error.message);
    if (message === error.message) return error;
    if (!(error instanceof GraphQLError)) return new Error(message) as E;
    return new GraphQLError(message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      originalError: error.originalError,
      extensions: error.extensions,
    }) as Error as E;
  });
}

/**
 * With introspection off, errors must not describe the schema beyond what the
 * caller wrote: suggestions are removed from validation errors (fields,
 * arguments, types, enum values in literals) and from the errors of
 * executing (enum values and input fields in variables, which are checked
 * as the operation starts), over every transport.
 */
export function useNoSuggestions(): Plugin {
  const onResult = (payload: Parameters<typeof handleStreamOrSingleExecutionResult>[0]) =>
    handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
      const errors = result.errors === undefined ? null : strip(result.errors);
      if (errors !== null) setResult({ ...result, errors });
    });
  return {
    onValidate() {
      return ({ result, setResult }) => {
        const errors = strip(result);
        if (errors !== null) setResult(errors);
      };
    },
    onExecute() {
      return { onExecuteDone: onResult };
    },
    onSubscribe() {
      return { onSubscribeResult: onResult };
    },
  };
}

import { handleStreamOrSingleExecutionResult, type Plugin } from '@envelop/core';
import type { GraphQLError } from 'graphql';

const VARIABLE_ERROR = /^Variable "\$[^"]+" (got invalid value|of required type|of non-null type)/;

function needsCode(error: GraphQLError): boolean {
  return VARIABLE_ERROR.test(error.message) && error.extensions?.code === undefined;
}

/**
 * graphql-js reports a variable that fails its type (a malformed DateTime, a
 * missing required input field) without an error code. Clients branch on codes,
 * so those errors get `BAD_USER_INPUT`, like every other input error here.
 */
export function useBadUserInputCodes(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone(payload) {
          return handleStreamOrSingleExecutionResult(payload, ({ result }) => {
            for (const error of result.errors ?? []) {
              // Tagged in place, keeping the error's locations and message as graphql-js wrote them.
              if (needsCode(error)) Object.assign(error.extensions, { code: 'BAD_USER_INPUT' });
            }
          });
        },
      };
    },
  };
}

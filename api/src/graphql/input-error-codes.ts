import { handleStreamOrSingleExecutionResult, type Plugin } from '@envelop/core';
import type { GraphQLError } from 'graphql';

const VARIABLE_ERROR = /^Variable "\$[^"]+" (got invalid value|of required type|of non-null type)/;

/** Pothos's own argument checks: a negative `first`, a cursor it cannot read. */
function isPothosValidation(error: GraphQLError): boolean {
  return error.name === 'PothosValidationError' || error.originalError?.name === 'PothosValidationError';
}

function needsCode(error: GraphQLError): boolean {
  return error.extensions?.code === undefined && (VARIABLE_ERROR.test(error.message) || isPothosValidation(error));
}

/**
 * graphql-js reports a variable that fails its type (a malformed DateTime, a
 * missing required input field), and Pothos a bad paging argument, without an
 * error code. Clients branch on codes, so those errors get `BAD_USER_INPUT`,
 * like every other input error here.
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

import { createGraphQLError, type GraphQLParams, type Plugin } from 'graphql-yoga';
import { nestsDeeperThan } from '../domain/json-depth.ts';

/**
 * Deepest nesting of objects and arrays a variable may have, counting the
 * variable itself. Input types here nest three levels at most (`$e`, `meta`,
 * `extra`), and an event's meta is held to its own, smaller depth limit; this
 * one keeps every variable shallow enough for the code that reads it
 * whole (coercion, the response cache's key) to stay far from the stack limit.
 */
export const MAX_VARIABLE_DEPTH = 64;

/** The first variable nested deeper than `maxDepth`, or null. Walks without recursion: the value may be deeper than the stack. */
function tooDeepVariable(variables: unknown, maxDepth = MAX_VARIABLE_DEPTH): string | null {
  if (typeof variables !== 'object' || variables === null) return null;
  for (const [name, value] of Object.entries(variables)) {
    if (nestsDeeperThan(value, maxDepth)) return name;
  }
  return null;
}

function tooDeepError(name: string, maxDepth: number) {
  return createGraphQLError(`Variable "$${name}" nests objects and arrays more than ${maxDepth} levels deep.`, {
    extensions: { code: 'BAD_USER_INPUT', field: name, http: { status: 400 } },
  });
}

/**
 * Refuses a request whose variables nest deeper than `maxDepth` with
 * BAD_USER_INPUT (HTTP 400). Over HTTP the check runs as soon as the request
 * is parsed, before any plugin reads the variables; over WebSocket, where no
 * HTTP request is parsed, as the operation starts.
 */
export function useVariableDepthLimit(maxDepth = MAX_VARIABLE_DEPTH): Plugin {
  const refusal = (variables: unknown) => {
    const name = tooDeepVariable(variables, maxDepth);
    return name === null ? null : { errors: [tooDeepError(name, maxDepth)] };
  };
  return {
    onRequestParse() {
      return {
        onRequestParseDone({ requestParserResult }) {
          const all: GraphQLParams[] = Array.isArray(requestParserResult) ? requestParserResult : [requestParserResult];
          for (const params of all) {
            const refused = refusal(params.variables);
            if (refused !== null) throw refused.errors[0];
          }
        },
      };
    },
    onExecute({ args, setResultAndStopExecution }) {
      const refused = refusal(args.variableValues);
      if (refused !== null) setResultAndStopExecution(refused);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refused = refusal(args.variableValues);
      if (refused !== null) setResultAndStopExecution(refused);
    },
  };
}

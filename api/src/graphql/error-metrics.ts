import type { Plugin } from 'graphql-yoga';
import type { Metrics } from '../services/metrics.ts';

/**
 * Counts GraphQL errors by their code (FORBIDDEN, BAD_USER_INPUT, …) as
 * rejected requests: GraphQL answers most refusals with HTTP 200, so the
 * front door's status counts alone would miss them.
 */
export function useErrorMetrics(metrics: Metrics): Plugin {
  return {
    onExecutionResult({ result }) {
      if (result === undefined || Symbol.asyncIterator in result) return;
      for (const error of result.errors ?? []) {
        const code = error.extensions?.code;
        metrics.rejected.inc({ reason: `graphql:${typeof code === 'string' ? code : 'error'}` });
      }
    },
  };
}

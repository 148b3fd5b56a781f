import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import type { DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * The query cost limit, checked once per distinct document. The cost depends
 * only on the document, and Yoga's parser cache hands back the same document
 * object for the same query text, so a document that passed once passes
 * again. Computing the cost on every request measured as about a fifth of a
 * cached read's time.
 */
export function useCostLimitOncePerDocument(maxCost: number): Plugin {
  const rule = costLimitRule({ maxCost });
  const passed = new WeakSet<DocumentNode>();
  return {
    onValidate({ params, addValidationRule }) {
      if (passed.has(params.documentAST)) return;
      addValidationRule(rule);
      return ({ valid }) => {
        if (valid) passed.add(params.documentAST);
      };
    },
  };
}

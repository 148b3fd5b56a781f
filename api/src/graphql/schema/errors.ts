import { GraphQLError } from 'graphql';
import { describeIssues, type FieldIssue } from '../../domain/event-input.ts';
import { builder } from '../builder.ts';

/** Input that failed validation; carries every offending field. */
export class InputValidationError extends Error {
  readonly issues: FieldIssue[];

  constructor(issues: FieldIssue[]) {
    super(describeIssues(issues));
    this.name = 'InputValidationError';
    this.issues = issues;
  }
}

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'A problem the client can act on, returned as part of a result union.',
  fields: (t) => ({
    message: t.exposeString('message'),
  }),
});

const FieldIssueRef = builder.objectRef<FieldIssue>('FieldIssue').implement({
  description: 'One invalid field.',
  fields: (t) => ({
    field: t.exposeString('field', {
      description: "Path of the field in the operation's arguments, e.g. `input.meta.ip` or `inputs[3].userId`.",
    }),
    path: t.stringList({
      description: 'The same path as a list of segments.',
      resolve: (issue) =>
        issue.field
          .replace(/\[(\d+)\]/g, '.$1')
          .split('.')
          .filter(Boolean),
    }),
    message: t.exposeString('message'),
  }),
});

export const ValidationErrorRef = builder.objectType(InputValidationError, {
  name: 'ValidationError',
  description: 'The input was rejected and nothing was stored. `issues` names every bad field.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InputValidationError,
  fields: (t) => ({
    code: t.string({ resolve: () => 'BAD_USER_INPUT' }),
    issues: t.field({ type: [FieldIssueRef], resolve: (error) => error.issues }),
  }),
});

/** A bad query argument, as a GraphQL error the client can act on (it survives error masking). */
export function badUserInput(field: string, message: string): GraphQLError {
  return new GraphQLError(`${field}: ${message}`, { extensions: { code: 'BAD_USER_INPUT', field } });
}

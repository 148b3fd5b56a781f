import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError, Kind } from 'graphql';
import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import { can, roleKey } from '../domain/api-key.ts';
import type PrismaTypes from '../generated/pothos-prisma-types.ts';
import { getDatamodel } from '../generated/pothos-prisma-types.ts';
import { prisma } from '../storage/db.ts';
import type { Context } from './context.ts';

/** Largest page any connection returns, whatever `first`/`last` asks for. */
export const MAX_PAGE_SIZE = 100;
/** The page a connection returns when neither `first` nor `last` is given (the cost limit prices it so). */
export const DEFAULT_PAGE_SIZE = 20;

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  /** What the caller's role grants (domain/api-key.ts); each field says which it needs. */
  AuthScopes: { ingest: boolean; read: boolean; triage: boolean; admin: boolean };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
    EventTime: { Input: string | number; Output: never };
  };
}>({
  // Scope auth first, so no other plugin's wrapper runs before the check;
  // the errors plugin must come before the Prisma plugin.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin],
  scopeAuth: {
    // A subscription is refused when it starts, not at its first event.
    authorizeOnSubscribe: true,
    authScopes: ({ principal }) => ({
      ingest: principal !== null && can(principal.role, 'ingest'),
      read: principal !== null && can(principal.role, 'read'),
      triage: principal !== null && can(principal.role, 'triage'),
      admin: principal !== null && can(principal.role, 'admin'),
    }),
    unauthorizedError: (_parent, { principal }, info) =>
      principal === null
        ? new GraphQLError('an API key is required', { extensions: { code: 'UNAUTHENTICATED' } })
        : new GraphQLError(`${roleKey(principal.role)} may not use ${info.parentType.name}.${info.fieldName}`, {
            extensions: { code: 'FORBIDDEN' },
          }),
  },
  defaultFieldNullability: false,
  prisma: {
    client: () => prisma(),
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    // Forgetting to spread `query` silently costs extra statements: fail loudly under test.
    onUnusedQuery: process.env.VITEST ? 'error' : null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesOnConnection: true,
  },
  errors: {
    defaultTypes: [],
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('JSONObject', JSONObjectResolver);
builder.scalarType('EventTime', {
  description:
    'An event time as sent by a producer: an ISO-8601 string (no offset = UTC) or epoch milliseconds (number or digit string). Checked by the same rules as the REST API.',
  serialize: () => {
    throw new Error('EventTime is an input type');
  },
  parseValue: (value) => {
    if (typeof value === 'string' || typeof value === 'number') return value;
    throw new GraphQLError('EventTime must be a string or a number');
  },
  parseLiteral: (ast) => {
    if (ast.kind === Kind.STRING) return ast.value;
    if (ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return Number(ast.value);
    throw new GraphQLError('EventTime must be a string or a number');
  },
});

// Reading is the default for every query and subscription; mutations say
// per field what they need, as do the admin-only queries.
builder.queryType({ authScopes: { read: true } });
builder.mutationType({});
builder.subscriptionType({ authScopes: { read: true } });

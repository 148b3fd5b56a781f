import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import { GraphQLError, Kind } from 'graphql';
import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import type PrismaTypes from '../generated/pothos-prisma-types.ts';
import { getDatamodel } from '../generated/pothos-prisma-types.ts';
import { prisma } from '../storage/db.ts';
import type { Context } from './context.ts';

/** Largest page any connection returns, whatever `first`/`last` asks for. */
export const MAX_PAGE_SIZE = 100;

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
    EventTime: { Input: string | number; Output: never };
  };
}>({
  // The errors plugin must come before the Prisma plugin.
  plugins: [ErrorsPlugin, PrismaPlugin, RelayPlugin],
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

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

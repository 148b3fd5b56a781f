import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';

/**
 * The GraphQL framework's own speed: a bare Yoga server answering `{ hello }`,
 * default settings but for the body limit. Yoga's streams every request body
 * through a TransformStream; the API checks its limit without that (body-limit.ts),
 * so the baseline goes without it too: with it, bare Yoga ran at a third of this speed.
 */
const yoga = createYoga({
  schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }),
  logging: false,
  graphiql: false,
  maxRequestBodySize: false,
});

createServer(yoga).listen(Number(process.env.PORT), '127.0.0.1');

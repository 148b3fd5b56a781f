import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';

/** The GraphQL framework's own speed: a bare Yoga server, default settings, answering `{ hello }`. */
const yoga = createYoga({
  schema: createSchema({ typeDefs: 'type Query { hello: String! }', resolvers: { Query: { hello: () => 'world' } } }),
  logging: false,
  graphiql: false,
});

createServer(yoga).listen(Number(process.env.PORT), '127.0.0.1');

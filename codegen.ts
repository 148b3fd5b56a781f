// GraphQL code generation (graphql-codegen) for the dashboard's urql hooks.
// It reads the printed API schema and the dashboard's own documents; the
// targets are added together with the GraphQL API and the dashboard.
const config = {
  schema: 'api/schema.graphql',
  documents: ['dashboard/**/*.graphql'],
  generates: {},
};

export default config;

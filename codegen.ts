import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed urql hooks for the dashboard, from the committed API schema and the
// dashboard's own .graphql documents (kept next to the components using them).
// `npm run codegen` writes them; `npm run codegen:check` fails when they are stale.
const config: CodegenConfig = {
  schema: 'api/schema.graphql',
  documents: ['dashboard/src/**/*.graphql'],
  generates: {
    'dashboard/src/generated/graphql.ts': {
      plugins: ['typescript-operations', 'typescript-urql'],
      config: {
        urqlImportFrom: '@urql/next',
        withHooks: true,
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: {
          DateTime: 'string',
          JSONObject: 'Record<string, unknown>',
          EventTime: 'string | number',
        },
      },
    },
  },
};

export default config;

import type { CodegenConfig } from '@graphql-codegen/cli';

// Both targets read the committed API schema. `npm run codegen` writes them;
// `npm run codegen:check` fails when they are stale or a document does not
// validate against the schema.
const scalars = {
  DateTime: 'string',
  JSONObject: 'Record<string, unknown>',
  EventTime: 'string | number',
};

const config: CodegenConfig = {
  schema: 'api/schema.graphql',
  // In TypeScript files only `graphql(...)` calls are documents. Raw strings
  // marked /* GraphQL */ for editors stay out: some tests send deliberately
  // invalid operations, and those must not fail the build.
  pluckConfig: { globalGqlIdentifierName: 'graphql', gqlMagicComment: 'graphql-codegen document' },
  generates: {
    // Typed urql hooks for the dashboard, from its own .graphql documents
    // (kept next to the components using them).
    'dashboard/src/generated/graphql.ts': {
      documents: ['dashboard/src/**/*.graphql'],
      plugins: ['typescript-operations', 'typescript-urql'],
      config: {
        urqlImportFrom: '@urql/next',
        withHooks: true,
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars,
      },
    },
    // Typed documents for the producer SDK's ready-made reads (sdk/src/operations.graphql).
    'sdk/src/generated/': {
      documents: ['sdk/src/**/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, strictScalars: true, scalars, importExtension: '.ts' },
    },
    // Typed documents for the API tests: the `graphql()` tag their operations
    // are written in, each operation's result and variables types.
    'api/test/generated/': {
      documents: ['api/test/**/*.ts', '!api/test/generated/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars,
        importExtension: '.ts',
      },
    },
  },
};

export default config;

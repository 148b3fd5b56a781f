import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { type GraphQLResponse, rawGql } from '../support/graphql.ts';

// With introspection off the schema is not for browsing, so no error may name
// what the caller did not already write: no "Did you mean …?".
// One API per process: the server with introspection off runs first, then one with it on.
const tmp = tempDir();
let server: RunningApi;

function serve(env: Record<string, string>, file: string): void {
  beforeAll(async () => {
    server = await startApi(join(tmp.dir, file), env);
  });
  afterAll(async () => {
    await server.stop();
  });
}

afterAll(() => tmp.cleanup());

const MISTAKES: Array<[string, string, Record<string, unknown>, string]> = [
  ['a wrong enum value in a literal', 'mutation { createApiKey(role: ADMN) { key } }', {}, 'ADMN'],
  ['a wrong enum value in a variable', 'mutation($r: Role!) { createApiKey(role: $r) { key } }', { r: 'ADMN' }, 'ADMN'],
  ['a misspelt field', '{ usr(id: "a") { id } }', {}, 'usr'],
  ['a misspelt argument', '{ users(frist: 2) { totalCount } }', {}, 'frist'],
  ['a misspelt type', 'query($r: Rol) { viewer { role } }', {}, 'Rol'],
  [
    'a misspelt input field in a variable',
    'mutation($e: EventInput!) { ingestEvent(input: $e) { __typename } }',
    { e: { usrId: 'a', kind: 'login' } },
    'usrId',
  ],
];

function messages(res: GraphQLResponse<unknown>): string {
  return (res.errors ?? []).map((error) => error.message).join('\n');
}

describe('validation suggestions with introspection off', () => {
  serve({ GRAPHQL_INTROSPECTION: 'false' }, 'closed.db');

  it.each(MISTAKES)('%s: the error names the mistake, suggests nothing', async (_name, query, variables, mistake) => {
    const res = await rawGql(server, query, variables);
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(messages(res)).toContain(mistake);
    expect(messages(res)).not.toMatch(/did you mean/i);
  });

  it('suggests nothing over WebSocket either', async () => {
    const client = createClient({
      url: `${server.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    try {
      const refusals: string[] = [];
      for (const [, query, variables] of MISTAKES) {
        const result = client.iterate({ query, variables });
        try {
          const { value } = await result.next();
          refusals.push(messages(value as GraphQLResponse<unknown>));
        } catch (errors) {
          // Validation errors arrive as graphql-ws `error` messages.
          refusals.push(JSON.stringify(errors));
        }
      }
      expect(refusals).toHaveLength(MISTAKES.length);
      for (const [index, [, , , mistake]] of MISTAKES.entries()) {
        expect(refusals[index]).toContain(mistake);
        expect(refusals[index]).not.toMatch(/did you mean/i);
      }
    } finally {
      await client.dispose();
    }
  });
});

describe('validation suggestions with introspection on', () => {
  serve({}, 'open.db');

  it.each(MISTAKES)('%s: suggested while introspection is on', async (_name, query, variables) => {
    expect(messages(await rawGql(server, query, variables))).toMatch(/did you mean/i);
  });
});

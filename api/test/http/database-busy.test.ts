import { join } from 'node:path';
import Database from 'better-sqlite3';
import { print } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { gql } from '../support/graphql.ts';

const tmp = tempDir();
let server: RunningApi | undefined;

afterAll(async () => {
  await server?.stop();
  tmp.cleanup();
});

const INGEST = graphql(`
  mutation IngestWhileBusy($e: EventInput!) {
    ingestEvent(input: $e) { __typename }
  }
`);

describe('a database locked by another connection', () => {
  // The writer waits out its 5-second busy timeout (blocking, as SQLite does) for each attempt.
  it('answers 503 + Retry-After on REST and DATABASE_BUSY on GraphQL, stores nothing, and takes the retry', async () => {
    server = await startApi(join(tmp.dir, 'busy.db'));
    const other = new Database(server.dbFile);
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      const rest = await server.post('/ingest', { user_id: 'rest-user', kind: 'login' });
      expect(rest.status).toBe(503);
      expect(rest.headers.get('retry-after')).toBe('1');
      expect(await rest.json()).toMatchObject({ ok: false, error: 'busy' });

      const graphql = await server.post('/graphql', {
        query: print(INGEST),
        variables: { e: { userId: 'gql-user', kind: 'login' } },
      });
      expect(graphql.status).toBe(503);
      expect(graphql.headers.get('retry-after')).toBe('1');
      const answer = (await graphql.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
      expect(answer.errors[0]?.extensions.code).toBe('DATABASE_BUSY');
      expect(answer.errors[0]?.message).toBe('database is busy; retry');
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    for (const user of ['rest-user', 'gql-user']) expect((await server.fetch(`/drift/${user}`)).status).toBe(404);

    expect((await server.post('/ingest', { user_id: 'rest-user', kind: 'login' })).status).toBe(200);
    const retried = await gql(server, INGEST, { e: { userId: 'gql-user', kind: 'login' } });
    expect(retried.errors).toBeUndefined();
    for (const user of ['rest-user', 'gql-user']) {
      expect(await (await server.fetch(`/drift/${user}`)).json()).toMatchObject({ events: 1 });
    }
  }, 30_000);
});

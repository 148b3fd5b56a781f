import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.ts';
import { startApiOn } from '../support/api.ts';
import { gql } from '../support/graphql.ts';
import { PostgresFixture } from '../support/postgres.ts';

// A database created with a language collation (ICU en-US puts "alice" before
// "Bob"): user ids still sort byte by byte, as on SQLite, so a walk that breaks
// ties by id meets every user once.

const postgres = new PostgresFixture();

beforeAll(() => postgres.start(), 600_000);
afterAll(() => postgres.stop());

const TIED = graphql(`
  query TiedUsers($first: Int, $after: String, $search: String) {
    users(first: $first, after: $after, orderBy: EVENT_COUNT, search: $search) {
      pageInfo { hasNextPage endCursor }
      nodes { id }
    }
  }
`);

describe('user ids on a database with a language collation', () => {
  it('sort byte by byte: a walk through users tied on their counts meets each once', async () => {
    const admin = new pg.Client({ connectionString: postgres.server.url });
    await admin.connect();
    await admin.query(
      `CREATE DATABASE english TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.utf8'`,
    );
    await admin.end();
    const api = await startApiOn(postgres.server.url.replace(/\/[^/]*$/, '/english'));
    try {
      const ids = ['alice', 'Bob', 'carol', 'Dave', 'eve', 'Frank'];
      const res = await api.post(
        '/ingest',
        ids.map((id) => ({ user_id: id, kind: 'login', meta: { browser: 'chrome' } })),
      );
      expect(res.status).toBe(200);
      const seen: string[] = [];
      let after: string | null | undefined;
      do {
        const { data, errors } = await gql(api, TIED, { first: 2, after });
        expect(errors).toBeUndefined();
        seen.push(...(data?.users.nodes.map((node) => node.id) ?? []));
        after = data?.users.pageInfo.hasNextPage ? data.users.pageInfo.endCursor : null;
      } while (after);
      expect(seen).toEqual(['Bob', 'Dave', 'Frank', 'alice', 'carol', 'eve']);
      // The id search ignores the case of ASCII letters, as on SQLite.
      const found = await gql(api, TIED, { first: 10, search: 'BO' });
      expect(found.data?.users.nodes).toEqual([{ id: 'Bob' }]);
    } finally {
      await api.stop();
    }
  });
});

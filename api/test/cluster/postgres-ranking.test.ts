import { print } from 'graphql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresRankingWalkQuery, PostgresRankingWalkQueryVariables } from '../generated/graphql.ts';
import { graphql } from '../generated/index.ts';
import { clusterFixture } from '../support/cluster.ts';
import type { GraphQLResponse } from '../support/graphql.ts';
import type { ApiProcess } from '../support/process.ts';
import { rankingLogins } from '../support/ranking-logins.ts';

// Two API processes on one PostgreSQL database and one Redis: a walk through
// a ranking begun on one node, its pages turned on either, meets every user
// who existed at its first page exactly once, forward and back, while the
// other node's ingest moves them; a node's restart does not end it; an idle
// walk expires on every node.

const cluster = clusterFixture();
let url: string;
let session: pg.Client;
let a: ApiProcess;
let b: ApiProcess;

const startNode = () => cluster.node(url);

beforeAll(async () => {
  url = await cluster.postgres.database('ranking');
  // Started together on an empty database: one migrates, the other waits for it.
  [a, b] = await Promise.all([startNode(), startNode()]);
  session = new pg.Client({ connectionString: url });
  await session.connect();
}, 600_000);

afterAll(async () => {
  await session?.end();
});

const DAY = 86_400_000;
const { history, takeover, newBrowser } = rankingLogins('k');

async function ingest(node: ApiProcess, events: unknown[]): Promise<void> {
  const res = await fetch(`${node.url}/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
}

const WALK = graphql(`
  query PostgresRankingWalk($first: Int, $after: String, $last: Int, $before: String, $orderBy: UserOrder, $search: String) {
    users(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy, search: $search) {
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { id }
    }
  }
`);

/** One page of a ranking from `node`. */
async function users(
  node: ApiProcess,
  variables: PostgresRankingWalkQueryVariables,
): Promise<GraphQLResponse<PostgresRankingWalkQuery>> {
  const res = await fetch(`${node.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: print(WALK), variables }),
  });
  return (await res.json()) as GraphQLResponse<PostgresRankingWalkQuery>;
}

/** A page that must come: its ids and page info. */
async function page(node: ApiProcess, variables: PostgresRankingWalkQueryVariables) {
  const { data, errors } = await users(node, variables);
  expect(errors).toBeUndefined();
  const connection = data?.users as PostgresRankingWalkQuery['users'];
  return { ids: connection.nodes.map((user) => user.id), info: connection.pageInfo };
}

/** Makes a walk look idle for `minutes` on the database's clock, which every node judges it by. */
async function idleFor(cursor: string | null | undefined, minutes: number): Promise<void> {
  const walk = JSON.parse(Buffer.from(cursor as string, 'base64url').toString('utf8')).asOf;
  const { rowCount } = await session.query(
    `UPDATE "RankWalk" SET "lastUsed" = clock_timestamp() - $2 * interval '1 minute' WHERE id = $1`,
    [walk, minutes],
  );
  expect(rowCount).toBe(1);
}

describe('a walk through a ranking on two API nodes sharing PostgreSQL', () => {
  const walkers = Array.from({ length: 16 }, (_, i) => `walker-${String(i).padStart(2, '0')}`);
  const now = Date.now();

  beforeAll(async () => {
    await ingest(
      b,
      walkers.flatMap((user, i) => history(user, now - 2 * DAY, 10 + i)),
    );
    // A spread of risk: every third user saw something new yesterday, two were taken over.
    await ingest(a, [
      ...walkers.filter((_, i) => i % 3 === 0).flatMap((user) => newBrowser(user, now - DAY)),
      ...takeover('walker-05', now - DAY),
      ...takeover('walker-10', now - DAY),
    ]);
  }, 120_000);

  it.each(['RISK', 'EVENT_COUNT'] as const)(
    'meets every user exactly once by %s, forward and back, while the other node moves them and restarts',
    async (orderBy) => {
      const search = 'walker-';
      // Everyone the walk should meet: the users matching when it begins (an earlier walk added some).
      const expected = (await page(a, { first: 100, orderBy, search })).ids;
      expect(expected).toEqual(expect.arrayContaining(walkers));
      // Pages on A, B, A, …; between pages B stores takeovers of users not met yet (up), new browsers
      // for users met (up or down), and a user who was not there when the walk began.
      let turn = 0;
      const next = () => [a, b][turn++ % 2] as ApiProcess;
      let round = 0;
      const move = async (met: readonly string[]) => {
        round += 1;
        const at = now + round * 60_000;
        await ingest(b, [
          ...walkers
            .filter((user) => !met.includes(user))
            .slice(-2)
            .flatMap((user) => takeover(user, at)),
          ...met.slice(-2).flatMap((user) => newBrowser(user, at)),
          ...history(`walker-new-${orderBy}-${round}`, at, 30),
        ]);
        // B starts again halfway through: the walk goes on, on the new process too.
        if (round === 2) {
          b.child.kill('SIGTERM');
          await b.exited;
          b = await startNode();
        }
      };

      const forward: string[] = [];
      let last = await page(next(), { first: 3, orderBy, search });
      for (;;) {
        forward.push(...last.ids);
        if (!last.info.hasNextPage) break;
        await move(forward);
        last = await page(next(), { first: 3, after: last.info.endCursor, orderBy, search });
      }
      expect(round).toBeGreaterThan(2);
      expect(forward).toEqual(expected);

      const back = [...last.ids];
      for (let before = last.info.startCursor; ; ) {
        await move(back);
        const previous = await page(next(), { last: 3, before, orderBy, search });
        back.unshift(...previous.ids);
        if (!previous.info.hasPreviousPage) break;
        before = previous.info.startCursor;
      }
      expect(back).toEqual(forward);

      // A new walk sees the changes: the order did move, and the new users are in it.
      const fresh = (await page(b, { first: 100, orderBy, search })).ids;
      expect(fresh.filter((id) => walkers.includes(id))).not.toEqual(expected.filter((id) => walkers.includes(id)));
      expect(fresh.filter((id) => id.startsWith(`walker-new-${orderBy}`))).toHaveLength(round);
    },
    300_000,
  );

  it('expires an idle walk on every node: 2 minutes before its second page, 15 after', async () => {
    const first = await page(a, { first: 2, orderBy: 'LAST_SEEN' });
    await idleFor(first.info.endCursor, 2.5);
    for (const node of [a, b]) {
      const { errors } = await users(node, { first: 2, after: first.info.endCursor, orderBy: 'LAST_SEEN' });
      expect(errors?.[0]?.extensions?.code).toBe('CURSOR_EXPIRED');
    }

    const walk = await page(b, { first: 2, orderBy: 'LAST_SEEN' });
    const second = await page(a, { first: 2, after: walk.info.endCursor, orderBy: 'LAST_SEEN' });
    await idleFor(second.info.endCursor, 14);
    const third = await page(b, { first: 2, after: second.info.endCursor, orderBy: 'LAST_SEEN' });
    expect(third.ids).toHaveLength(2);
    await idleFor(third.info.endCursor, 16);
    for (const node of [a, b]) {
      const { errors } = await users(node, { first: 2, after: third.info.endCursor, orderBy: 'LAST_SEEN' });
      expect(errors?.[0]?.extensions?.code).toBe('CURSOR_EXPIRED');
      expect(errors?.[0]?.message).toMatch(/start again/);
    }

    // A cursor naming no walk of this database (another database's, a forged one) is expired too.
    const decoded = JSON.parse(Buffer.from(walk.info.endCursor as string, 'base64url').toString('utf8'));
    const unknown = Buffer.from(JSON.stringify({ ...decoded, asOf: decoded.asOf + 1 })).toString('base64url');
    const { errors } = await users(a, { first: 2, after: unknown, orderBy: 'LAST_SEEN' });
    expect(errors?.[0]?.extensions?.code).toBe('CURSOR_EXPIRED');
  });
});

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RankedByRiskQuery } from '../generated/graphql.ts';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { gql } from '../support/graphql.ts';
import { CHROME_WINDOWS, HOME, rankingLogins } from '../support/ranking-logins.ts';

const tmp = tempDir();
let server: RunningApi;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'ranking.db'));
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

const DAY = 86_400_000;
const { event, history, takeover, newBrowser } = rankingLogins('r');

async function ingest(events: unknown[]) {
  const res = await server.post('/ingest', events);
  expect(res.status).toBe(200);
}

const RANKED = graphql(`
  query RankedByRisk($first: Int, $after: String, $last: Int, $before: String, $orderBy: UserOrder, $search: String) {
    users(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy, search: $search) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes {
        id
        risk { score level scoreLevel basis }
        openAlerts { id level status }
      }
    }
  }
`);

const OPEN_ALERTS = graphql(`
  query OpenAlertsOf($userId: ID!) {
    alerts(userId: $userId, status: [OPEN, ACKNOWLEDGED]) { nodes { id level } }
  }
`);

const SET_STATUS = graphql(`
  mutation RankingSetStatus($id: ID!, $status: AlertStatus!) {
    setAlertStatus(id: $id, status: $status) { id status }
  }
`);

const LEVELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

describe('users ordered by risk', () => {
  const now = Date.now();
  const monthAgo = now - 30 * DAY;

  beforeAll(async () => {
    // An alert a month old: its risk has decayed to nothing, the alert is still open.
    await ingest([...history('old-alert', monthAgo - DAY), ...takeover('old-alert', monthAgo)]);
    // Eleven failed logins at home a week ago, then a success: an alert, and no verdict (nobody new got in).
    const weekAgo = now - 7 * DAY;
    await ingest([
      ...history('failed-guesses', weekAgo - DAY),
      ...Array.from({ length: 11 }, (_, n) =>
        event('failed-guesses', weekAgo + n * 60_000, { ...HOME, user_agent: CHROME_WINDOWS, success: false }),
      ),
      event('failed-guesses', weekAgo + 12 * 60_000, { ...HOME, user_agent: CHROME_WINDOWS, success: true }),
    ]);
    // Something new today, below the alert threshold.
    await ingest([...history('fresh-risk', now - DAY), ...newBrowser('fresh-risk', now - 3600_000)]);
    await ingest(history('steady', now - DAY));
  });

  it('puts a user with an open alert above any decayed score, and says so in one severity', async () => {
    const { data, errors } = await gql(server, RANKED, { search: '-' });
    expect(errors).toBeUndefined();
    const nodes = data?.users.nodes ?? [];
    expect(nodes.map((n) => n.id)).toEqual(['old-alert', 'failed-guesses', 'fresh-risk']);
    const [alerted, , fresh] = nodes;
    expect(alerted?.risk.score).toBeLessThan(30);
    expect(alerted?.risk.scoreLevel).toBe('LOW');
    expect(alerted?.risk.basis).toBe('OPEN_ALERT');
    expect(alerted?.openAlerts).toHaveLength(1);
    // Never "low" beside an open high or critical alert.
    const alertLevel = alerted?.openAlerts[0]?.level ?? 'LOW';
    expect(['HIGH', 'CRITICAL']).toContain(alertLevel);
    expect(LEVELS.indexOf(alerted?.risk.level ?? 'LOW')).toBeGreaterThanOrEqual(LEVELS.indexOf(alertLevel));
    expect(fresh?.risk.score).toBeGreaterThan(0);
    expect(fresh?.risk.basis).toBe('SCORE');
    expect(fresh?.openAlerts).toEqual([]);
  });

  it('puts every scored user above users without risk', async () => {
    const { data } = await gql(server, RANKED, {});
    const ids = data?.users.nodes.map((n) => n.id) ?? [];
    expect(ids.indexOf('fresh-risk')).toBeLessThan(ids.indexOf('steady'));
  });

  it('moves a user down once their alert is resolved, and back up when it is reopened', async () => {
    const open = await gql(server, OPEN_ALERTS, { userId: 'failed-guesses' });
    const id = open.data?.alerts.nodes[0]?.id as string;
    expect(id).toBeDefined();
    const order = async () => (await gql(server, RANKED, { search: '-' })).data?.users.nodes ?? [];
    const ids = async () => (await order()).map((n) => n.id);

    await gql(server, SET_STATUS, { id, status: 'ACKNOWLEDGED' });
    expect(await ids()).toEqual(['old-alert', 'failed-guesses', 'fresh-risk']);

    await gql(server, SET_STATUS, { id, status: 'RESOLVED' });
    const resolved = await order();
    expect(resolved.map((n) => n.id)).toEqual(['old-alert', 'fresh-risk', 'failed-guesses']);
    expect(resolved[2]?.risk).toMatchObject({ level: 'LOW', basis: 'SCORE' });

    await gql(server, SET_STATUS, { id, status: 'OPEN' });
    expect(await ids()).toEqual(['old-alert', 'failed-guesses', 'fresh-risk']);
  });

  it('keeps a taken-over user at the top after their alert is resolved: the verdict stands', async () => {
    const open = await gql(server, OPEN_ALERTS, { userId: 'old-alert' });
    await gql(server, SET_STATUS, { id: open.data?.alerts.nodes[0]?.id as string, status: 'RESOLVED' });
    const [top] = (await gql(server, RANKED, { search: '-' })).data?.users.nodes ?? [];
    expect(top).toMatchObject({ id: 'old-alert', openAlerts: [], risk: { level: 'CRITICAL', basis: 'VERDICT' } });
  });
});

describe('walking through a ranking while scores change', () => {
  const users = Array.from({ length: 24 }, (_, i) => `walker-${String(i).padStart(2, '0')}`);
  const now = Date.now();

  beforeAll(async () => {
    await ingest(users.flatMap((user) => history(user, now - 2 * DAY)));
    // A spread of risk: every third user saw something new yesterday.
    await ingest(users.filter((_, i) => i % 3 === 0).flatMap((user) => newBrowser(user, now - DAY)));
  });

  it.each(['RISK', 'DRIFT_SCORE', 'LAST_SEEN', 'EVENT_COUNT'] as const)(
    'meets every user exactly once by %s, forward and back',
    async (orderBy) => {
      // Everyone the walk should meet: the users matching when it begins (earlier walks added some).
      const start = await gql(server, RANKED, { first: 100, orderBy, search: 'walker-' });
      const expected = (start.data?.users.nodes.map((n) => n.id) ?? []).sort();
      expect(expected.length).toBeGreaterThanOrEqual(users.length);
      const seen: string[] = [];
      let lastPage: { ids: string[]; start: string | null } = { ids: [], start: null };
      let after: string | null = null;
      let page = 0;
      for (;;) {
        const res: { data?: RankedByRiskQuery | null; errors?: unknown } = await gql(server, RANKED, {
          first: 5,
          after,
          orderBy,
          search: 'walker-',
        });
        const { data, errors } = res;
        expect(errors).toBeUndefined();
        const ids = data?.users.nodes.map((n) => n.id) ?? [];
        seen.push(...ids);
        lastPage = { ids, start: data?.users.pageInfo.startCursor ?? null };
        if (!data?.users.pageInfo.hasNextPage) break;
        after = data.users.pageInfo.endCursor ?? null;
        // Mid-walk: users not met yet jump to the top, users already met fall or rise, a new user appears.
        page += 1;
        const unseen = users.filter((user) => !seen.includes(user));
        const met = seen.slice(-2);
        const at = now + page * 60_000;
        await ingest([
          ...unseen.slice(-2).flatMap((user) => takeover(user, at)),
          ...met.flatMap((user) => newBrowser(user, at)),
          ...history(`walker-new-${orderBy}-${page}`, at),
        ]);
      }
      expect(page).toBeGreaterThan(2);
      expect([...seen].sort()).toEqual(expected);
      expect(seen.some((id) => id.startsWith(`walker-new-${orderBy}`))).toBe(false);

      // Back from the end, the same walk: the same users in the same order.
      const back = [...lastPage.ids];
      let before: string | null = lastPage.start;
      for (;;) {
        const { data, errors } = await gql(server, RANKED, { last: 5, before, orderBy, search: 'walker-' });
        expect(errors).toBeUndefined();
        const ids = data?.users.nodes.map((n) => n.id) ?? [];
        if (ids.length === 0) break;
        back.unshift(...ids);
        if (!data?.users.pageInfo.hasPreviousPage) break;
        before = data.users.pageInfo.startCursor ?? null;
      }
      expect(back).toEqual(seen);

      // A new walk sees the changes: the order did move.
      const fresh = await gql(server, RANKED, { first: 100, orderBy, search: 'walker-' });
      const now2 = fresh.data?.users.nodes.map((n) => n.id) ?? [];
      expect(now2.length).toBeGreaterThan(expected.length);
      expect(now2.filter((id) => expected.includes(id))).not.toEqual(seen);
    },
  );

  it('refuses a cursor from another ranking or one it never issued, and asks to restart an expired walk', async () => {
    const first = await gql(server, RANKED, { first: 2, orderBy: 'RISK' });
    const cursor = first.data?.users.pageInfo.endCursor as string;
    const other = await gql(server, RANKED, { first: 2, after: cursor, orderBy: 'LAST_SEEN' });
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const garbage = await gql(server, RANKED, { first: 2, after: 'bm90IGEgY3Vyc29y' });
    expect(garbage.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const elsewhere = Buffer.from(JSON.stringify({ ...decoded, epoch: 'another-run' })).toString('base64url');
    const expired = await gql(server, RANKED, { first: 2, after: elsewhere });
    expect(expired.errors?.[0]?.extensions?.code).toBe('CURSOR_EXPIRED');
    expect(expired.errors?.[0]?.message).toMatch(/start again/);
  });
});

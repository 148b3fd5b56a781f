import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RankedUsersPageQuery, UserEventsPageQuery } from '../generated/graphql.ts';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { gql } from '../support/graphql.ts';

const tmp = tempDir();
let server: RunningApi;

const laptop = { browser: 'chrome', os: 'windows', ip: '12.34.56.78', device: 'laptop' };
const phone = { browser: 'safari', os: 'ios', ip: '98.76.54.32', dev_type: 'phone' };
const day = (n: number) => `2024-03-${String(n).padStart(2, '0')}T08:00:00Z`;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'queries.db'));
  // steady: 3 laptop logins (score 0); mixed: laptop then phone (45); twoNets: same device, two networks (20)
  const events = [
    ...[1, 2, 3].map((d) => ({ user_id: 'steady', kind: 'login', timestamp: day(d), meta: laptop })),
    { user_id: 'mixed', kind: 'login', timestamp: day(4), meta: laptop },
    { user_id: 'mixed', kind: 'logout', timestamp: day(5), meta: laptop },
    { user_id: 'mixed', kind: 'login', timestamp: day(6), meta: phone },
    { user_id: 'twoNets', kind: 'login', timestamp: day(7), meta: laptop },
    { user_id: 'twoNets', kind: 'login', timestamp: day(8), meta: { ...laptop, ip: '2001:db8:5::1' } },
  ];
  expect((await server.post('/ingest', events)).status).toBe(200);
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

const USER = graphql(`
  query UserWithDrift($id: ID!) {
    user(id: $id) {
      id eventCount firstSeen lastSeen
      drift { score reasons { code label weight evidence } }
      fingerprint { hash stability tokens latestTokens }
      distinct { browsers os devices ipClasses }
      latestEvent { id kind device ip ipClass meta user { id } }
    }
  }
`);

describe('Query.user', () => {
  it('is null for a user never seen', async () => {
    const res = await gql(server, USER, { id: 'nobody' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ user: null });
  });

  it('explains drift with codes, weights and evidence, matching the REST answer', async () => {
    const { data } = await gql(server, USER, { id: 'mixed' });
    const rest = await (await server.fetch('/drift/mixed')).json();
    expect(data?.user?.drift.score).toBe(rest.drift_score);
    expect(data?.user?.drift.reasons.map((r) => r.label)).toEqual(rest.reasons);
    expect(data?.user?.drift.reasons).toEqual([
      { code: 'MULTIPLE_IPS', label: 'Multiple IPs', weight: 20, evidence: ['12.34.56.0/24', '98.76.54.0/24'] },
      { code: 'MULTIPLE_OS', label: 'Multiple OS', weight: 5, evidence: ['windows', 'ios'] },
      { code: 'MULTIPLE_BROWSERS', label: 'Multiple Browsers', weight: 5, evidence: ['chrome', 'safari'] },
      { code: 'MULTIPLE_DEVICE_TYPES', label: 'Multiple Device Types', weight: 5, evidence: ['laptop', 'phone'] },
      { code: 'ABRUPT_DEVICE_SWITCH', label: 'Abrupt Device Switch', weight: 10, evidence: ['laptop', 'phone'] },
    ]);
  });

  it('gives the fingerprint the REST shim gives, with counts, times and the latest event', async () => {
    const { data } = await gql(server, USER, { id: 'mixed' });
    const rest = await (await server.fetch('/fingerprint/mixed')).json();
    expect(data?.user).toMatchObject({
      id: 'mixed',
      eventCount: 3,
      firstSeen: '2024-03-04T08:00:00.000Z',
      lastSeen: '2024-03-06T08:00:00.000Z',
      fingerprint: {
        hash: rest.fingerprint,
        stability: rest.stability,
        tokens: rest.habitual_tokens,
        latestTokens: rest.tokens,
      },
      distinct: { browsers: 2, os: 2, devices: 2, ipClasses: 2 },
      latestEvent: {
        kind: 'login',
        device: 'phone',
        ip: '98.76.54.32',
        ipClass: '98.76.54.0/24',
        meta: phone,
        user: { id: 'mixed' },
      },
    });
  });
});

const EVENTS = graphql(`
  query UserEventsPage($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $kind: String, $since: DateTime, $until: DateTime, $order: SortDirection) {
    user(id: $id) {
      events(first: $first, after: $after, last: $last, before: $before, kind: $kind, since: $since, until: $until, order: $order) {
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { timestamp kind } }
      }
    }
  }
`);

const times = (data: UserEventsPageQuery | null | undefined) =>
  data?.user?.events.edges.map((e) => e.node.timestamp.slice(0, 10));

describe('User.events', () => {
  it('lists newest first and pages with cursors', async () => {
    const first = await gql(server, EVENTS, { id: 'mixed', first: 2 });
    expect(times(first.data)).toEqual(['2024-03-06', '2024-03-05']);
    expect(first.data?.user?.events.pageInfo.hasNextPage).toBe(true);
    const next = await gql(server, EVENTS, {
      id: 'mixed',
      first: 2,
      after: first.data?.user?.events.pageInfo.endCursor,
    });
    expect(times(next.data)).toEqual(['2024-03-04']);
    expect(next.data?.user?.events.pageInfo.hasNextPage).toBe(false);
    const back = await gql(server, EVENTS, {
      id: 'mixed',
      last: 1,
      before: next.data?.user?.events.pageInfo.startCursor,
    });
    expect(times(back.data)).toEqual(['2024-03-05']);
  });

  it('filters by kind and time, and lists oldest first on request', async () => {
    expect(times((await gql(server, EVENTS, { id: 'mixed', kind: 'logout' })).data)).toEqual(['2024-03-05']);
    const window = await gql(server, EVENTS, {
      id: 'mixed',
      since: '2024-03-05T00:00:00Z',
      until: '2024-03-06T00:00:00Z',
    });
    expect(times(window.data)).toEqual(['2024-03-05']);
    expect(times((await gql(server, EVENTS, { id: 'mixed', order: 'ASC' })).data)).toEqual([
      '2024-03-04',
      '2024-03-05',
      '2024-03-06',
    ]);
  });

  it('rejects an unreadable time filter with BAD_USER_INPUT', async () => {
    const res = await gql(server, EVENTS, { id: 'mixed', since: 'last tuesday' });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toContain('$since');
    expect(res.data).toBeUndefined();
  });
});

const USERS = graphql(`
  query RankedUsersPage($first: Int, $after: String, $orderBy: UserOrder, $direction: SortDirection, $minDriftScore: Int, $search: String) {
    users(first: $first, after: $after, orderBy: $orderBy, direction: $direction, minDriftScore: $minDriftScore, search: $search) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id eventCount drift { score } }
    }
  }
`);
const ids = (data: RankedUsersPageQuery | null | undefined) => data?.users.nodes.map((n) => n.id);

describe('Query.users', () => {
  it('ranks by drift score, highest first', async () => {
    const { data } = await gql(server, USERS, { orderBy: 'DRIFT_SCORE' });
    expect(ids(data)).toEqual(['mixed', 'twoNets', 'steady']);
    expect(data?.users.nodes.map((n) => n.drift.score)).toEqual([45, 20, 0]);
    expect(data?.users.totalCount).toBe(3);
  });

  it('orders by event count or last seen, either way', async () => {
    expect(ids((await gql(server, USERS, { orderBy: 'EVENT_COUNT' })).data)).toEqual(['mixed', 'steady', 'twoNets']);
    expect(ids((await gql(server, USERS, { orderBy: 'LAST_SEEN' })).data)).toEqual(['twoNets', 'mixed', 'steady']);
    expect(ids((await gql(server, USERS, { orderBy: 'LAST_SEEN', direction: 'ASC' })).data)).toEqual([
      'steady',
      'mixed',
      'twoNets',
    ]);
  });

  it('filters by minimum drift score and by id search, counting the filtered total', async () => {
    const drifting = await gql(server, USERS, { minDriftScore: 20, orderBy: 'DRIFT_SCORE' });
    expect(ids(drifting.data)).toEqual(['mixed', 'twoNets']);
    expect(drifting.data?.users.totalCount).toBe(2);
    expect(ids((await gql(server, USERS, { search: 'NET' })).data)).toEqual(['twoNets']);
  });

  it('pages through every user exactly once', async () => {
    const seen: string[] = [];
    let after: string | null | undefined;
    for (;;) {
      const { data } = await gql(server, USERS, { first: 1, after, orderBy: 'DRIFT_SCORE' });
      seen.push(...(ids(data) ?? []));
      if (!data?.users.pageInfo.hasNextPage) break;
      after = data.users.pageInfo.endCursor;
    }
    expect(seen).toEqual(['mixed', 'twoNets', 'steady']);
  });
});

const RISK_BY_DAY = graphql(`
  query RiskByDay($days: Int!) {
    user(id: "mixed") { riskByDay(days: $days) { day events maxDriftScore factors { code count } } }
  }
`);

describe('risk over time', () => {
  it('stores each event with the drift score after it and the factors it raised', async () => {
    const { data } = await gql(
      server,
      graphql(`
        query DriftAfterEachEvent {
          user(id: "mixed") { events(order: ASC) { nodes { kind driftScore factors } } }
        }
      `),
    );
    expect(data?.user?.events.nodes).toEqual([
      { kind: 'login', driftScore: 0, factors: [] },
      { kind: 'logout', driftScore: 0, factors: [] },
      {
        kind: 'login',
        driftScore: 45,
        factors: ['MULTIPLE_IPS', 'MULTIPLE_OS', 'MULTIPLE_BROWSERS', 'MULTIPLE_DEVICE_TYPES', 'ABRUPT_DEVICE_SWITCH'],
      },
    ]);
  });

  it('groups risk by UTC day, including days without events', async () => {
    const { data } = await gql(server, RISK_BY_DAY, { days: 4 });
    const days = data?.user?.riskByDay ?? [];
    expect(days.map((d) => [d.day, d.events, d.maxDriftScore])).toEqual([
      ['2024-03-03', 0, null],
      ['2024-03-04', 1, 0],
      ['2024-03-05', 1, 0],
      ['2024-03-06', 1, 45],
    ]);
    expect(days[3]?.factors.every((f) => f.count === 1)).toBe(true);
    expect(days[1]?.factors.every((f) => f.count === 0)).toBe(true);
  });

  it('refuses a window outside 1–366 days', async () => {
    const res = await gql(server, RISK_BY_DAY, { days: 0 });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('lists the mix of values per dimension, most frequent first', async () => {
    const { data } = await gql(
      server,
      graphql(`
        query BrowserMix {
          user(id: "mixed") { tokens(dimension: "browser") { value count } }
        }
      `),
    );
    expect(data).toEqual({
      user: {
        tokens: [
          { value: 'chrome', count: 2 },
          { value: 'safari', count: 1 },
        ],
      },
    });
  });
});

describe('Query.event and Query.overview', () => {
  it('finds an event by id, and null for ids that name none', async () => {
    const { data } = await gql(
      server,
      graphql(`
        query LatestEventId {
          user(id: "steady") { latestEvent { id } }
        }
      `),
    );
    const id = data?.user?.latestEvent?.id;
    const event = graphql(`
      query EventById($id: ID!) {
        event(id: $id) { id kind user { id } }
      }
    `);
    expect(id).toBeDefined();
    const found = await gql(server, event, { id: id! });
    expect(found.data).toEqual({ event: { id, kind: 'login', user: { id: 'steady' } } });
    for (const bad of ['999999', 'abc', '-1', '0']) {
      expect((await gql(server, event, { id: bad })).data).toEqual({ event: null });
    }
  });

  it('totals users, events and drifting users', async () => {
    const { data } = await gql(
      server,
      graphql(`
        query OverviewTotals {
          overview { users events driftingUsers averageDriftScore lastEventAt }
        }
      `),
    );
    expect(data).toEqual({
      overview: {
        users: 3,
        events: 8,
        driftingUsers: 2,
        averageDriftScore: 21.7,
        lastEventAt: '2024-03-08T08:00:00.000Z',
      },
    });
  });

  it('answers in-process through the handler as over HTTP', async () => {
    const res = await server.api.graphql.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ user(id: "twoNets") { drift { score } } }' }),
    });
    expect(await res.json()).toEqual({ data: { user: { drift: { score: 20 } } } });
  });
});

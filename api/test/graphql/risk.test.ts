import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { gql, sseEvents } from '../support/graphql.ts';

const tmp = tempDir();
let server: RunningApi;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'risk.db'));
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

const DAY = 86_400_000;
const START = Date.UTC(2026, 9, 5, 8, 0); // a Monday, 08:00 UTC
const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';

const HOME = { ip: '81.2.69.10', country: 'DE', asn: 3320, lat: 52.52, lon: 13.405, city: 'Berlin' };

let sequence = 0;
function event(userId: string, at: number, meta: Record<string, unknown>) {
  sequence += 1;
  return { user_id: userId, kind: 'login', event_id: `e${sequence}`, timestamp: at, meta };
}

/** Twenty weekday-morning logins from one laptop on the home network: an established persona. */
function habitualHistory(userId: string) {
  return Array.from({ length: 20 }, (_, day) =>
    event(userId, START + day * DAY, { ...HOME, user_agent: CHROME_WINDOWS, success: true }),
  );
}

async function ingest(body: unknown) {
  const res = await server.post('/ingest', body);
  expect(res.status).toBe(200);
}

const ATTACK = START + 20 * DAY + 2 * 3600_000;
const ATTACKER = { ip: '102.89.3.7', country: 'NG', asn: 37148, lat: 6.45, lon: 3.39, city: 'Lagos' };

/** On day 20: four failed guesses from another country and network, then a login on a new device there. */
function takeover(userId: string) {
  return [
    ...[0, 1, 2, 3].map((n) =>
      event(userId, ATTACK + n * 60_000, { ...ATTACKER, user_agent: FIREFOX_LINUX, success: false }),
    ),
    event(userId, ATTACK + 5 * 60_000, { ...ATTACKER, user_agent: FIREFOX_LINUX, success: true }),
  ];
}

/** A user with the habitual history and then the takeover: one open alert. */
async function takenOver(userId: string) {
  await ingest(habitualHistory(userId));
  await ingest(takeover(userId));
}

/** Twenty days on the laptop, then a phone on the home network (`first`) used for ten more days (`settled`). */
function secondDevice(userId: string) {
  const phone = START + 20 * DAY + 3600_000;
  const onPhone = (day: number) =>
    event(userId, phone + day * DAY, { ...HOME, ip: '81.2.69.23', user_agent: SAFARI_IPHONE, success: true });
  return {
    history: habitualHistory(userId),
    first: onPhone(0),
    settled: Array.from({ length: 10 }, (_, n) => onPhone(n + 1)),
  };
}

const LATEST_RISK = graphql(`
  query LatestEventRisk($id: ID!) {
    user(id: $id) {
      risk { score level peak }
      drift { score }
      events(first: 1) { nodes { driftScore risk { score level scored signals { name score message evidence } } } }
    }
  }
`);

async function latestRisk(userId: string) {
  const { data, errors } = await gql(server, LATEST_RISK, { id: userId });
  expect(errors).toBeUndefined();
  const user = data?.user;
  const event = user?.events.nodes[0]?.risk;
  if (!user || !event) throw new Error(`no risk for ${userId}`);
  return { user, event };
}

const SET_ALERT_STATUS = graphql(`
  mutation AcknowledgeAlert($id: ID!) {
    setAlertStatus(id: $id, status: ACKNOWLEDGED) { status }
  }
`);

async function alertsOf(userId: string) {
  const res = await server.fetch(`/alerts?user_id=${encodeURIComponent(userId)}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { alerts: Array<Record<string, unknown>> }).alerts;
}

describe('risk v2 end to end', () => {
  it('a takeover (failed guesses, then a new device from a new country and network) raises an alert', async () => {
    const controller = new AbortController();
    const res = await server.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({
        query: 'subscription { alertChanged(userId: "carol") { id status score level user { id } } }',
      }),
      signal: controller.signal,
    });
    const live = sseEvents<{ alertChanged: { status: string; score: number; user: { id: string } } }>(res);

    await ingest(habitualHistory('carol'));
    const quiet = await latestRisk('carol');
    expect(quiet.event.score).toBeLessThan(30);
    expect(await alertsOf('carol')).toEqual([]);

    await ingest(takeover('carol'));

    const { user, event: risky } = await latestRisk('carol');
    expect(risky.scored).toBe(true);
    expect(risky.score).toBeGreaterThanOrEqual(70);
    expect(['HIGH', 'CRITICAL']).toContain(risky.level);
    const names = risky.signals.map((signal) => signal.name);
    expect(names).toEqual(expect.arrayContaining(['new_device_on_new_network', 'new_country', 'failed_logins']));
    // Strongest first, each with its evidence.
    expect(risky.signals.map((s) => s.score)).toEqual([...risky.signals.map((s) => s.score)].sort((a, b) => b - a));
    expect(risky.signals.find((s) => s.name === 'new_country')?.evidence).toMatchObject({ value: 'NG' });
    expect(risky.signals.find((s) => s.name === 'failed_logins')?.evidence).toMatchObject({ failures: 4 });
    expect(user.risk.peak).toBeGreaterThanOrEqual(70);

    const alerts = await alertsOf('carol');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      user_id: 'carol',
      status: 'open',
      level: expect.stringMatching(/high|critical/),
    });

    const first = await live.next();
    expect(first.value?.data?.alertChanged).toMatchObject({ status: 'OPEN', user: { id: 'carol' } });
    controller.abort();
  });

  it('a password guessed from the owner’s own network and browser, then changed, is scored on the guessing', async () => {
    await ingest(habitualHistory('gina'));
    const guess = (n: number, success: boolean) =>
      event('gina', ATTACK + n * 60_000, { ...HOME, user_agent: CHROME_WINDOWS, success });
    await ingest([0, 1, 2, 3, 4].map((n) => guess(n, false)));
    const { event: fifthFailure } = await latestRisk('gina');
    expect(fifthFailure.signals.find((s) => s.name === 'failed_logins')).toMatchObject({
      message: '5 failed logins within the hour',
      evidence: { failures: 5 },
    });
    expect(fifthFailure.score).toBeGreaterThan(0);
    await ingest([guess(5, true), { ...event('gina', ATTACK + 7 * 60_000, HOME), kind: 'password_change' }]);
    const { event: change } = await latestRisk('gina');
    expect(change.signals.find((s) => s.name === 'failed_logins')).toMatchObject({
      message: 'password_change 2 minutes after a login that followed 5 failed attempts',
      evidence: { action: 'password_change', failures: 5 },
    });
    expect(change.score).toBeGreaterThanOrEqual(50);
  });

  it('charts risk over time: each day’s highest v2 event risk', async () => {
    await takenOver('charted');
    const { data, errors } = await gql(
      server,
      graphql(`
        query RiskChart {
          user(id: "charted") { riskByDay(days: 3) { day events maxRisk } }
        }
      `),
    );
    expect(errors).toBeUndefined();
    const days = data?.user?.riskByDay ?? [];
    expect(days.map((d) => d.day)).toEqual(
      [18, 19, 20].map((n) => new Date(START + n * DAY).toISOString().slice(0, 10)),
    );
    expect(days[0]?.maxRisk).toBeLessThan(30);
    expect(days[1]?.maxRisk).toBeLessThan(30);
    expect(days[2]?.maxRisk).toBeGreaterThanOrEqual(70);
    expect(days[2]?.events).toBe(5);
  });

  it('a second device on the home network is no alert', async () => {
    const dave = secondDevice('dave');
    await ingest(dave.history);
    await ingest(dave.first);
    const { event: added } = await latestRisk('dave');
    expect(added.score).toBeLessThan(70);
    expect(added.signals.map((s) => s.name)).toContain('new_device');
    expect(added.signals.map((s) => s.name)).not.toContain('new_device_on_new_network');
    // Used for a while, the phone is part of the persona.
    await ingest(dave.settled);
    const { event: later } = await latestRisk('dave');
    expect(later.score).toBeLessThan(30);
    expect(await alertsOf('dave')).toEqual([]);
  });

  it('triages alerts over GraphQL, with NOT_FOUND for unknown ids', async () => {
    await takenOver('triaged');
    const [alert] = await alertsOf('triaged');
    const id = String(alert?.id);
    const ack = await gql(server, SET_ALERT_STATUS, { id });
    expect(ack.data?.setAlertStatus.status).toBe('ACKNOWLEDGED');
    const listed = await gql(
      server,
      graphql(`
        query AcknowledgedAlerts {
          alerts(status: [ACKNOWLEDGED]) { totalCount nodes { id status } }
        }
      `),
    );
    expect(listed.data?.alerts.nodes).toContainEqual({ id, status: 'ACKNOWLEDGED' });
    expect(listed.data?.alerts.nodes.every((node) => node.status === 'ACKNOWLEDGED')).toBe(true);
    const missing = await gql(server, SET_ALERT_STATUS, { id: '999999' });
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('exports an alert as ECS, OCSF and CEF, over REST and GraphQL', async () => {
    await takenOver('exported');
    const [alert] = await alertsOf('exported');
    await gql(server, SET_ALERT_STATUS, { id: String(alert?.id) });
    const ecs = await (await server.fetch(`/alerts/${alert?.id}?format=ecs`)).json();
    expect(ecs).toMatchObject({
      event: { kind: 'alert' },
      user: { id: 'exported', risk: { calculated_level: expect.any(String) } },
    });
    const ocsf = await (await server.fetch(`/alerts/${alert?.id}?format=ocsf`)).json();
    expect(ocsf).toMatchObject({ class_uid: 2004, category_uid: 2, status: 'In Progress' });
    const cef = await server.fetch(`/alerts/${alert?.id}?format=cef`);
    expect(cef.headers.get('content-type')).toContain('text/plain');
    expect(await cef.text()).toMatch(/^CEF:0\|Persona Drift\|Persona Drift\|[^|]+\|persona-drift-risk-v2\/\w+\|/);
    const viaGraphql = await gql(
      server,
      graphql(`
        query AlertAsOcsf($id: ID!) {
          alert(id: $id) { export(format: OCSF) }
        }
      `),
      { id: String(alert?.id) },
    );
    expect(JSON.parse(viaGraphql.data?.alert?.export ?? '{}')).toMatchObject({ class_uid: 2004 });
  });

  it('answers bad alert queries with 400 or 404 naming the parameter', async () => {
    const badStatus = await server.fetch('/alerts?status=closed');
    expect(badStatus.status).toBe(400);
    expect(await badStatus.json()).toMatchObject({ issues: [{ field: 'status' }] });
    const badLimit = await server.fetch('/alerts?limit=0');
    expect(badLimit.status).toBe(400);
    const badFormat = await server.fetch('/alerts/1?format=xml');
    expect(badFormat.status).toBe(400);
    const missing = await server.fetch('/alerts/424242');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ issues: [{ field: 'id' }] });
  });

  it('rejects bad v2 context fields with 422 and stores nothing', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ lat: 10 }, 'meta.lon'],
      [{ lat: 91, lon: 0 }, 'meta.lat'],
      [{ country: 'Germany' }, 'meta.country'],
      [{ asn: -1 }, 'meta.asn'],
      [{ outcome: 'maybe' }, 'meta.outcome'],
      [{ success: 'yes' }, 'meta.success'],
    ];
    for (const [meta, field] of cases) {
      const res = await server.post('/ingest', { user_id: 'mallory', kind: 'login', meta });
      expect(res.status, JSON.stringify(meta)).toBe(422);
      expect(await res.json()).toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ field })]) });
    }
    expect((await server.fetch('/drift/mallory')).status).toBe(404);
    const viaGraphql = await gql(
      server,
      graphql(`
        mutation IngestNegativeAsn {
          ingestEvent(input: { userId: "mallory", kind: "login", meta: { asn: -5 } }) {
            __typename
            ... on ValidationError { issues { field } }
          }
        }
      `),
    );
    expect(viaGraphql.data?.ingestEvent).toEqual({
      __typename: 'ValidationError',
      issues: [{ field: 'input.meta.asn' }],
    });
  });

  it('keeps profiles and alerts across a restart', async () => {
    const erin = secondDevice('erin');
    await ingest([...erin.history, erin.first, ...erin.settled]);
    await takenOver('restarted');
    server = await server.restart();
    await ingest(
      event('erin', START + 40 * DAY, { ...HOME, ip: '81.2.69.23', user_agent: SAFARI_IPHONE, success: true }),
    );
    const { event: after } = await latestRisk('erin');
    expect(after.signals.map((s) => s.name)).not.toContain('new_device');
    expect(await alertsOf('restarted')).toHaveLength(1);
  });
});

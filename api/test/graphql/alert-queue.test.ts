import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/domain/api-key.ts';
import type { AlertQueueQueryVariables } from '../generated/graphql.ts';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { createKeys } from '../support/engine-under-test.ts';
import { gql, sseEvents } from '../support/graphql.ts';

const tmp = tempDir();
let server: RunningApi;
const keys = {} as Record<Role, string>;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

const DAY = 86_400_000;
const EVENING = Date.now() - 3 * DAY;
const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
const HOME = { ip: '81.2.69.10', country: 'DE', asn: 3320, lat: 52.52, lon: 13.405, city: 'Berlin' };
const AWAY = { ip: '102.89.3.7', country: 'NG', asn: 37148, lat: 6.45, lon: 3.39, city: 'Lagos' };
const ISP = { country: 'GB', asn: 5089 };
const RIG = { ip: '185.220.101.7', country: 'DE', asn: 24940, user_agent: CHROME_WINDOWS };
const CRACKED = ['victim-17', 'victim-29', 'victim-38'];

let sequence = 0;
function login(userId: string, at: number, meta: Record<string, unknown>) {
  sequence += 1;
  return { user_id: userId, kind: 'login', event_id: `q${sequence}`, timestamp: at, meta };
}

function history(userId: string, end: number, meta: Record<string, unknown> = HOME) {
  return Array.from({ length: 20 }, (_, day) =>
    login(userId, end - (19 - day) * DAY, { ...meta, user_agent: CHROME_WINDOWS, success: true }),
  );
}

async function ingest(events: unknown[]) {
  const res = await server.post('/ingest', events, bearer(keys.admin));
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  const file = join(tmp.dir, 'alert-queue.db');
  [keys.admin, keys.analyst, keys.producer] = await createKeys(file, [
    ['admin', 'setup'],
    ['analyst', 'Dana'],
    ['producer', 'collector'],
  ]);
  server = await startApi(file);

  // A takeover: a new device from another country after failed guesses.
  const attack = EVENING - 2 * DAY;
  await ingest([
    ...history('taken', attack - DAY),
    ...[0, 1, 2, 3].map((n) =>
      login('taken', attack + n * 60_000, { ...AWAY, user_agent: FIREFOX_LINUX, success: false }),
    ),
    login('taken', attack + 5 * 60_000, { ...AWAY, user_agent: FIREFOX_LINUX, success: true }),
  ]);
  // Password guessing at home that worked: an alert without a verdict.
  await ingest([
    ...history('guessed', attack - DAY),
    ...Array.from({ length: 11 }, (_, n) =>
      login('guessed', attack + n * 60_000, { ...HOME, user_agent: CHROME_WINDOWS, success: false }),
    ),
    login('guessed', attack + 12 * 60_000, { ...HOME, user_agent: CHROME_WINDOWS, success: true }),
  ]);
  // A stuffing run: one address failing across forty accounts, three of them cracked.
  const victims = Array.from({ length: 40 }, (_, index) => `victim-${index}`);
  const quiet = [];
  for (const [index, victim] of victims.entries())
    quiet.push(...history(victim, EVENING - DAY, { ...ISP, ip: `81.3.${10 + index}.20` }));
  await ingest(quiet);
  await ingest(
    victims.map((victim, index) =>
      login(victim, EVENING + index * 6_000, { ...RIG, success: CRACKED.includes(victim) }),
    ),
  );
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

const QUEUE = graphql(`
  query AlertQueue($status: [AlertStatus!], $level: [RiskLevel!], $verdict: [VerdictKind!], $orderBy: AlertOrder, $userId: ID) {
    alerts(status: $status, level: $level, verdict: $verdict, orderBy: $orderBy, userId: $userId, first: 100) {
      totalCount
      nodes { id score level status note assignee user { id verdict { kind } } }
    }
  }
`);

const INCIDENTS = graphql(`
  query StuffingIncidents {
    incidents(status: [OPEN, ACKNOWLEDGED]) {
      id kind source scope level accounts firstAt lastAt
      users { id }
      alerts { id user { id } }
    }
  }
`);

const BULK = graphql(`
  mutation BulkTriage($ids: [ID!]!, $status: AlertStatus!) {
    setAlertsStatus(ids: $ids, status: $status) { id status }
  }
`);

const UPDATE = graphql(`
  mutation AnnotateAlert($id: ID!, $input: UpdateAlertInput!) {
    updateAlert(id: $id, input: $input) { id note assignee }
  }
`);

const AUDIT = graphql(`
  query TriageAudit { auditLog(first: 50) { actor action target details } }
`);

async function queue(variables: AlertQueueQueryVariables = {}) {
  const res = await gql(server, QUEUE, variables, bearer(keys.analyst));
  expect(res.errors).toBeUndefined();
  return res.data?.alerts.nodes ?? [];
}

describe('the alert queue', () => {
  it('filters by level, status, verdict and user, newest or highest first', async () => {
    const all = await queue();
    const victims = all.filter((a) => a.user.id.startsWith('victim-')).map((a) => a.user.id);
    expect(all.length - victims.length).toBe(2);
    expect(victims).toEqual(expect.arrayContaining(CRACKED));
    expect(all.map((a) => Number(a.id))).toEqual([...all.map((a) => Number(a.id))].sort((a, b) => b - a));

    const highest = await queue({ orderBy: 'HIGHEST' });
    const scores = highest.map((a) => a.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    const critical = await queue({ level: ['CRITICAL'] });
    expect(critical.length).toBeGreaterThan(0);
    expect(critical.every((a) => a.level === 'CRITICAL')).toBe(true);
    expect(critical.length).toBeLessThan(all.length);

    const takeovers = await queue({ verdict: ['TAKEOVER'] });
    expect(takeovers.map((a) => a.user.id)).toEqual(['taken']);
    expect((await queue({ userId: 'guessed' })).map((a) => a.user.id)).toEqual(['guessed']);
    expect(await queue({ status: ['RESOLVED'] })).toEqual([]);
  });

  it('shows a stuffing campaign as one incident listing its accounts', async () => {
    const victims = (await queue()).filter((a) => a.user.id.startsWith('victim-'));
    expect(victims.length).toBeGreaterThanOrEqual(30);
    const { data, errors } = await gql(server, INCIDENTS, {}, bearer(keys.analyst));
    expect(errors).toBeUndefined();
    expect(data?.incidents).toHaveLength(1);
    const [incident] = data?.incidents ?? [];
    expect(incident).toMatchObject({ kind: 'STUFFING', source: RIG.ip, scope: 'ip', accounts: victims.length });
    expect(incident?.users.map((u) => u.id).sort()).toEqual(victims.map((a) => a.user.id).sort());
    expect(incident?.alerts.map((a) => a.id).sort()).toEqual(victims.map((a) => a.id).sort());
    expect(incident?.users.map((u) => u.id)).toEqual(expect.arrayContaining(CRACKED));
  });

  it('notes and assigns an alert to the calling key, live, audited, and clears both', async () => {
    const [alert] = await queue({ userId: 'guessed' });
    const id = alert?.id as string;
    const controller = new AbortController();
    const res = await server.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...bearer(keys.analyst) },
      body: JSON.stringify({ query: `subscription { alertChanged(userId: "guessed") { id note assignee } }` }),
      signal: controller.signal,
    });
    const live = sseEvents<{ alertChanged: { id: string; note: string | null; assignee: string | null } }>(res);
    const next = live.next();

    const taken = await gql(
      server,
      UPDATE,
      { id, input: { note: ' Called the owner. ', assignToMe: true } },
      bearer(keys.analyst),
    );
    expect(taken.data?.updateAlert).toEqual({ id, note: 'Called the owner.', assignee: 'Dana' });
    expect((await next).value?.data?.alertChanged).toEqual({ id, note: 'Called the owner.', assignee: 'Dana' });
    controller.abort();

    // A key left out is left as it is.
    const noteOnly = await gql(server, UPDATE, { id, input: { note: 'Owner confirmed.' } }, bearer(keys.analyst));
    expect(noteOnly.data?.updateAlert).toEqual({ id, note: 'Owner confirmed.', assignee: 'Dana' });
    const cleared = await gql(server, UPDATE, { id, input: { note: null, assignToMe: false } }, bearer(keys.analyst));
    expect(cleared.data?.updateAlert).toEqual({ id, note: null, assignee: null });

    const audit = await gql(server, AUDIT, {}, bearer(keys.admin));
    const entries = (audit.data?.auditLog ?? []).filter((entry) => entry.target === `alert:${id}`);
    expect(entries.map((entry) => entry.action)).toEqual(['alert.annotated', 'alert.annotated', 'alert.annotated']);
    expect(entries[2]?.details).toEqual({ note: 'Called the owner.', assignee: 'Dana' });
    expect(entries.every((entry) => /^key:\d+ \(pd_/.test(entry.actor))).toBe(true);
  });

  it('refuses bad notes, unknown alerts and producers, with codes', async () => {
    const [alert] = await queue({ userId: 'guessed' });
    const long = await gql(
      server,
      UPDATE,
      { id: alert?.id as string, input: { note: 'x'.repeat(4001) } },
      bearer(keys.analyst),
    );
    expect(long.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.note' });
    const nothing = await gql(server, UPDATE, { id: alert?.id as string, input: {} }, bearer(keys.analyst));
    expect(nothing.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
    const missing = await gql(server, UPDATE, { id: '999999', input: { note: 'hi' } }, bearer(keys.analyst));
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const producer = await gql(server, BULK, { ids: [alert?.id as string], status: 'RESOLVED' }, bearer(keys.producer));
    expect(producer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const badId = await gql(server, BULK, { ids: ['abc'], status: 'RESOLVED' }, bearer(keys.analyst));
    expect(badId.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids[0]' });
    expect((await queue({ userId: 'guessed' }))[0]?.status).toBe('OPEN');
  });

  it('resolves a whole incident in one bulk action, skipping unknown ids, and reopens one', async () => {
    const { data } = await gql(server, INCIDENTS, {}, bearer(keys.analyst));
    const ids = data?.incidents[0]?.alerts.map((a) => a.id) ?? [];
    expect(ids.length).toBeGreaterThanOrEqual(30);
    const resolved = await gql(server, BULK, { ids: [...ids, '999999'], status: 'RESOLVED' }, bearer(keys.analyst));
    expect(resolved.errors).toBeUndefined();
    expect(resolved.data?.setAlertsStatus.map((a) => a.id)).toEqual(ids);
    expect(resolved.data?.setAlertsStatus.every((a) => a.status === 'RESOLVED')).toBe(true);
    expect((await gql(server, INCIDENTS, {}, bearer(keys.analyst))).data?.incidents).toEqual([]);
    expect((await queue({ status: ['RESOLVED'] })).map((a) => a.id).sort()).toEqual([...ids].sort());

    const audit = await gql(server, AUDIT, {}, bearer(keys.admin));
    const resolvedEntries = (audit.data?.auditLog ?? []).filter((entry) => entry.action === 'alert.resolved');
    expect(resolvedEntries.map((entry) => entry.target).sort()).toEqual(ids.map((id) => `alert:${id}`).sort());

    const reopened = await gql(server, BULK, { ids: [ids[0] as string], status: 'OPEN' }, bearer(keys.analyst));
    expect(reopened.data?.setAlertsStatus).toEqual([{ id: ids[0], status: 'OPEN' }]);
  });
});

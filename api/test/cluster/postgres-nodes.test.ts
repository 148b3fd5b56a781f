import Database from 'better-sqlite3';
import { createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FAMILIES, type Family } from '../../../bench/eval/families.ts';
import { generatePopulation } from '../../../bench/eval/population.ts';
import { startApi, tempDir } from '../support/api.ts';
import { clusterFixture } from '../support/cluster.ts';
import { type ApiProcess, subscriptionsActive } from '../support/process.ts';
import { waitFor } from '../support/wait.ts';

// Two API nodes on one PostgreSQL database and one Redis, producers spread
// over both, a subscriber on the node that stays, the other killed mid-run:
// every acknowledged event stored once and heard once, and each user's
// results what one node computes from the same events.

const tmp = tempDir();
const cluster = clusterFixture();

afterAll(() => tmp.cleanup());

type Body = { user_id: string; event_id: string; timestamp: number; [key: string]: unknown };

/**
 * Events one of whose requests went unanswered (its node was killed): that
 * node may have stored it without telling the others, so the node that then
 * acknowledges it as already stored has nothing to relay.
 */
const unanswered = new Set<string>();

/** Posts one event, retrying on the other node while one does not answer; resolves once acknowledged. */
async function deliver(body: Body, preferred: number, alive: () => ApiProcess[]): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const live = alive();
    const node = live[(preferred + attempt) % live.length] as ApiProcess;
    const res = await fetch(`${node.url}/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).catch(() => null);
    if (res?.status === 200) return;
    if (res === null) unanswered.add(body.event_id);
    await res?.arrayBuffer();
  }
  throw new Error(`event ${body.event_id} never acknowledged`);
}

/** Events a node stored, from its /metrics. */
async function storedBy(node: ApiProcess): Promise<number> {
  const text = await (await fetch(`${node.url}/metrics`)).text();
  return Number(/^persona_drift_events_stored_total (\d+)$/m.exec(text)?.[1] ?? 0);
}

interface EventRisk {
  eventId: string;
  risk: number;
  signals: string | null;
}

const crossUser = (row: EventRisk | undefined) => row?.signals?.includes('credential_stuffing') ?? false;

describe('two API nodes on one PostgreSQL database', () => {
  it('store every acknowledged event once through a node kill, with per-user results equal to one node’s', async () => {
    const url = await cluster.postgres.database('nodes');
    // Started together on an empty database: one migrates, the other waits for it.
    const [a, b] = await Promise.all([cluster.node(url), cluster.node(url)]);
    let killed = false;
    const alive = () => (killed ? [b] : [a, b]);

    // A live subscriber on the node that stays: it hears both nodes' commits.
    const heard: string[] = [];
    const live = createClient({
      url: `${b.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    const stopListening = live.subscribe<{ eventIngested: { eventId: string } }>(
      { query: 'subscription { eventIngested { eventId } }' },
      {
        next: (result) => {
          if (result.data) heard.push(result.data.eventIngested.eventId);
        },
        error: () => {},
        complete: () => {},
      },
    );
    await waitFor(async () => (await subscriptionsActive(b.url)).eventIngested === 1, 'the subscription on node B');

    const population = generatePopulation({ family: FAMILIES.a as Family, users: 40, days: 14, seed: 6 });
    const bodies = population.events.map((event) => event.body as unknown as Body);
    const byUser = new Map<string, Body[]>();
    for (const body of bodies) byUser.set(body.user_id, [...(byUser.get(body.user_id) ?? []), body]);
    let acknowledged = 0;
    // Each user's events in order, one at a time (as one producer sends them), alternating nodes.
    const producers = [...byUser.values()].map(async (events, user) => {
      for (const [n, body] of events.entries()) {
        // Now and then the same event to both nodes at once: stored once.
        if (n % 25 === 0) await Promise.all([deliver(body, user + n, alive), deliver(body, user + n + 1, alive)]);
        else await deliver(body, user + n, alive);
        acknowledged += 1;
      }
    });
    await waitFor(() => acknowledged >= bodies.length / 3, 'a third of the events acknowledged', 120_000);
    // Both nodes were storing when one of them goes.
    for (const node of [a, b]) expect(await storedBy(node)).toBeGreaterThan(0);
    a.child.kill('SIGKILL');
    killed = true;
    expect(acknowledged).toBeLessThan(bodies.length);
    await Promise.all(producers);
    expect(acknowledged).toBe(bodies.length);
    expect(bodies.length).toBeGreaterThan(500);

    const session = new pg.Client({ connectionString: url });
    await session.connect();
    let stored: EventRisk[];
    try {
      stored = (await session.query<EventRisk>('SELECT "eventId", risk, signals FROM "Event" ORDER BY id')).rows;
    } finally {
      await session.end();
    }
    // Every event once, whichever node took it, resent or not.
    const everyEvent = bodies.map((body) => body.event_id).sort();
    expect(stored.map((row) => row.eventId).sort()).toEqual(everyEvent);
    // And heard once on node B, node A's commits relayed through Redis: all but those node A may have
    // committed as it was killed, before it could tell the others.
    const relayed = everyEvent.filter((id) => !unanswered.has(id));
    const heardOnB = () => new Set(heard);
    await waitFor(() => relayed.every((id) => heardOnB().has(id)), 'every relayed event heard on node B', 60_000);
    stopListening();
    await live.dispose();
    expect(heard.length).toBe(heardOnB().size);
    expect(relayed.length).toBeGreaterThan(everyEvent.length - 64);
    expect(heard.filter((id) => !everyEvent.includes(id))).toEqual([]);

    // One node alone, the same events in the order the cluster committed them.
    const order = new Map(stored.map((row, index) => [row.eventId, index]));
    const single = await startApi(`${tmp.dir}/single.db`);
    try {
      for (const body of [...bodies].sort((x, y) => (order.get(x.event_id) ?? 0) - (order.get(y.event_id) ?? 0))) {
        expect((await single.post('/ingest', body)).status).toBe(200);
      }
      for (const userId of byUser.keys()) {
        for (const path of [`/drift/${userId}`, `/fingerprint/${userId}`]) {
          const [cluster, alone] = await Promise.all([
            fetch(`${b.url}${path}`).then((res) => res.json()),
            single.fetch(path).then((res) => res.json()),
          ]);
          expect(cluster, path).toEqual(alone);
        }
      }
      const db = new Database(single.dbFile, { readonly: true });
      const aloneRisk = new Map(
        (db.prepare('SELECT eventId, risk, signals FROM "Event"').all() as EventRisk[]).map((row) => [
          row.eventId,
          row,
        ]),
      );
      db.close();
      // Events judged on other accounts' events from their network (stuffing) depend on whether another
      // node's concurrent commit had reached this node yet: left out here, and checked on a run whose
      // events each reach both nodes before the next (shared-attack-context.test.ts).
      const compared = stored.filter((row) => !crossUser(row) && !crossUser(aloneRisk.get(row.eventId)));
      expect(compared.length).toBeGreaterThan(stored.length * 0.8);
      // Not only quiet events: takeovers and sharing in the population were scored on both sides.
      expect(compared.filter((row) => row.risk >= 30).length).toBeGreaterThanOrEqual(5);
      expect(compared.map((row) => [row.eventId, row.risk])).toEqual(
        compared.map((row) => [row.eventId, aloneRisk.get(row.eventId)?.risk]),
      );

      // Each user's verdict and alerts, for every user whose events all scored alike on both sides (all
      // but a user whose stuffing-scored event raced another node's).
      const userOf = new Map(bodies.map((body) => [body.event_id, body.user_id]));
      const scoredApart = new Set(
        stored
          .filter((row) => {
            const alone = aloneRisk.get(row.eventId);
            return row.risk !== alone?.risk || row.signals !== alone?.signals;
          })
          .map((row) => userOf.get(row.eventId)),
      );
      const users = [...byUser.keys()].filter((userId) => !scoredApart.has(userId));
      expect(users.length).toBeGreaterThan(byUser.size * 0.8);
      /** An alert as a user sees it; ids and when it was written differ between the two runs. */
      const alertsOf = (alerts: Array<Record<string, unknown>>) =>
        alerts.map(({ status, score, level, signals, events, first_at, last_at, source }) => ({
          ...{ status, score, level, signals, events, first_at, last_at, source },
        }));
      let alerted = 0;
      for (const userId of users) {
        const [clusterVerdict, aloneVerdict, clusterAlerts, aloneAlerts] = await Promise.all([
          fetch(`${b.url}/verdict/${userId}`).then((res) => res.json()),
          single.fetch(`/verdict/${userId}`).then((res) => res.json()),
          fetch(`${b.url}/alerts?user_id=${userId}`).then((res) => res.json()),
          single.fetch(`/alerts?user_id=${userId}`).then((res) => res.json()),
        ]);
        expect(clusterVerdict, userId).toEqual(aloneVerdict);
        expect(alertsOf(clusterAlerts.alerts), userId).toEqual(alertsOf(aloneAlerts.alerts));
        if (aloneAlerts.alerts.length > 0) alerted += 1;
      }
      // Alerts were raised, so the comparison compared something.
      expect(alerted).toBeGreaterThanOrEqual(1);
    } finally {
      await single.stop();
    }
  }, 300_000);
});

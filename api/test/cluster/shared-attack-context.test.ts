import Database from 'better-sqlite3';
import { createClient } from 'graphql-sse';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startApi, tempDir } from '../support/api.ts';
import { clusterFixture } from '../support/cluster.ts';
import { type ApiProcess, subscriptionsActive } from '../support/process.ts';
import { waitFor } from '../support/wait.ts';

// Credential stuffing is judged on what every account did from a network in
// the last minutes. A run whose events land on two nodes must be judged on
// all of it, as one node judges the same events.

const tmp = tempDir();
const servers = clusterFixture();

afterAll(() => tmp.cleanup());

const MINUTE = 60_000;
const T = Date.UTC(2026, 10, 3, 18);
const RIG = '45.155.205.7';
const VICTIMS = 12;

interface Body {
  user_id: string;
  event_id: string;
  kind: string;
  timestamp: number;
  meta: Record<string, unknown>;
}

function login(user: number, n: number, at: number, ip: string, success: boolean): Body {
  return {
    user_id: `victim-${user}`,
    event_id: `v${user}-${n}`,
    kind: 'login',
    timestamp: at,
    meta: { ip, success, browser: 'firefox', os: 'linux', device: 'laptop' },
  };
}

interface EventRisk {
  eventId: string;
  risk: number;
  signals: string | null;
}

/** Every eventIngested a node's subscribers hear. */
function listen(node: ApiProcess): { heard: Set<string>; stop(): void } {
  const heard = new Set<string>();
  const client = createClient({ url: `${node.url}/graphql`, retryAttempts: 0 });
  const stop = client.subscribe<{ eventIngested: { eventId: string } }>(
    { query: 'subscription { eventIngested { eventId } }' },
    {
      next: (result) => {
        const id = result.data?.eventIngested.eventId;
        if (id !== undefined) heard.add(id);
      },
      error: () => {},
      complete: () => {},
    },
  );
  return {
    heard,
    stop: () => {
      stop();
      client.dispose();
    },
  };
}

async function post(url: string, body: Body): Promise<void> {
  const response = await fetch(`${url}/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.text()).toBe(200);
}

describe('the attack context across nodes', () => {
  it('judges a stuffing run spread over two nodes on all of it, as one node does', async () => {
    const url = await servers.postgres.database('stuffing');
    const nodes = [await servers.node(url), await servers.node(url)];
    const listeners = nodes.map(listen);
    // Both subscribed, and both hearing the other through Redis, before the first event.
    for (const node of nodes) {
      await waitFor(
        async () => (await subscriptionsActive(node.url)).eventIngested === 1,
        `a subscriber on ${node.url}`,
      );
      await waitFor(
        async () => ((await (await fetch(`${node.url}/health`)).json()) as { redis?: string }).redis === 'ok',
        `${node.url} hearing Redis`,
      );
    }

    // Each victim's own history, days before, from their home network.
    const history = Array.from({ length: VICTIMS }, (_, user) => [
      login(user, 0, T - 3 * 24 * 60 * MINUTE, `81.2.${user + 10}.20`, true),
      login(user, 1, T - 2 * 24 * 60 * MINUTE, `81.2.${user + 10}.20`, true),
    ]).flat();
    // The run: one address failing on every victim a minute apart, then getting into two of them.
    const run = Array.from({ length: VICTIMS }, (_, user) => login(user, 2, T + user * MINUTE, RIG, false));
    run.push(login(3, 3, T + VICTIMS * MINUTE, RIG, true), login(8, 3, T + (VICTIMS + 1) * MINUTE, RIG, true));
    const sent = [...history, ...run];

    // Alternate nodes; the next event only once the other node has heard this one (its subscribers have).
    for (const [n, body] of sent.entries()) {
      await post(nodes[n % 2]?.url as string, body);
      const other = listeners[(n + 1) % 2] as ReturnType<typeof listen>;
      await waitFor(() => other.heard.has(body.event_id), `${body.event_id} heard on the other node`);
    }
    for (const listener of listeners) listener.stop();

    const session = new pg.Client({ connectionString: url });
    await session.connect();
    let cluster: EventRisk[];
    try {
      cluster = (await session.query<EventRisk>('SELECT "eventId", risk, signals FROM "Event" ORDER BY id')).rows;
    } finally {
      await session.end();
    }
    expect(cluster.map((row) => row.eventId).sort()).toEqual(sent.map((body) => body.event_id).sort());

    const single = await startApi(`${tmp.dir}/single.db`);
    let alone: Map<string, EventRisk>;
    try {
      for (const body of sent) expect((await single.post('/ingest', body)).status).toBe(200);
      const db = new Database(single.dbFile, { readonly: true });
      alone = new Map(
        (db.prepare('SELECT eventId, risk, signals FROM "Event"').all() as EventRisk[]).map((row) => [
          row.eventId,
          row,
        ]),
      );
      db.close();
    } finally {
      await single.stop();
    }

    const stuffing = (row: EventRisk | undefined) => row?.signals?.includes('credential_stuffing') ?? false;
    // The run is caught on both nodes' events, not only on the node that saw five failures by itself.
    const caught = run.filter((body) => stuffing(cluster.find((row) => row.eventId === body.event_id)));
    expect(caught.length).toBeGreaterThanOrEqual(VICTIMS - 4);
    expect(new Set(caught.map((body) => run.indexOf(body) % 2)).size).toBe(2);
    // Every event scored as one node scores it, signals and all.
    expect(cluster.map((row) => [row.eventId, row.risk, row.signals])).toEqual(
      cluster.map((row) => [row.eventId, alone.get(row.eventId)?.risk, alone.get(row.eventId)?.signals]),
    );
  }, 300_000);
});

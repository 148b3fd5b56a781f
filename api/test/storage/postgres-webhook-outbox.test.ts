import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookSender } from '../../src/services/webhooks.ts';
import type { OutboxMessage } from '../../src/storage/ports.ts';
import { epochMsOf } from '../../src/storage/postgres/timestamps.ts';
import { PostgresWebhookOutbox } from '../../src/storage/postgres/webhook-outbox.ts';
import { PostgresFixture } from '../support/postgres.ts';
import { waitFor } from '../support/wait.ts';

// The webhook outbox on PostgreSQL, as the senders of two API nodes on one database share it.

const postgres = new PostgresFixture();

beforeAll(async () => {
  await postgres.start();
}, 600_000);

afterAll(async () => {
  await postgres.stop();
});

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 11, 1);
const U1 = 'https://siem.example/one';
const U2 = 'https://siem.example/two';

/** Two nodes' outboxes on one fresh database, and a pool to look into it. */
async function twoNodes(pool: pg.PoolConfig = {}) {
  const url = await postgres.migratedDatabase('outbox');
  const pools = [postgres.pool(url, pool), postgres.pool(url, pool)] as const;
  return {
    look: postgres.pool(url),
    pools,
    a: new PostgresWebhookOutbox(pools[0]),
    b: new PostgresWebhookOutbox(pools[1]),
  };
}

interface Row {
  messageId: string;
  url: string;
  attempts: number;
  deliveredAt: number | null;
  droppedAt: number | null;
  lastError: string | null;
}

async function rows(look: pg.Pool): Promise<Row[]> {
  const result = await look.query<Row>(
    `SELECT "messageId", url, attempts, ${epochMsOf('"deliveredAt"')} AS "deliveredAt",
       ${epochMsOf('"droppedAt"')} AS "droppedAt", "lastError" FROM "WebhookMessage" ORDER BY id`,
  );
  return result.rows;
}

/** A user with one alert; the alert's id. */
async function alertOf(look: pg.Pool, userId: string): Promise<number> {
  await look.query(`INSERT INTO "User" (id, "firstSeen", "lastSeen", fingerprint) VALUES ($1, now(), now(), 'f')`, [
    userId,
  ]);
  const { rows: created } = await look.query<{ id: number }>(
    `INSERT INTO "Alert" ("userId", score, level, signals, "firstEventId", "lastEventId", "firstAt", "lastAt",
       "createdAt", "updatedAt")
     VALUES ($1, 60, 'high', '[]', 1, 1, now(), now(), now(), now()) RETURNING id`,
    [userId],
  );
  return created[0]?.id as number;
}

const ids = (messages: OutboxMessage[]) => messages.map((message) => message.messageId);

describe('the webhook outbox on PostgreSQL', () => {
  it('queues, claims, retries, delivers, gives up and forgets messages as the SQLite outbox does', async () => {
    const { a: outbox, look } = await twoNodes();
    expect(await outbox.nextDue()).toBeNull();
    await outbox.enqueue('msg_1', [U1, U2], '{"n":1}', T0);
    expect(await outbox.pendingCount()).toBe(2);
    expect(await outbox.nextDue()).toBe(T0);
    expect(await outbox.claim(T0 - 1, 10, T0 + 100)).toEqual([]);
    await outbox.enqueue('msg_2', [U1], '{"n":2}', T0 + 10);

    // The longest waiting first, at most `limit`, leased to the caller.
    const [first, second] = await outbox.claim(T0 + 10, 2, T0 + 100);
    expect([first, second]).toEqual([
      { id: expect.any(Number), messageId: 'msg_1', url: U1, body: '{"n":1}', attempts: 0 },
      { id: expect.any(Number), messageId: 'msg_1', url: U2, body: '{"n":1}', attempts: 0 },
    ]);
    expect(await outbox.nextDue()).toBe(T0 + 10);
    const [third] = await outbox.claim(T0 + 10, 10, T0 + 200);
    expect(third?.messageId).toBe('msg_2');
    // Leased: nothing is due until the first lease ends.
    expect(await outbox.claim(T0 + 99, 10, T0 + 300)).toEqual([]);
    expect(await outbox.nextDue()).toBe(T0 + 100);
    expect(await outbox.pendingCount()).toBe(3);

    await outbox.delivered(first?.id as number, T0 + 100, 1, T0 + 50);
    await outbox.retryAt(second?.id as number, T0 + 100, 1, T0 + 1000, 'HTTP 500');
    expect(await outbox.nextDue()).toBe(T0 + 200);
    await outbox.dropped(third?.id as number, T0 + 200, 1, T0 + 60, 'blocked: not public');
    expect(await outbox.pendingCount()).toBe(1);
    expect(await outbox.nextDue()).toBe(T0 + 1000);
    expect(await rows(look)).toEqual([
      { messageId: 'msg_1', url: U1, attempts: 1, deliveredAt: T0 + 50, droppedAt: null, lastError: null },
      { messageId: 'msg_1', url: U2, attempts: 1, deliveredAt: null, droppedAt: null, lastError: 'HTTP 500' },
      {
        messageId: 'msg_2',
        url: U1,
        attempts: 1,
        deliveredAt: null,
        droppedAt: T0 + 60,
        lastError: 'blocked: not public',
      },
    ]);
    // The retry is due at its time, under the same message id, with its attempts so far.
    expect(await outbox.claim(T0 + 1000, 10, T0 + 2000)).toEqual([{ ...second, attempts: 1 }]);

    // Finished messages are kept a week: the delivered one (T0 + 50) goes, the dropped one (T0 + 60) stays.
    await outbox.forgetFinished(T0 + 7 * DAY + 55);
    expect((await rows(look)).map((row) => row.messageId)).toEqual(['msg_1', 'msg_2']);
  });

  it('gives up messages older than a day and those for destinations no longer configured', async () => {
    const { a: outbox, look } = await twoNodes();
    await outbox.enqueue('msg_old', [U1], '{}', T0 - 2 * DAY);
    await outbox.enqueue('msg_gone', [U2], '{}', T0);
    await outbox.enqueue('msg_kept', [U1], '{}', T0 + 3_600_000);
    // Finished, so not given up whatever its age and destination.
    await outbox.enqueue('msg_done', [U2], '{}', T0 - 3 * DAY);
    const [done] = await outbox.claim(T0 - 3 * DAY, 1, T0 - DAY);
    expect(done?.messageId).toBe('msg_done');
    await outbox.delivered(done?.id as number, T0 - DAY, 1, T0 - DAY);

    expect(await outbox.dropOutdated(T0 + 3_600_000, DAY, [U1])).toBe(2);
    const dropped = (await rows(look)).filter((row) => row.droppedAt !== null);
    expect(dropped).toEqual([
      expect.objectContaining({ messageId: 'msg_old', lastError: 'older than the retry schedule' }),
      expect.objectContaining({ messageId: 'msg_gone', lastError: 'destination no longer configured' }),
    ]);
    expect(await outbox.pendingCount()).toBe(1);
    expect(await outbox.dropOutdated(T0 + 3_600_000, DAY, [U1])).toBe(0);
  });

  it('stores a message about an alert only while the alert exists, and deletes it with the alert', async () => {
    const { a: outbox, look } = await twoNodes();
    const alertId = await alertOf(look, 'erin');
    await outbox.enqueue('msg_alert', [U1, U2], '{}', T0, alertId);
    await outbox.enqueue('msg_missing', [U1], '{}', T0, alertId + 1);
    expect((await rows(look)).map((row) => row.messageId)).toEqual(['msg_alert', 'msg_alert']);
    await look.query(`DELETE FROM "User" WHERE id = 'erin'`);
    expect(await rows(look)).toEqual([]);

    // A deletion under way when the message is stored: the insert waits for it, then stores nothing.
    const deleted = await alertOf(look, 'fay');
    const deleting = await look.connect();
    try {
      await deleting.query('BEGIN');
      await deleting.query(`DELETE FROM "User" WHERE id = 'fay'`);
      const storing = outbox.enqueue('msg_late', [U1], '{}', T0, deleted);
      await waitFor(
        async () =>
          ((
            await deleting.query<{ waiting: number }>(
              `SELECT count(*)::int4 AS waiting FROM pg_locks WHERE NOT granted
                 AND pid <> pg_backend_pid() AND locktype IN ('transactionid', 'tuple')`,
            )
          ).rows[0]?.waiting ?? 0) > 0,
        'the insert to wait for the deletion',
      );
      await deleting.query('COMMIT');
      await storing;
    } finally {
      deleting.release();
    }
    expect(await rows(look)).toEqual([]);
  });

  it('gives two nodes claiming at once disjoint messages, all of them between them', async () => {
    const { a, b, pools } = await twoNodes({ max: 3 });
    const total = 240;
    for (let n = 0; n < total / 2; n += 1) await a.enqueue(`msg_${n}`, [U1, U2], '{}', T0 + (n % 7));
    // Every session open before the claims start, so that both nodes claim from the first moment.
    for (const pool of pools) {
      const sessions = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
      for (const session of sessions) session.release();
    }
    const claimed = new Map<string, string[]>();
    /** Claims a few at a time until nothing is left to claim. */
    const claimer = async (outbox: PostgresWebhookOutbox, name: string) => {
      for (;;) {
        const messages = await outbox.claim(T0 + 10, 5, T0 + 60_000);
        if (messages.length === 0) return;
        for (const message of messages) {
          const key = `${message.messageId} ${message.url}`;
          claimed.set(key, [...(claimed.get(key) ?? []), name]);
        }
      }
    };
    await Promise.all([
      ...['a1', 'a2', 'a3', 'a4'].map((name) => claimer(a, name)),
      ...['b1', 'b2', 'b3', 'b4'].map((name) => claimer(b, name)),
    ]);
    expect(claimed.size).toBe(total);
    expect([...claimed.values()].filter((takers) => takers.length > 1)).toEqual([]);
    expect(new Set([...claimed.values()].map(([taker]) => taker?.[0])).size).toBe(2);
    expect([await a.claim(T0 + 10, 1000, T0 + 60_000), await b.claim(T0 + 10, 1000, T0 + 60_000)]).toEqual([[], []]);
    // Leased, still pending: due again when the leases end.
    expect(await b.pendingCount()).toBe(total);
    expect(await b.nextDue()).toBe(T0 + 60_000);
  });

  it("lets another node take a message whose lease ended, and ignores the first node's late outcome", async () => {
    const { a, b, look } = await twoNodes();
    await a.enqueue('msg_1', [U1], '{}', T0);
    const [taken] = await a.claim(T0, 10, T0 + 1000);
    expect(ids(await b.claim(T0 + 999, 10, T0 + 2000))).toEqual([]);
    // Node A's post outlived its lease (or A died): node B takes the message.
    const [retaken] = await b.claim(T0 + 1000, 10, T0 + 3000);
    expect(retaken).toEqual(taken);
    await a.delivered(taken?.id as number, T0 + 1000, 1, T0 + 1500);
    await a.retryAt(taken?.id as number, T0 + 1000, 1, T0 + 1600, 'HTTP 500');
    expect(await a.pendingCount()).toBe(1);
    expect(await a.nextDue()).toBe(T0 + 3000);
    // Node B's outcome counts: its lease holds.
    await b.retryAt(retaken?.id as number, T0 + 3000, 1, T0 + 4000, 'HTTP 503');
    await a.dropped(taken?.id as number, T0 + 1000, 2, T0 + 3500, 'timed out');
    expect(await b.nextDue()).toBe(T0 + 4000);
    const [again] = await a.claim(T0 + 4000, 10, T0 + 5000);
    expect(again?.attempts).toBe(1);
    await a.delivered(again?.id as number, T0 + 5000, 2, T0 + 4100);
    expect(await rows(look)).toEqual([
      { messageId: 'msg_1', url: U1, attempts: 2, deliveredAt: T0 + 4100, droppedAt: null, lastError: null },
    ]);
    expect(await b.pendingCount()).toBe(0);
    expect(await b.nextDue()).toBeNull();
  });
});

describe('webhook senders of two nodes on one PostgreSQL database', () => {
  it('post every message exactly once, both at once', async () => {
    const held: ServerResponse[] = [];
    const received: string[] = [];
    let holding = true;
    // Answers nothing until both nodes have every post they may have under way (16 each), then everything.
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push(String(req.headers['webhook-id']));
        if (holding) held.push(res);
        else res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;

    const { a, b } = await twoNodes();
    const queued = Array.from({ length: 60 }, (_, n) => `msg_queued_${n}`);
    for (const id of queued) await a.enqueue(id, [hook], '{}', Date.now());
    const errors: string[] = [];
    const options = {
      urls: [hook],
      secret: randomBytes(32),
      allowPrivate: true,
      // Longer than the posts are held, so none times out and goes out again.
      timeoutMs: 120_000,
      onError: (message: string) => errors.push(message),
      onFailure: (_url: string, error: string) => errors.push(error),
    };
    const senders = [new WebhookSender(options, a), new WebhookSender(options, b)];
    await waitFor(() => held.length === 32, 'both nodes to post 16 messages each', 60_000);
    holding = false;
    for (const res of held) res.end();
    for (const [node, sender] of senders.entries()) {
      for (let n = 0; n < 20; n += 1) sender.send('test.message', { node, n });
    }
    await waitFor(
      async () => received.length >= 100 && (await a.pendingCount()) === 0,
      'every message to be delivered',
      60_000,
    );
    await Promise.all(senders.map((sender) => sender.close()));
    expect(errors).toEqual([]);
    expect(received).toHaveLength(100);
    expect(new Set(received).size).toBe(100);
    expect(received.filter((id) => id.startsWith('msg_queued_')).sort()).toEqual([...queued].sort());
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }, 120_000);
});

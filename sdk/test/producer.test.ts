import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApi, startApi, tempDir } from '../../api/test/support/api.ts';
import { waitFor } from '../../api/test/support/wait.ts';
import { IngestError, PersonaDrift, QueueFull } from '../src/index.ts';

const tmp = tempDir();
let server: RunningApi;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'sdk.db'));
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

/** The global fetch, counting the requests it makes and what they answered. */
function countingFetch() {
  const statuses: number[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    statuses.push(response.status);
    return response;
  };
  return { fetch: wrapped, statuses };
}

const login = (userId: string, n: number, meta: Record<string, unknown> = {}) => ({
  userId,
  kind: 'login',
  timestamp: Date.UTC(2026, 10, 1) + n * 60_000,
  meta: { browser: 'chrome', os: 'windows', ip: '12.34.56.78', device: 'laptop', ...meta },
});

describe('the producer SDK', () => {
  it('batches events sent one by one into few requests, and resolves each once it is committed', async () => {
    const counting = countingFetch();
    const client = new PersonaDrift({ url: server.url, fetch: counting.fetch, batchSize: 500 });
    await Promise.all(Array.from({ length: 1200 }, (_, n) => client.send(login(`batched-${n % 7}`, n))));
    expect(counting.statuses.length).toBeLessThanOrEqual(6);
    expect(counting.statuses.every((status) => status === 200)).toBe(true);
    const counts = await Promise.all(Array.from({ length: 7 }, (_, u) => client.user(`batched-${u}`)));
    expect(counts.reduce((sum, user) => sum + (user?.eventCount ?? 0), 0)).toBe(1200);
  });

  it('refuses one bad event with the field to blame and still stores the rest of its batch', async () => {
    const client = new PersonaDrift({ url: server.url, lingerMs: 50 });
    const results = await Promise.allSettled([
      client.send(login('mixed-batch', 1)),
      client.send(login('mixed-batch', 2, { ip: 'not-an-ip' })),
      client.send(login('mixed-batch', 3)),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const error = (results[1] as PromiseRejectedResult).reason as IngestError;
    expect(error).toBeInstanceOf(IngestError);
    expect(error).toMatchObject({ status: 422, code: 'invalid_field', field: 'meta.ip' });
    expect((await client.user('mixed-batch'))?.eventCount).toBe(2);
  });

  it('sends a batch at once, numbering a bad event from the start of the whole batch', async () => {
    const client = new PersonaDrift({ url: server.url, batchSize: 2 });
    const events = [1, 2, 3, 4, 5].map((n) => login('explicit-batch', n, n === 4 ? { ip: '300.1.1.1' } : {}));
    const error = await client.sendBatch(events).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as IngestError).field).toBe('[3].meta.ip');
    // The requests before the bad one are stored, all or nothing each.
    expect((await client.user('explicit-batch'))?.eventCount).toBe(2);
    expect(await client.sendBatch([1, 2].map((n) => login('explicit-ok', n)))).toEqual({ count: 2, duplicates: 0 });
  });

  it('retries a request whose answer was lost without storing anything twice', async () => {
    let lost = 0;
    const losing: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      // The first answer never arrives, though the server stored the events.
      if (lost === 0) {
        lost += 1;
        throw new TypeError('fetch failed: connection reset');
      }
      return response;
    };
    const client = new PersonaDrift({ url: server.url, fetch: losing, retry: { baseDelayMs: 10 } });
    const result = await client.sendBatch([1, 2, 3].map((n) => login('lost-answer', n)));
    expect(lost).toBe(1);
    expect(result).toEqual({ count: 3, duplicates: 3 });
    expect((await client.user('lost-answer'))?.eventCount).toBe(3);
  });

  it('bounds its queue', async () => {
    const client = new PersonaDrift({ url: server.url, maxQueued: 3, lingerMs: 1000 });
    const sent = [1, 2, 3].map((n) => client.send(login('bounded', n)));
    await expect(client.send(login('bounded', 4))).rejects.toBeInstanceOf(QueueFull);
    expect(client.producer.queued).toBe(3);
    await client.close();
    await Promise.all(sent);
    await expect(client.send(login('bounded', 5))).rejects.toThrow(/closed/);
    expect((await client.user('bounded'))?.eventCount).toBe(3);
  });

  it('reads typed results: a user, the users at risk page by page, and every event of a user', async () => {
    const client = new PersonaDrift({ url: server.url });
    await client.sendBatch(Array.from({ length: 12 }, (_, n) => login('reader', n)));
    const user = await client.user('reader');
    expect(user).toMatchObject({ id: 'reader', eventCount: 12, risk: { level: expect.any(String) } });
    expect(await client.user('nobody-at-all')).toBeNull();
    const events = [];
    for await (const event of client.events('reader', 5)) events.push(event);
    expect(events.map((event) => event.timestamp)).toEqual(
      [...events.map((event) => event.timestamp)].sort((a, b) => Date.parse(a) - Date.parse(b)),
    );
    expect(events).toHaveLength(12);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Awaited<ReturnType<PersonaDrift['usersAtRisk']>> = await client.usersAtRisk(4, after);
      seen.push(...page.nodes.map((node) => node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor ?? null;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain('reader');
  });

  it('flushes what was queued before the call even while more keeps coming', async () => {
    const client = new PersonaDrift({ url: server.url, lingerMs: 5, batchSize: 50 });
    const early = Array.from({ length: 120 }, (_, n) => client.send(login('steady-stream', n)));
    let stop = false;
    const more = (async () => {
      for (let n = 120; !stop; n += 1) {
        await client.send(login('steady-stream', n));
      }
    })();
    await client.flush();
    const settled = await Promise.allSettled(early);
    expect(settled.every((result) => result.status === 'fulfilled')).toBe(true);
    stop = true;
    await more;
    await client.close();
  });

  it('gives up on a server that never answers, after its retries, instead of hanging', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const client = new PersonaDrift({
        url: `http://127.0.0.1:${port}`,
        timeoutMs: 200,
        retry: { retries: 1, baseDelayMs: 10 },
      });
      const error = await client.send(login('unanswered', 1)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IngestError);
      expect(error).toMatchObject({ status: 0 });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('ends the live alert stream on the server when the caller stops reading or aborts', async () => {
    const client = new PersonaDrift({ url: server.url });
    const reading = (async () => {
      for await (const alert of client.alerts('CEF')) return alert;
      return null;
    })();
    await waitFor(() => server.api.subscribers.count('alertChanged') === 1, 'the subscription to open');
    // Eleven failed guesses then a success at home: an alert.
    const at = Date.UTC(2026, 10, 20);
    await client.sendBatch([
      ...Array.from({ length: 20 }, (_, n) => login('streamed', n - 30 * 24 * 60)),
      ...Array.from({ length: 11 }, (_, n) => ({
        ...login('streamed', n),
        timestamp: at + n * 60_000,
        meta: { ...login('streamed', 0).meta, success: false },
      })),
      { ...login('streamed', 0), timestamp: at + 12 * 60_000, meta: { ...login('streamed', 0).meta, success: true } },
    ]);
    expect((await reading)?.user.id).toBe('streamed');
    await waitFor(() => server.api.subscribers.count('alertChanged') === 0, 'the stream to end after the loop left');

    const controller = new AbortController();
    const aborted = (async () => {
      for await (const _ of client.alerts('ECS', controller.signal)) {
        // nothing arrives
      }
      return 'ended';
    })();
    await waitFor(() => server.api.subscribers.count('alertChanged') === 1, 'the second subscription to open');
    controller.abort();
    expect(await aborted).toBe('ended');
    await waitFor(() => server.api.subscribers.count('alertChanged') === 0, 'the stream to end on abort');
  });
});

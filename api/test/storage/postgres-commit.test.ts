import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStoreUnavailable } from '../../src/storage/errors.ts';
import { inTransaction } from '../../src/storage/postgres/transaction.ts';
import { startApiOn } from '../support/api.ts';
import { PostgresFixture } from '../support/postgres.ts';
import { SessionCutter } from '../support/session-cutter.ts';

// A session lost at COMMIT: if the server committed, the write counts as
// done (answered 200, not retried into a second copy); if it did not,
// nothing was stored and the answer says retry.

const postgres = new PostgresFixture();
let cutter: SessionCutter;
let proxyPort: number;

beforeAll(async () => {
  await postgres.start();
  cutter = new SessionCutter({ host: '127.0.0.1', port: postgres.server.port });
  proxyPort = await cutter.start();
}, 600_000);

afterAll(async () => {
  await cutter?.stop();
  await postgres.stop();
});

/** The same database through the proxy. */
const viaProxy = (url: string) => url.replace(`:${postgres.server.port}/`, `:${proxyPort}/`);

async function count(url: string, sql: string, values: unknown[] = []): Promise<number> {
  const session = new pg.Client({ connectionString: url });
  await session.connect();
  try {
    return Number((await session.query<{ n: string }>(sql, values)).rows[0]?.n);
  } finally {
    await session.end();
  }
}

describe('a session lost at COMMIT', () => {
  it('returns the result when the server committed, and fails as unavailable when it did not', async () => {
    const url = await postgres.database('commit');
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    await setup.query('CREATE TABLE written (n int)');
    await setup.end();
    const pool = postgres.pool(viaProxy(url));
    const write = (n: number) =>
      inTransaction(pool, async (client) => {
        await client.query(`INSERT INTO written VALUES (${n}) -- marked`);
        return n;
      });

    cutter.arm('after-commit', 'marked');
    expect(await write(1)).toBe(1);
    expect(cutter.cuts).toBe(1);

    cutter.arm('before-commit', 'marked');
    const error = await write(2).catch((caught: unknown) => caught);
    expect(isStoreUnavailable(error)).toBe(true);
    expect(cutter.cuts).toBe(2);

    expect(await write(3)).toBe(3);
    expect(await count(url, 'SELECT count(*) AS n FROM written')).toBe(2);
    expect(await count(url, 'SELECT count(*) AS n FROM written WHERE n = 2')).toBe(0);
  });

  it('answers an ingest whose commit went through 200, stored once; one that did not 503, stored never', async () => {
    const url = await postgres.database('ingest');
    const api = await startApiOn(viaProxy(url));
    try {
      // No event_id: a retry of an event that was in fact stored would store it twice.
      const login = (ip: string) => ({ user_id: 'cut', kind: 'login', meta: { ip, browser: 'chrome' } });
      cutter.arm('after-commit', 'pd_next_ids');
      const committed = await api.post('/ingest', login('198.51.100.1'));
      expect(cutter.cuts).toBe(3);
      expect(committed.status).toBe(200);
      expect(await committed.json()).toEqual({ ok: true, stored: true });

      cutter.arm('before-commit', 'pd_next_ids');
      const lost = await api.post('/ingest', login('198.51.100.2'));
      expect(cutter.cuts).toBe(4);
      expect(lost.status).toBe(503);
      expect(lost.headers.get('retry-after')).not.toBeNull();
      expect(await lost.json()).toMatchObject({ ok: false, error: 'unavailable' });

      expect((await api.post('/ingest', login('198.51.100.3'))).status).toBe(200);
      const timeline = (await (await api.fetch('/timeline/cut')).json()) as Array<{ meta: { ip: string } }>;
      expect(timeline.map((event) => event.meta.ip)).toEqual(['198.51.100.1', '198.51.100.3']);
    } finally {
      await api.stop();
    }
  });
});

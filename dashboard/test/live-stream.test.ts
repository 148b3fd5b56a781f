import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyStore } from '../../api/src/storage/key-store.ts';
import { applyMigrations } from '../../api/src/storage/migrations.ts';
import { openDatabase } from '../../api/src/storage/sqlite.ts';
import { type ApiProcess, spawnApi } from '../../api/test/support/process.ts';
import { createLiveClient, type LiveState, reconnectDelay } from '../src/lib/live-stream.ts';

const dir = mkdtempSync(join(tmpdir(), 'persona-drift-live-'));
const running: ApiProcess[] = [];

afterAll(async () => {
  for (const api of running) if (api.child.exitCode === null) api.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string>): Promise<ApiProcess> {
  const api = await spawnApi(env);
  running.push(api);
  return api;
}

async function stop(api: ApiProcess): Promise<void> {
  api.child.kill('SIGTERM');
  await api.exited;
}

const SUBSCRIPTION = 'subscription { eventIngested { user { id } } }';

/** Every user id the stream delivered, and every state it went through. */
function listen(url: string) {
  const users: string[] = [];
  const states: LiveState[] = [];
  let failed: unknown = null;
  const client = createLiveClient(`${url}/graphql`, (state) => states.push(state));
  const unsubscribe = client.subscribe(
    { query: SUBSCRIPTION },
    {
      next: (result) => users.push((result.data as { eventIngested: { user: { id: string } } }).eventIngested.user.id),
      error: (error) => {
        failed = error;
      },
      complete: () => {},
    },
  );
  const close = () => {
    unsubscribe();
    client.dispose();
  };
  return { users, states, failed: () => failed, close };
}

/** Ingests an event for the user until the stream has delivered one. */
async function deliveredAfterIngest(url: string, live: { users: string[] }, userId: string): Promise<boolean> {
  await ingest(url, userId);
  return live.users.includes(userId);
}

async function ingest(url: string, userId: string): Promise<void> {
  const res = await fetch(`${url}/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: userId, kind: 'login', meta: { browser: 'chrome' } }),
  });
  expect(res.status).toBe(200);
}

describe('the tab’s live stream', () => {
  it('backs off from 1 s to at most 30 s between reconnects', () => {
    expect(reconnectDelay(0, () => 1)).toBe(1_000);
    expect(reconnectDelay(0, () => 0)).toBe(500);
    expect(reconnectDelay(3, () => 1)).toBe(8_000);
    expect(reconnectDelay(20, () => 1)).toBe(30_000);
    expect(reconnectDelay(20, () => 0)).toBe(15_000);
  });

  it('opens again after the API restarts, and delivers what is ingested then', async () => {
    const db = `file:${join(dir, 'restart.db')}`;
    const first = await start({ DATABASE_URL: db });
    const port = new URL(first.url).port;
    const live = listen(first.url);
    // Delivered once the stream listens: ingest until one arrives.
    await expect.poll(() => deliveredAfterIngest(first.url, live, 'before'), { timeout: 30_000 }).toBe(true);
    expect(live.states.at(-1)).toBe('open');

    await stop(first);
    const second = await start({ DATABASE_URL: db, PORT: port });
    await expect.poll(() => deliveredAfterIngest(second.url, live, 'after'), { timeout: 45_000 }).toBe(true);
    expect(live.states.filter((state) => state === 'open').length).toBeGreaterThanOrEqual(2);
    expect(live.failed()).toBeNull();
    live.close();
    await stop(second);
  }, 120_000);

  it('gives up, saying so, when the API no longer takes the session’s key', async () => {
    const file = join(dir, 'keys.db');
    const db = openDatabase(file);
    applyMigrations(db);
    new KeyStore(db).create('admin', 'admin key', 'cli');
    db.close();
    const api = await start({ DATABASE_URL: `file:${file}` });
    const live = listen(api.url);
    await expect.poll(() => live.failed() !== null, { timeout: 30_000 }).toBe(true);
    expect(live.states.at(-1)).toBe('signed-out');
    expect(live.states.filter((state) => state === 'connecting')).toHaveLength(1);
    live.close();
    await stop(api);
  }, 90_000);
});

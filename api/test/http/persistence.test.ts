import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';

const tmp = tempDir();
let server: RunningApi | undefined;

afterAll(async () => {
  await server?.stop();
  tmp.cleanup();
});

describe('restart persistence', () => {
  it('creates the database on first start and keeps every acknowledged event across restarts', async () => {
    const dbFile = join(tmp.dir, 'nested', 'dir', 'persist.db');
    server = await startApi(dbFile);
    await server.post('/ingest', {
      user_id: 'alice',
      kind: 'login',
      timestamp: '2024-01-01T00:00:00Z',
      meta: { browser: 'chrome', os: 'windows', ip: '12.34.56.78', device: 'laptop' },
    });
    await server.post('/ingest', [
      {
        user_id: 'alice',
        kind: 'login',
        timestamp: '2024-01-02T00:00:00Z',
        meta: { browser: 'firefox', dev_type: 'phone', ip: '98.1.1.1' },
      },
      { user_id: 'bob', kind: 'login', event_id: 'b-1' },
    ]);
    const before = {
      drift: await (await server.fetch('/drift/alice')).text(),
      fingerprint: await (await server.fetch('/fingerprint/alice')).text(),
      timeline: await (await server.fetch('/timeline/alice')).text(),
      profiles: await (await server.fetch('/profiles')).text(),
    };
    expect(JSON.parse(before.profiles)).toEqual({ alice: 2, bob: 1 });

    server = await server.restart();
    expect(await (await server.fetch('/drift/alice')).text()).toBe(before.drift);
    expect(await (await server.fetch('/fingerprint/alice')).text()).toBe(before.fingerprint);
    expect(await (await server.fetch('/timeline/alice')).text()).toBe(before.timeline);
    expect(await (await server.fetch('/profiles')).text()).toBe(before.profiles);

    // Aggregates carry on from where they were: a retry is still a duplicate, and a
    // phone login after the phone login is no switch (the device switch rule read
    // the restored previous device).
    const retry = await server.post('/ingest', { user_id: 'bob', kind: 'login', event_id: 'b-1' });
    expect(await retry.json()).toEqual({ ok: true, stored: true, duplicate: true });
    await server.post('/ingest', {
      user_id: 'alice',
      kind: 'login',
      timestamp: '2024-01-03T00:00:00Z',
      meta: { dev_type: 'phone' },
    });
    expect(await (await server.fetch('/drift/alice')).json()).toEqual({
      events: 3,
      drift_score: 30,
      reasons: ['Multiple IPs', 'Multiple Browsers', 'Multiple Device Types'],
    });
  });
});

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApi, startApiOn, tempDir } from '../support/api.ts';
import { PostgresFixture } from '../support/postgres.ts';

// The original engine's REST contract, on each storage engine.

const seed = {
  user_id: 'alice',
  kind: 'login',
  meta: { browser: 'chrome', os: 'windows', ip: '12.34.56.78', device: 'laptop' },
};

const tmp = tempDir();
const postgres = new PostgresFixture();
let server: RunningApi;

afterAll(async () => {
  await postgres.stop();
  tmp.cleanup();
});

describe.each([
  ['SQLite', () => Promise.resolve(`file:${join(tmp.dir, 'contract.db')}`)],
  [
    'PostgreSQL',
    async () => {
      await postgres.start();
      return postgres.database('contract');
    },
  ],
])('on %s', (engine, database) => {
  beforeAll(async () => {
    server = await startApiOn(await database());
    // Really on that engine: the API names the database it opened.
    expect(server.api.database).toMatch(
      engine === 'SQLite' ? /contract\.db$/ : /^postgresql:\/\/127\.0\.0\.1:\d+\/contract/,
    );
  }, 600_000);

  afterAll(async () => {
    await server.stop();
  });

  async function ingest(body: unknown): Promise<Response> {
    const res = await server.post('/ingest', body);
    expect(res.status).toBe(200);
    return res;
  }

  describe('the original engine contract', () => {
    it('POST /ingest answers exactly {"ok":true,"stored":true}', async () => {
      const res = await ingest(seed);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await res.text()).toBe('{"ok":true,"stored":true}');
    });

    it('GET /drift answers the original JSON, keys in order, for a user who drifted', async () => {
      // 10 events: two networks, two browsers, same OS and device throughout.
      for (let i = 0; i < 10; i++) {
        await ingest({
          user_id: 'drifter',
          kind: 'login',
          timestamp: 1_700_000_000_000 + i * 60_000,
          meta: {
            browser: i % 3 === 0 ? 'firefox' : 'chrome',
            os: 'windows',
            ip: i % 2 === 0 ? '12.34.56.78' : '98.76.54.32',
            device: 'laptop',
          },
        });
      }
      const res = await server.fetch('/drift/drifter');
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('{"events":10,"drift_score":25,"reasons":["Multiple IPs","Multiple Browsers"]}');
    });

    it('scores every rule, capped order and weights as the original', async () => {
      await ingest({ ...seed, user_id: 'all', timestamp: '2024-01-01T00:00:00Z' });
      await ingest({
        user_id: 'all',
        kind: 'login',
        timestamp: '2024-01-02T00:00:00Z',
        meta: { browser: 'safari', os: 'ios', ip: '2001:db8:1::7', dev_type: 'phone' },
      });
      const body = await (await server.fetch('/drift/all')).json();
      expect(body).toEqual({
        events: 2,
        drift_score: 45,
        reasons: ['Multiple IPs', 'Multiple OS', 'Multiple Browsers', 'Multiple Device Types', 'Abrupt Device Switch'],
      });
    });

    it('treats meta.device and meta.dev_type as the same field', async () => {
      await ingest({ user_id: 'spell', kind: 'login', meta: { device: 'Laptop' } });
      await ingest({ user_id: 'spell', kind: 'login', meta: { dev_type: 'laptop' } });
      expect(await (await server.fetch('/drift/spell')).json()).toEqual({ events: 2, drift_score: 0, reasons: [] });
      await ingest({ user_id: 'spell', kind: 'login', meta: { dev_type: 'phone' } });
      const drift = await (await server.fetch('/drift/spell')).json();
      expect(drift.reasons).toEqual(['Multiple Device Types', 'Abrupt Device Switch']);
    });

    it('judges the abrupt switch by event time, not arrival order', async () => {
      await ingest({ user_id: 'late', kind: 'login', timestamp: 3000, meta: { device: 'laptop' } });
      await ingest({ user_id: 'late', kind: 'login', timestamp: 2000, meta: { device: 'laptop' } });
      // Arrives last but happened first: the two newest are still laptop, laptop.
      await ingest({ user_id: 'late', kind: 'login', timestamp: 1000, meta: { device: 'phone' } });
      const drift = await (await server.fetch('/drift/late')).json();
      expect(drift.reasons).toEqual(['Multiple Device Types']);
      expect(drift.drift_score).toBe(5);
    });

    it('GET /fingerprint answers a blake3 hex, a stability and the latest tokens', async () => {
      await ingest({ ...seed, user_id: 'fp', timestamp: 1000 });
      await ingest({ ...seed, user_id: 'fp', timestamp: 2000 });
      const first = await (await server.fetch('/fingerprint/fp')).json();
      expect(first).toEqual({
        fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
        stability: 100,
        tokens: ['browser:chrome', 'os:windows', 'device:laptop', 'ipClass:12.34.56.0/24'],
        habitual_tokens: ['browser:chrome', 'os:windows', 'device:laptop', 'ipClass:12.34.56.0/24'],
        events: 2,
      });
      // One odd login changes the latest tokens and the stability, not the habits.
      await ingest({ ...seed, user_id: 'fp', timestamp: 3000, meta: { ...seed.meta, browser: 'Firefox' } });
      const second = await (await server.fetch('/fingerprint/fp')).json();
      expect(second.fingerprint).toBe(first.fingerprint);
      expect(second.stability).toBe(60);
      expect(second.tokens).toEqual(['browser:firefox', 'os:windows', 'device:laptop', 'ipClass:12.34.56.0/24']);
    });

    it('GET /timeline lists the user events oldest first with the original keys', async () => {
      await ingest({ user_id: 'tl', kind: 'logout', timestamp: '2024-03-01T10:00:00Z', meta: { browser: 'chrome' } });
      await ingest({
        user_id: 'tl',
        kind: 'login',
        timestamp: '2024-03-01T09:00:00Z',
        meta: { dev_type: 'phone', x: 1 },
      });
      await ingest({ user_id: 'tl', kind: 'purchase', timestamp: 1709290800000 }); // 2024-03-01T11:00:00Z
      const res = await server.fetch('/timeline/tl');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([
        { user_id: 'tl', kind: 'login', meta: { dev_type: 'phone', x: 1 }, timestamp: '2024-03-01T09:00:00.000Z' },
        { user_id: 'tl', kind: 'logout', meta: { browser: 'chrome' }, timestamp: '2024-03-01T10:00:00.000Z' },
        { user_id: 'tl', kind: 'purchase', meta: {}, timestamp: '2024-03-01T11:00:00.000Z' },
      ]);
    });

    it('sets the timestamp to the server time when absent', async () => {
      const before = Date.now();
      await ingest({ user_id: 'now', kind: 'login' });
      const after = Date.now();
      const [event] = await (await server.fetch('/timeline/now')).json();
      const at = Date.parse(event.timestamp);
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(after);
    });

    it('GET /profiles answers the event count per user', async () => {
      const body = await (await server.fetch('/profiles')).json();
      expect(body).toMatchObject({ alice: 1, drifter: 10, all: 2, spell: 3, late: 3, fp: 3, tl: 3, now: 1 });
    });

    it('GET /health says the database answers', async () => {
      const res = await server.fetch('/health');
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ ok: true, database: 'ok' });
    });

    it('handles user ids that need URL encoding', async () => {
      const id = 'ops/łukasz@example.com';
      await ingest({ user_id: id, kind: 'login', meta: { browser: 'edge' } });
      const res = await server.fetch(`/drift/${encodeURIComponent(id)}`);
      expect(await res.json()).toEqual({ events: 1, drift_score: 0, reasons: [] });
      const profiles = await (await server.fetch('/profiles')).json();
      expect(profiles[id]).toBe(1);
    });

    it('answers CORS requests openly by default', async () => {
      const res = await server.fetch('/profiles', { headers: { origin: 'https://siem.example' } });
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      const preflight = await server.fetch('/ingest', {
        method: 'OPTIONS',
        headers: { origin: 'https://siem.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
      expect(preflight.headers.get('access-control-allow-headers')).toContain('Content-Type');
    });
  });

  describe('unknown users and routes', () => {
    it.each(['/drift/nobody', '/fingerprint/nobody', '/timeline/nobody'])(
      '%s is a 404 with a JSON error',
      async (path) => {
        const res = await server.fetch(path);
        expect(res.status).toBe(404);
        expect(await res.json()).toMatchObject({ ok: false, error: 'not_found', field: 'user_id' });
      },
    );

    it('an unknown route is a JSON 404, a wrong method a 405 with Allow', async () => {
      const missing = await server.fetch('/nope');
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ ok: false, error: 'not_found' });
      const wrong = await server.fetch('/profiles', { method: 'DELETE' });
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get('allow')).toBe('GET, OPTIONS');
      expect(await wrong.json()).toMatchObject({ error: 'method_not_allowed' });
    });

    it('a malformed percent-encoding in the path is a 400', async () => {
      const res = await server.fetch('/drift/%E0%A4%A');
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ field: 'user_id' });
    });
  });
});

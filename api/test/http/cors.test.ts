import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';

const tmp = tempDir();
let server: RunningApi;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'cors.db'), { CORS_ORIGIN: 'https://soc.example, https://siem.example' });
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

describe('CORS_ORIGIN as a list', () => {
  it('allows a listed origin, on REST and GraphQL alike', async () => {
    for (const path of ['/profiles', '/graphql?query=%7B__typename%7D']) {
      const res = await server.fetch(path, { headers: { origin: 'https://siem.example', accept: 'application/json' } });
      expect(res.headers.get('access-control-allow-origin')).toBe('https://siem.example');
      expect(res.headers.get('vary')).toContain('Origin');
      // A page can follow the timeline's pages and honour Retry-After.
      expect(res.headers.get('access-control-expose-headers')).toMatch(/Link.*X-Next-Cursor.*Retry-After/);
    }
  });

  it("lets a page use graphql-sse's single-connection mode: PUT and the stream token are allowed", async () => {
    const preflight = await server.fetch('/graphql', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://siem.example',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'x-graphql-event-stream-token',
      },
    });
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('X-GraphQL-Event-Stream-Token');
  });

  it('does not allow an unlisted origin', async () => {
    const res = await server.fetch('/profiles', { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await server.fetch('/ingest', { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});

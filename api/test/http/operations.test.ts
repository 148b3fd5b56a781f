import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { type Api, createApi } from '../../src/server.ts';
import { tempDir } from '../support/api.ts';

const tmp = tempDir();
let api: Api;
let url: string;
const lines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  const config = loadConfig({ PORT: '0', DATABASE_URL: `file:${join(tmp.dir, 'ops.db')}`, LOG_LEVEL: 'debug' });
  api = createApi(
    config,
    createLogger('debug', (line) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    }),
  );
  url = `http://127.0.0.1:${(await api.listen()).port}`;
});

afterAll(async () => {
  await api.close();
  tmp.cleanup();
});

const ingest = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** The log lines of one request, once its answer has been written. */
async function logOf(requestId: string) {
  await expect.poll(() => lines.filter((line) => line.requestId === requestId).length).toBeGreaterThan(0);
  return lines.filter((line) => line.requestId === requestId);
}

describe('request ids and logs', () => {
  it('keeps a sane X-Request-Id, replaces anything else, and answers with it', async () => {
    const kept = await ingest({ user_id: 'ann', kind: 'login' }, { 'x-request-id': 'siem-42.a:b' });
    expect(kept.headers.get('x-request-id')).toBe('siem-42.a:b');
    const replaced = await ingest({ user_id: 'ann', kind: 'login' }, { 'x-request-id': 'has spaces; and "quotes"' });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const fresh = await fetch(`${url}/health`);
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs each request as one JSON line with its id, route pattern, status and time', async () => {
    const res = await fetch(`${url}/drift/ann`, { headers: { 'x-request-id': 'read-1' } });
    expect(res.status).toBe(200);
    const [line] = await logOf('read-1');
    expect(line).toMatchObject({
      level: 'debug',
      message: 'request',
      method: 'GET',
      route: '/drift/:user_id',
      status: 200,
    });
    expect(line?.ms).toEqual(expect.any(Number));
    expect(JSON.stringify(line)).not.toContain('ann');
  });

  it('logs a refusal at info with its reason', async () => {
    const res = await ingest({ user_id: '', kind: 'login' }, { 'x-request-id': 'bad-1' });
    expect(res.status).toBe(422);
    const [line] = await logOf('bad-1');
    expect(line).toMatchObject({ level: 'info', status: 422, reason: 'invalid_field', route: '/ingest' });
  });
});

describe('GET /metrics', () => {
  it('serves Prometheus text: requests by route and status, durations, events stored, refusals by reason', async () => {
    const before = await (await fetch(`${url}/metrics`)).text();
    const stored = Number(/^persona_drift_events_stored_total (\d+)$/m.exec(before)?.[1] ?? 0);
    expect(
      (
        await ingest([
          { user_id: 'bo', kind: 'login' },
          { user_id: 'cy', kind: 'login' },
        ])
      ).status,
    ).toBe(200);
    expect((await ingest({ user_id: 'bo', kind: 42 })).status).toBe(422);
    const graphql = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ users(first: -1) { totalCount } }' }),
    });
    expect(graphql.status).toBe(200);

    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# TYPE persona_drift_http_requests_total counter');
    expect(text).toMatch(/^persona_drift_http_requests_total\{route="\/ingest",method="POST",status="200"\} \d+$/m);
    expect(text).toMatch(/^persona_drift_http_request_duration_seconds_bucket\{route="\/ingest",le="\+Inf"\} \d+$/m);
    expect(text).toMatch(/^persona_drift_requests_rejected_total\{reason="invalid_field"\} [1-9]\d*$/m);
    expect(text).toMatch(/^persona_drift_requests_rejected_total\{reason="graphql:BAD_USER_INPUT"\} [1-9]\d*$/m);
    expect(Number(/^persona_drift_events_stored_total (\d+)$/m.exec(text)?.[1])).toBe(stored + 2);
    expect(text).toMatch(/^persona_drift_process_resident_memory_bytes \d+$/m);
    // The /metrics request itself is in flight while it is answered.
    expect(text).toMatch(/^persona_drift_requests_in_flight [1-9]\d*$/m);
    expect(text).toMatch(/^persona_drift_streams_open 0$/m);
    // Route patterns, not paths: no user id ever becomes a label.
    expect(text).not.toMatch(/\bbo\b|\bcy\b|\bann\b/);
  });

  it('labels an alert lookup with its route pattern, /alerts/:id', async () => {
    expect((await fetch(`${url}/alerts/424242`)).status).toBe(404);
    expect((await fetch(`${url}/alerts/424242?format=cef`)).status).toBe(404);
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toMatch(/^persona_drift_http_requests_total\{route="\/alerts\/:id",method="GET",status="404"\} 2$/m);
    expect(text).not.toContain('/alerts/:user_id');
    expect(text).not.toContain('424242');
  });
});

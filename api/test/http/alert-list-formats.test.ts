import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { parseCef } from '../support/cef.ts';

const tmp = tempDir();
let server: RunningApi;
const statements: string[] = [];

const DAY = 86_400_000;
const START = Date.UTC(2026, 9, 5, 8, 0);
const HOME = { ip: '81.2.69.10', country: 'DE', asn: 3320, browser: 'chrome', os: 'windows', device: 'laptop' };
const ATTACKER = { ip: '102.89.3.7', country: 'NG', asn: 37148, browser: 'firefox', os: 'linux', device: 'laptop' };
const USERS = ['ada', 'ben', 'cat', 'dan', 'eve'];

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'alert-list.db'), {}, { onQuery: (sql) => statements.push(sql) });
  // Five users, each with a habitual history and then a takeover: five alerts.
  for (const user of USERS) {
    const history = Array.from({ length: 15 }, (_, n) => ({
      user_id: user,
      kind: 'login',
      timestamp: START + n * DAY,
      meta: { ...HOME, success: true },
    }));
    const attack = { user_id: user, kind: 'login', timestamp: START + 15 * DAY, meta: { ...ATTACKER, success: true } };
    expect((await server.post('/ingest', [...history, attack])).status).toBe(200);
  }
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

/**
 * Every page of a list, following each full page's Link header (which must
 * name `before=<last id>`, as X-Next-Cursor does); the ids of each page and the
 * statements each cost.
 */
async function allPages(format: string, limit: number, idOf: (record: string) => number) {
  const pages: number[][] = [];
  const costs: number[] = [];
  let path: string | null = `/alerts?format=${format}&limit=${limit}`;
  while (path !== null) {
    statements.length = 0;
    const res = await server.fetch(path);
    costs.push(statements.length);
    expect(res.status).toBe(200);
    const body = await res.text();
    const records = body === '' ? [] : body.replace(/\n$/, '').split('\n');
    expect(body === '' || body.endsWith('\n')).toBe(true);
    const ids = records.map(idOf);
    pages.push(ids);
    if (format === 'cef') expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    else expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const link = res.headers.get('link');
    if (ids.length < limit) {
      expect({ link, cursor: res.headers.get('x-next-cursor') }).toEqual({ link: null, cursor: null });
      path = null;
    } else {
      const last = String(ids.at(-1));
      expect(res.headers.get('x-next-cursor')).toBe(last);
      const next = /^<([^>]+)>; rel="next"$/.exec(link ?? '')?.[1] ?? '';
      const url = new URL(next, 'http://x');
      expect({ path: url.pathname, ...Object.fromEntries(url.searchParams) }).toEqual({
        path: '/alerts',
        format,
        limit: String(limit),
        before: last,
      });
      path = next;
    }
  }
  return { pages, costs };
}

async function jsonPages(limit: number) {
  const pages: number[][] = [];
  let before: number | null = null;
  for (;;) {
    const res = await server.fetch(`/alerts?limit=${limit}${before === null ? '' : `&before=${before}`}`);
    const body = (await res.json()) as { alerts: Array<{ id: number }>; next_before: number | null };
    pages.push(body.alerts.map((alert) => alert.id));
    // The headers say what next_before says.
    const next = body.next_before === null ? null : `/alerts?limit=${limit}&before=${body.next_before}`;
    expect({ link: res.headers.get('link'), cursor: res.headers.get('x-next-cursor') }).toEqual(
      next === null
        ? { link: null, cursor: null }
        : { link: `<${next}>; rel="next"`, cursor: String(body.next_before) },
    );
    if (body.next_before === null) return pages;
    before = body.next_before;
  }
}

describe('GET /alerts?format=', () => {
  it('pages ECS, OCSF (NDJSON) and CEF exactly as the JSON list, to the end', async () => {
    const json = await jsonPages(2);
    expect(json.flat()).toHaveLength(USERS.length);
    const ecs = await allPages('ecs', 2, (line) => Number((JSON.parse(line) as { event: { id: string } }).event.id));
    const ocsf = await allPages('ocsf', 2, (line) =>
      Number((JSON.parse(line) as { metadata: { uid: string } }).metadata.uid),
    );
    const cef = await allPages('cef', 2, (line) => Number(parseCef(line).extensions.externalId));
    for (const listed of [ecs, ocsf, cef]) expect(listed.pages.filter((page) => page.length > 0)).toEqual(json);
    // Each line is a whole export, with the last event's source.
    const [first] = (await (await server.fetch('/alerts?format=ecs&limit=1')).text()).split('\n');
    expect(JSON.parse(first as string)).toMatchObject({ event: { kind: 'alert' }, source: { ip: ATTACKER.ip } });
  });

  it('a page costs the same few statements whatever its size (last events read in one)', async () => {
    const small = await allPages('ecs', 1, (line) => Number((JSON.parse(line) as { event: { id: string } }).event.id));
    const large = await allPages('ecs', 5, (line) => Number((JSON.parse(line) as { event: { id: string } }).event.id));
    const full = (costs: number[], pages: number[][]) => costs.filter((_, i) => (pages[i]?.length ?? 0) > 0);
    expect(new Set([...full(small.costs, small.pages), ...full(large.costs, large.pages)]).size).toBe(1);
    expect(large.costs[0]).toBeLessThanOrEqual(3);
  });

  it('filters as the JSON list does, and answers an unknown format with a 400 naming format', async () => {
    const ben = await (await server.fetch('/alerts?format=cef&user_id=ben')).text();
    expect(
      ben
        .trim()
        .split('\n')
        .map((line) => parseCef(line).extensions.suser),
    ).toEqual(['ben']);
    // The next page's link keeps the filters and the format.
    const full = await server.fetch('/alerts?format=cef&limit=1&user_id=ben&status=open,acknowledged');
    const next = new URL(/^<([^>]+)>/.exec(full.headers.get('link') ?? '')?.[1] ?? '', 'http://x');
    expect(Object.fromEntries(next.searchParams)).toMatchObject({
      format: 'cef',
      limit: '1',
      user_id: 'ben',
      status: 'open,acknowledged',
    });
    expect((await (await server.fetch(`${next.pathname}${next.search}`)).text()).trim()).toBe('');
    for (const path of ['/alerts?format=xml', '/alerts/1?format=xml']) {
      const res = await server.fetch(path);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_query', issues: [{ field: 'format' }] });
    }
  });
});

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';

// GET /timeline/:user_id answers at most a page of events (the legacy array,
// oldest first) and links to the next page, so a long history is read in
// bounded pieces instead of in one answer the process may not hold.
const tmp = tempDir();
let server: RunningApi;

const USER = 'walker';
const EVENTS = 2500;
const BASE = Date.UTC(2024, 0, 1);

/** Timestamps arrive out of order and every one is shared by two events, so pages must break ties by arrival. */
const timestampOf = (seq: number) => BASE + Math.floor(((seq * 7919) % EVENTS) / 2) * 60_000;

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'timeline.db'));
  for (let start = 0; start < EVENTS; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, EVENTS - start) }, (_, offset) => ({
      user_id: USER,
      kind: 'login',
      timestamp: timestampOf(start + offset),
      meta: { seq: start + offset },
    }));
    const res = await server.post('/ingest', batch);
    expect(res.status, await res.text()).toBe(200);
  }
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

interface TimelineEvent {
  user_id: string;
  timestamp: string;
  meta: { seq: number };
}

/** Follows rel="next" links from `path`, returning each page's events. */
async function walk(path: string): Promise<TimelineEvent[][]> {
  const pages: TimelineEvent[][] = [];
  let next: string | null = path;
  while (next !== null) {
    const res = await server.fetch(next);
    expect(res.status, next).toBe(200);
    pages.push((await res.json()) as TimelineEvent[]);
    const link = res.headers.get('link');
    const cursor = res.headers.get('x-next-cursor');
    expect(link === null, 'Link and X-Next-Cursor come together').toBe(cursor === null);
    next = link === null ? null : (/^<([^>]+)>; rel="next"$/.exec(link)?.[1] ?? 'unparsable Link');
    if (next !== null) expect(new URL(next, server.url).searchParams.get('after')).toBe(cursor);
    expect(pages.length).toBeLessThan(20);
  }
  return pages;
}

/** Every sequence number in the order the timeline must list them: by timestamp, then by arrival. */
const expectedOrder = Array.from({ length: EVENTS }, (_, seq) => seq).sort(
  (a, b) => timestampOf(a) - timestampOf(b) || a - b,
);

describe('GET /timeline pages', () => {
  it('walks 2,500 events in three pages of at most 1,000, oldest first, with no repeat or gap', async () => {
    const pages = await walk(`/timeline/${USER}`);
    expect(pages.map((page) => page.length)).toEqual([1000, 1000, 500]);
    const events = pages.flat();
    expect(events.map((event) => event.meta.seq)).toEqual(expectedOrder);
    expect(events.every((event) => event.user_id === USER)).toBe(true);
    expect(events.map((event) => Date.parse(event.timestamp))).toEqual(expectedOrder.map(timestampOf));
  });

  it('takes a smaller page size from ?limit= and keeps it in the next link', async () => {
    const pages = await walk(`/timeline/${USER}?limit=700`);
    expect(pages.map((page) => page.length)).toEqual([700, 700, 700, 400]);
    expect(pages.flat().map((event) => event.meta.seq)).toEqual(expectedOrder);
  });

  it('has no next link when the last page is exactly full', async () => {
    const res = await server.fetch(`/timeline/${USER}?limit=500`);
    const pages = await walk(`/timeline/${USER}?limit=500`);
    expect(res.headers.get('link')).not.toBeNull();
    expect(pages.map((page) => page.length)).toEqual([500, 500, 500, 500, 500]);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=99999999999999999999', 'limit'],
    ['after=abc', 'after'],
    ['after=1.0', 'after'],
    ['after=99999999999999999999.1', 'after'],
    ['after=1704067200000.99999999999999999999', 'after'],
  ])('refuses ?%s with a 400 naming %s', async (query, field) => {
    const res = await server.fetch(`/timeline/${USER}?${query}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, error: 'invalid_query', field });
  });

  it('answers an empty page past the newest event, and 404 for an unknown user with a cursor', async () => {
    const last = await server.fetch(`/timeline/${USER}?after=253402300799999.1`);
    expect(last.status).toBe(200);
    expect(await last.json()).toEqual([]);
    expect(last.headers.get('link')).toBeNull();
    expect((await server.fetch('/timeline/nobody?after=1.1')).status).toBe(404);
  });
});

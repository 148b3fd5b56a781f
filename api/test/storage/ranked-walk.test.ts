import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLegacyEvent } from '../../src/domain/event-input.ts';
import { EventWriter } from '../../src/ingest/write.ts';
import { UserReads } from '../../src/reads/users.ts';
import { EventPurger } from '../../src/storage/event-purge.ts';
import { createPrismaClient, type PrismaClient } from '../../src/storage/prisma.ts';
import { openMigratedDatabase, type SqliteDatabase } from '../../src/storage/sqlite.ts';
import { SqliteWriteStore } from '../../src/storage/write-store.ts';
import { tempDir } from '../support/api.ts';

const tmp = tempDir();
let db: SqliteDatabase;
let store: SqliteWriteStore;
let writer: EventWriter;
let prisma: PrismaClient;
/** Runs once, right before the next read of users executes: a commit racing a page. */
let beforeNextRead: (() => void) | null = null;
let reads: UserReads;

function events(userId: string, metas: Array<Record<string, string>>) {
  return metas.map((meta, n) => {
    const parsed = parseLegacyEvent({
      user_id: userId,
      kind: 'login',
      timestamp: 1_780_000_000_000 + n * 60_000,
      meta,
    });
    if (!parsed.ok) throw new Error('bad fixture');
    return parsed.value;
  });
}

const HOME = { browser: 'chrome', os: 'windows', ip: '12.34.56.78', device: 'laptop' };
const AWAY = { browser: 'firefox', os: 'linux', ip: '98.76.54.32', device: 'desktop' };

beforeAll(() => {
  const file = join(tmp.dir, 'walk.db');
  db = openMigratedDatabase(file);
  store = new SqliteWriteStore(db);
  writer = new EventWriter(store);
  writer.write(
    [...events('a', [HOME, AWAY]), ...events('b', [HOME, { ...HOME, ip: '98.76.54.33' }]), ...events('c', [HOME])],
    Date.now(),
  );
  prisma = createPrismaClient(file);
  const racing = prisma.$extends({
    query: {
      user: {
        findMany({ args, query }) {
          const hook = beforeNextRead;
          beforeNextRead = null;
          hook?.();
          return query(args);
        },
      },
    },
  });
  reads = new UserReads(racing as unknown as PrismaClient, store.ranks);
});

afterAll(async () => {
  await prisma.$disconnect();
  db.close();
  tmp.cleanup();
});

describe('a walk through a ranking', () => {
  it('meets a user once when a commit lands between the page asking and its read running', async () => {
    const ids: string[] = [];
    const first = await reads.ranked({}, { by: 'driftScore', direction: 'desc', size: 1 });
    ids.push(...first.users.map((user) => user.id));
    expect(ids).toEqual(['a']);
    expect(first.users[0]?.driftScore).toBeGreaterThan(20);
    // Just before page two reads, c drifts as far as a: stored, c now sits right after a.
    beforeNextRead = () => writer.write(events('c', [AWAY, HOME, AWAY]), Date.now());
    let after = first.cursors[0];
    for (;;) {
      const page = await reads.ranked({}, { by: 'driftScore', direction: 'desc', size: 1, after });
      ids.push(...page.users.map((user) => user.id));
      if (!page.hasMore) break;
      after = page.cursors[page.cursors.length - 1];
    }
    expect(beforeNextRead).toBeNull();
    expect(ids).toEqual(['a', 'b', 'c']);
    // A new walk sees c where it now is.
    const fresh = await reads.ranked({}, { by: 'driftScore', direction: 'desc', size: 3 });
    expect(fresh.users.map((user) => user.id)).toEqual(['a', 'c', 'b']);
  });

  it('reads the last page first when asked for the last users without a cursor', async () => {
    const last = await reads.ranked({}, { by: 'driftScore', direction: 'desc', size: 2, backward: true });
    expect(last.users.map((user) => user.id)).toEqual(['c', 'b']);
    expect(last.hasMore).toBe(true);
    const none = await reads.ranked({}, { by: 'driftScore', direction: 'desc', size: 0 });
    expect(none).toEqual({ users: [], cursors: [], hasMore: false });
  });

  it("treats a search's % and _ as SQLite's LIKE does, for changed users too", async () => {
    writer.write([...events('x_1', [HOME]), ...events('xa1', [HOME])], Date.now());
    const walk = await reads.ranked({ search: 'x_1' }, { by: 'driftScore', direction: 'desc', size: 1 });
    writer.write(events('xa1', [AWAY]), Date.now());
    const rest = await reads.ranked(
      { search: 'x_1' },
      { by: 'driftScore', direction: 'desc', size: 5, after: walk.cursors[0] },
    );
    expect([...walk.users, ...rest.users].map((user) => user.id).sort()).toEqual(['x_1', 'xa1']);
  });
});

describe('retention and the ranking', () => {
  it("recomputes a user's standing when their alert is purged, and a walk sees where they stood", () => {
    const alerting = new EventWriter(store, { alertThreshold: 1 });
    const old = Date.UTC(2025, 11, 1);
    alerting.write(
      [...Array.from({ length: 20 }, () => HOME), AWAY].map((meta, n) => {
        const parsed = parseLegacyEvent({ user_id: 'purged', kind: 'login', timestamp: old + n * 86_400_000, meta });
        if (!parsed.ok) throw new Error('bad fixture');
        return parsed.value;
      }),
      Date.now(),
    );
    const standing = () =>
      db.prepare('SELECT alertLevel, attention FROM "User" WHERE id = ?').get('purged') as {
        alertLevel: number;
        attention: number;
      };
    expect(standing().alertLevel).toBeGreaterThan(0);
    const recent = parseLegacyEvent({ user_id: 'purged', kind: 'login', timestamp: Date.UTC(2026, 5, 1), meta: HOME });
    if (!recent.ok) throw new Error('bad fixture');
    writer.write([recent.value], Date.now());
    const attentionBefore = standing().attention;

    const asOf = store.ranks.begin(Date.now());
    const purger = new EventPurger(db, store.profiles, undefined, store.ranks);
    const outcome = purger.purgeBatch(Date.UTC(2026, 2, 1));
    expect(outcome.alerts).toBeGreaterThan(0);
    expect(standing()).toEqual({ alertLevel: 0, attention: 0 });
    expect(store.ranks.changedSince(asOf).get('purged')).toMatchObject({ attention: attentionBefore, eventCount: 22 });
  });
});

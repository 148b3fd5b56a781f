import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateDifferences } from '../../src/storage/consistency.ts';
import { openDatabase } from '../../src/storage/sqlite.ts';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { gql } from '../support/graphql.ts';

const tmp = tempDir();
let server: RunningApi;
const DAY = 86_400_000;
const now = Date.now();
const laptop = { browser: 'chrome', os: 'windows', ip: '12.34.56.78', device: 'laptop' };
const phone = { browser: 'safari', os: 'ios', ip: '98.76.54.32', device: 'phone' };

beforeAll(async () => {
  server = await startApi(join(tmp.dir, 'retention.db'), { RETENTION_DAYS: '30' });
  const res = await server.post('/ingest', [
    // Only old events: the whole user goes.
    { user_id: 'gone', kind: 'login', timestamp: now - 100 * DAY, meta: laptop },
    { user_id: 'gone', kind: 'login', timestamp: now - 90 * DAY, meta: phone },
    // Old events on a phone, recent ones on a laptop: the drift from the phone goes with them.
    { user_id: 'mixed', kind: 'login', timestamp: now - 100 * DAY, meta: phone },
    { user_id: 'mixed', kind: 'login', timestamp: now - 2 * DAY, meta: laptop },
    { user_id: 'mixed', kind: 'logout', timestamp: now - DAY, meta: laptop },
    { user_id: 'fresh', kind: 'login', timestamp: now - DAY, meta: laptop },
  ]);
  expect(res.status).toBe(200);
});

afterAll(async () => {
  await server.stop();
  tmp.cleanup();
});

describe('retention (RETENTION_DAYS=30)', () => {
  it('purges events past the period, removes users left with none, and rebuilds the others’ aggregates', async () => {
    const userQuery = graphql(`
      query RetainedUser {
        user(id: "mixed") { eventCount drift { score } }
      }
    `);
    const before = await gql(server, userQuery);
    expect(before.data?.user).toEqual({ eventCount: 3, drift: { score: 35 } });
    expect(await (await server.fetch('/drift/mixed')).json()).toMatchObject({ events: 3, drift_score: 35 });

    const totals = await server.api.retention?.run();
    expect(totals).toMatchObject({ users: 2, events: 3, removedUsers: 1 });

    expect((await server.fetch('/drift/gone')).status).toBe(404);
    expect(await (await server.fetch('/drift/mixed')).json()).toEqual({ events: 2, drift_score: 0, reasons: [] });
    const timeline = (await (await server.fetch('/timeline/mixed')).json()) as Array<{ kind: string }>;
    expect(timeline.map((event) => event.kind)).toEqual(['login', 'logout']);
    expect(await (await server.fetch('/profiles')).json()).toEqual({ mixed: 2, fresh: 1 });
    // The cached GraphQL answer was dropped with the purge.
    const after = await gql(server, userQuery);
    expect(after.data?.user).toEqual({ eventCount: 2, drift: { score: 0 } });

    const db = openDatabase(server.dbFile);
    try {
      expect(aggregateDifferences(db)).toEqual([]);
      expect(db.prepare(`SELECT count(*) AS n FROM "UserRiskProfile" WHERE userId = 'gone'`).get()).toEqual({ n: 0 });
      // The v2 profile forgot the purged phone too: only what the remaining events teach is left.
      const { profile } = db.prepare(`SELECT profile FROM "UserRiskProfile" WHERE userId = 'mixed'`).get() as {
        profile: string;
      };
      const rebuilt = JSON.parse(profile) as { events: number; values: { device: Array<[string, number]> } };
      expect(rebuilt.events).toBe(2);
      expect(rebuilt.values.device.map(([device]) => device)).toEqual(['laptop/windows']);
    } finally {
      db.close();
    }
  });

  it('audits each run that purged anything, and a second run finds nothing', async () => {
    const again = await server.api.retention?.run();
    expect(again).toMatchObject({ users: 0, events: 0 });
    const audit = await gql(
      server,
      graphql(`
        query RetentionAudit {
          auditLog { actor action details }
        }
      `),
    );
    expect(audit.data?.auditLog).toEqual([
      {
        actor: 'retention',
        action: 'retention.purged',
        details: { days: 30, events: 3, users: 2, removedUsers: 1, alerts: 0 },
      },
    ]);
  });
});

import { chmodSync, closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/sqlite.ts';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { gql } from '../support/graphql.ts';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const DAY = 86_400_000;
const HOME = { ip: '81.2.69.10', country: 'DE', asn: 3320, browser: 'chrome', os: 'windows', device: 'laptop' };
const TAKEOVER = { ip: '102.89.3.7', country: 'NG', asn: 37148, browser: 'firefox', os: 'linux', device: 'laptop' };

/** Fifteen days at home, then a login from elsewhere: enough to open an alert at ALERT_THRESHOLD=30. */
function takeoverHistory(userId: string, start: number, meta: Record<string, unknown> = {}) {
  return [
    ...Array.from({ length: 15 }, (_, n) => ({
      user_id: userId,
      kind: 'login',
      timestamp: start + n * DAY,
      meta: { ...HOME, ...meta },
    })),
    { user_id: userId, kind: 'login', timestamp: start + 15 * DAY, meta: { ...TAKEOVER, ...meta } },
  ];
}

/** Whether the raw bytes of a file (absent: no) hold `marker`. */
function fileHolds(file: string, marker: string): boolean {
  return existsSync(file) && readFileSync(file).includes(marker);
}

const tmp = tempDir();
let server: RunningApi;
let hookServer: Server;
const received: string[] = [];

/** Webhook messages whose body names the user, read from the database file by another connection. */
function messagesAbout(userId: string): number {
  const db = openDatabase(server.dbFile);
  try {
    return db
      .prepare<[string], number>(`SELECT count(*) FROM "WebhookMessage" WHERE json_extract(body, '$.data.user_id') = ?`)
      .pluck()
      .get(userId) as number;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  hookServer = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push(body);
      res.end();
    });
  });
  await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', resolve));
  const port = (hookServer.address() as AddressInfo).port;
  server = await startApi(join(tmp.dir, 'data', 'deletion.db'), {
    WEBHOOK_URLS: `http://127.0.0.1:${port}/hook`,
    WEBHOOK_SECRET: SECRET,
    WEBHOOK_ALLOW_PRIVATE: 'true',
    ALERT_THRESHOLD: '30',
    RETENTION_DAYS: '30',
  });
});

afterAll(async () => {
  await server.stop();
  await new Promise<void>((resolve) => {
    hookServer.close(() => resolve());
    hookServer.closeAllConnections();
  });
  tmp.cleanup();
});

describe('deleting a user leaves no trace', () => {
  it('deletes the webhook messages about their alerts (REST and GraphQL)', async () => {
    const recent = Date.now() - 20 * DAY;
    for (const userId of ['erin', 'frank']) {
      expect((await server.post('/ingest', takeoverHistory(userId, recent))).status).toBe(200);
    }
    await expect.poll(() => received.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => messagesAbout('erin') > 0 && messagesAbout('frank') > 0, { timeout: 10_000 }).toBe(true);

    expect((await server.fetch('/users/erin', { method: 'DELETE' })).status).toBe(200);
    expect(messagesAbout('erin')).toBe(0);
    const deleted = await gql(
      server,
      graphql(`
        mutation DeleteUserWithWebhookMessages {
          deleteUser(id: "frank") { events }
        }
      `),
    );
    expect(deleted.errors).toBeUndefined();
    expect(messagesAbout('frank')).toBe(0);
  });

  it('deletes the webhook messages of a user retention removes', async () => {
    const old = Date.now() - 100 * DAY;
    expect((await server.post('/ingest', takeoverHistory('gail', old))).status).toBe(200);
    await expect.poll(() => messagesAbout('gail'), { timeout: 10_000 }).toBeGreaterThan(0);
    const purged = await server.api.retention?.run();
    expect(purged).toMatchObject({ removedUsers: 1 });
    expect((await server.fetch('/drift/gail')).status).toBe(404);
    expect(messagesAbout('gail')).toBe(0);
  });

  it('overwrites the deleted meta: it is in neither the database file nor its WAL', async () => {
    const marker = `secret-note-${'7f3c'.repeat(6)}`;
    const events = Array.from({ length: 20 }, (_, n) => ({
      user_id: 'hal',
      kind: 'login',
      timestamp: Date.now() - (20 - n) * 60_000,
      meta: { ...HOME, note: `${marker}-${n}` },
    }));
    expect((await server.post('/ingest', events)).status).toBe(200);
    const wal = `${server.dbFile}-wal`;
    expect(fileHolds(server.dbFile, marker) || fileHolds(wal, marker)).toBe(true);

    expect((await server.fetch('/users/hal', { method: 'DELETE' })).status).toBe(200);
    // The deletion's pages reach the database file, and the WAL is emptied, by a
    // checkpoint once no reader holds it. Until then either file may still hold the
    // marker (the WAL may already have restarted over it while the file has not yet
    // been overwritten), so wait for both and for nothing else.
    await expect
      .poll(() => ({ wal: fileHolds(wal, marker), database: fileHolds(server.dbFile, marker) }), { timeout: 10_000 })
      .toEqual({ wal: false, database: false });
  });
});

describe('file permissions', () => {
  it('keeps the data directory, database, WAL and shared memory to the owner', () => {
    expect(statSync(join(tmp.dir, 'data')).mode & 0o777).toBe(0o700);
    for (const file of [server.dbFile, `${server.dbFile}-wal`, `${server.dbFile}-shm`]) {
      expect({ file, mode: (statSync(file).mode & 0o777).toString(8) }).toEqual({ file, mode: '600' });
    }
  });

  it('takes a database file an earlier version left world-readable back to the owner', () => {
    const file = join(tmp.dir, 'older.db');
    closeSync(openSync(file, 'w'));
    chmodSync(file, 0o644);
    const db = openDatabase(file);
    try {
      db.exec('CREATE TABLE "Written" (x)');
      expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
      expect((statSync(`${file}-wal`).mode & 0o777).toString(8)).toBe('600');
    } finally {
      db.close();
    }
  });
});

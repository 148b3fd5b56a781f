import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { secretBytes, sign, verify } from '../../src/domain/webhook-signature.ts';
import { guardSocket, WebhookSender } from '../../src/services/webhooks.ts';
import { openMigratedDatabase } from '../../src/storage/sqlite.ts';
import { WebhookOutbox } from '../../src/storage/webhook-outbox.ts';
import { graphql } from '../generated/index.ts';
import { type RunningApi, startApi, tempDir } from '../support/api.ts';
import { gql } from '../support/graphql.ts';
import { waitFor } from '../support/wait.ts';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const KEY = secretBytes(SECRET);

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver on 127.0.0.1 answering with the given statuses in turn (then 200). */
async function receiver(statuses: number[] = [], port = 0) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const listening = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${listening}/hook`;
  return {
    url,
    port: listening,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function signatureOk(message: Received): boolean {
  const id = String(message.headers['webhook-id']);
  const timestamp = Number(message.headers['webhook-timestamp']);
  return verify(KEY, id, timestamp, message.body, String(message.headers['webhook-signature']));
}

describe('Standard Webhooks signatures', () => {
  it('signs id.timestamp.body with HMAC-SHA256 and verifies only the exact message', () => {
    const signature = sign(KEY, 'msg_1', 1_700_000_000, '{"a":1}');
    expect(signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verify(KEY, 'msg_1', 1_700_000_000, '{"a":1}', `v1,bogus ${signature}`)).toBe(true);
    expect(verify(KEY, 'msg_1', 1_700_000_001, '{"a":1}', signature)).toBe(false);
    expect(verify(KEY, 'msg_1', 1_700_000_000, '{"a":2}', signature)).toBe(false);
  });

  it('rejects secrets without the whsec_ prefix or too short', () => {
    expect(() => secretBytes('abc')).toThrow(/whsec_/);
    expect(() => secretBytes('whsec_c2hvcnQ=')).toThrow(/24 bytes/);
  });
});

const outboxDir = tempDir();
afterAll(() => outboxDir.cleanup());

/** An outbox in a fresh (or the named) database file, as the API keeps it. */
function outboxIn(name: string) {
  const db = openMigratedDatabase(join(outboxDir.dir, name));
  return { outbox: new WebhookOutbox(db), db };
}

describe('WebhookSender', () => {
  it('retries a failed delivery with backoff, each attempt signed', async () => {
    const hook = await receiver([500, 503]);
    const failures: string[] = [];
    const { outbox, db } = outboxIn('retries.db');
    const sender = new WebhookSender(
      {
        urls: [hook.url],
        secret: KEY,
        allowPrivate: true,
        retryDelaysMs: [20, 20, 20],
        onFailure: (_url, error) => failures.push(error),
      },
      outbox,
    );
    sender.send('alert.opened', { id: 1 });
    await waitFor(() => hook.received.length === 3);
    expect(failures).toEqual(['HTTP 500', 'HTTP 503']);
    expect(hook.received.every(signatureOk)).toBe(true);
    // One message: the same id on every attempt, so a receiver can deduplicate.
    expect(new Set(hook.received.map((m) => m.headers['webhook-id'])).size).toBe(1);
    expect(JSON.parse(hook.received[2]?.body ?? '{}')).toMatchObject({ type: 'alert.opened', data: { id: 1 } });
    await waitFor(() => outbox.pendingCount() === 0);
    expect(db.prepare('SELECT attempts, deliveredAt IS NOT NULL AS delivered FROM "WebhookMessage"').get()).toEqual({
      attempts: 3,
      delivered: 1,
    });
    await sender.close();
    db.close();
    await hook.close();
  });

  it('refuses internal addresses unless allowed, without retrying', async () => {
    const hook = await receiver();
    const failures: Array<[string, boolean]> = [];
    const { outbox, db } = outboxIn('blocked.db');
    const sender = new WebhookSender(
      {
        urls: [hook.url.replace('127.0.0.1', 'localhost')],
        secret: KEY,
        allowPrivate: false,
        retryDelaysMs: [20],
        onFailure: (_url, error, final) => failures.push([error, final]),
      },
      outbox,
    );
    sender.send('alert.opened', { id: 2 });
    await waitFor(() => failures.length > 0);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.[0]).toMatch(/^blocked: localhost resolves to a non-public address/);
    expect(failures[0]?.[1]).toBe(true);
    expect(hook.received).toHaveLength(0);
    expect(outbox.pendingCount()).toBe(0);
    await sender.close();
    db.close();
    await hook.close();
  });

  it('refuses internal addresses written as IP literals, without contacting them', async () => {
    const hook = await receiver();
    // Every spelling of the receiver's own address, and the other special ranges.
    const hosts = [
      '127.0.0.1',
      '0x7f000001',
      '2130706433',
      '127.1',
      '[::ffff:127.0.0.1]',
      '[::1]',
      '[::127.0.0.1]',
      '0',
      '169.254.169.254',
      '10.0.0.1',
      '192.168.1.1',
      '100.64.0.1',
      '[fd00::1]',
      '[fe80::1]',
      '224.0.0.1',
      '255.255.255.255',
      '240.0.0.1',
      '[64:ff9b::7f00:1]',
    ];
    const failures: Array<[string, boolean]> = [];
    const { outbox, db } = outboxIn('literals.db');
    const sender = new WebhookSender(
      {
        urls: hosts.map((host) => `http://${host}:${hook.port}/hook`),
        secret: KEY,
        allowPrivate: false,
        timeoutMs: 500,
        retryDelaysMs: [20],
        onFailure: (_url, error, final) => failures.push([error, final]),
      },
      outbox,
    );
    sender.send('alert.opened', { id: 5 });
    await waitFor(() => failures.length === hosts.length, 'every destination to be refused');
    expect(outbox.pendingCount()).toBe(0);
    expect(hook.received).toHaveLength(0);
    for (const [error, final] of failures) {
      expect(error).toMatch(/^blocked: .* is not a public address/);
      expect(final).toBe(true);
    }
    await sender.close();
    db.close();
    await hook.close();
  });

  it('checks the address a connection reached, whatever resolved it', async () => {
    const { createServer: createTcpServer, connect } = await import('node:net');
    const bytes: Buffer[] = [];
    const tcp = createTcpServer((socket) => socket.on('data', (chunk) => bytes.push(chunk)));
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const socket = connect({ host: '127.0.0.1', port: (tcp.address() as AddressInfo).port });
    guardSocket(socket);
    socket.write('POST /hook HTTP/1.1\r\n\r\n');
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => socket.once('error', resolve));
    expect(error.code).toBe('EWEBHOOKBLOCKED');
    expect(error.message).toMatch(/127\.0\.0\.1 is not a public address/);
    expect(socket.destroyed).toBe(true);
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
    expect(Buffer.concat(bytes).length).toBe(0);
  });

  it('gives up a post whose answer trickles in, at its deadline', async () => {
    const { createServer: createTcpServer } = await import('node:net');
    // Answers one byte of the status line every 50 ms: never idle, never done.
    const trickle = createTcpServer((socket) => {
      const timer = setInterval(() => socket.write('H'), 50);
      socket.on('close', () => clearInterval(timer));
      socket.on('error', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => trickle.listen(0, '127.0.0.1', resolve));
    const port = (trickle.address() as AddressInfo).port;
    const { outbox, db } = outboxIn('trickle.db');
    const failures: string[] = [];
    const sender = new WebhookSender(
      {
        urls: [`http://127.0.0.1:${port}/hook`],
        secret: KEY,
        allowPrivate: true,
        timeoutMs: 300,
        retryDelaysMs: [],
        onFailure: (_url, error) => failures.push(error),
      },
      outbox,
    );
    const started = Date.now();
    sender.send('alert.opened', { id: 3 });
    await waitFor(() => failures.length === 1, 'the post to time out', 3000);
    expect(Date.now() - started).toBeLessThan(2000);
    await sender.close();
    db.close();
    await new Promise<void>((resolve) => trickle.close(() => resolve()));
  });

  it('reports a database error instead of crashing, and the message waits', async () => {
    const hook = await receiver();
    const { db } = outboxIn('broken.db');
    // The database fails just as the delivery is recorded.
    const outbox = new (class extends WebhookOutbox {
      override delivered(): void {
        throw new Error('disk I/O error');
      }
    })(db);
    const errors: string[] = [];
    const sender = new WebhookSender(
      { urls: [hook.url], secret: KEY, allowPrivate: true, onError: (message) => errors.push(message) },
      outbox,
    );
    sender.send('alert.opened', { id: 4 });
    await waitFor(() => errors.length === 1);
    expect(errors[0]).toMatch(/not recorded: disk I\/O error/);
    // Still pending (leased): it goes out again once the lease ends rather than being lost.
    expect(outbox.pendingCount()).toBe(1);
    await sender.close();
    db.close();
    await hook.close();
  });

  it('gives up, at start, messages older than a day and those for URLs no longer configured', async () => {
    const { outbox, db } = outboxIn('outdated.db');
    const now = Date.now();
    outbox.enqueue('msg_old', ['http://127.0.0.1:9/old'], '{}', now - 2 * 86_400_000);
    outbox.enqueue('msg_gone', ['http://127.0.0.1:9/removed'], '{}', now);
    outbox.enqueue('msg_kept', ['http://127.0.0.1:9/kept'], '{}', now + 3_600_000);
    const errors: string[] = [];
    const sender = new WebhookSender(
      {
        urls: ['http://127.0.0.1:9/kept'],
        secret: KEY,
        allowPrivate: true,
        onError: (message) => errors.push(message),
      },
      outbox,
    );
    await waitFor(() => errors.length > 0, 'the outdated messages to be given up');
    expect(errors).toEqual(['2 pending webhook messages given up (outdated or for removed URLs)']);
    expect(
      db.prepare('SELECT messageId, lastError FROM "WebhookMessage" WHERE droppedAt IS NOT NULL ORDER BY id').all(),
    ).toEqual([
      { messageId: 'msg_old', lastError: 'older than the retry schedule' },
      { messageId: 'msg_gone', lastError: 'destination no longer configured' },
    ]);
    expect(outbox.pendingCount()).toBe(1);
    await sender.close();
    db.close();
  });

  it('keeps undelivered messages across a restart and resumes them under the same id', async () => {
    const down = await receiver([500, 500, 500, 500]);
    const first = outboxIn('restart.db');
    const failures: string[] = [];
    const before = new WebhookSender(
      {
        urls: [down.url],
        secret: KEY,
        allowPrivate: true,
        retryDelaysMs: [500],
        onFailure: (_url, error) => failures.push(error),
      },
      first.outbox,
    );
    before.send('alert.opened', { id: 7 });
    await waitFor(() => failures.length === 1);
    // The process stops with the message waiting for its retry.
    await before.close();
    first.db.close();
    await down.close();
    expect(failures).toEqual(['HTTP 500']);

    // The receiver is back on the same address; a new process on the same database resumes the retry.
    const up = await receiver([], down.port);
    const second = outboxIn('restart.db');
    const after = new WebhookSender({ urls: [up.url], secret: KEY, allowPrivate: true }, second.outbox);
    await waitFor(() => up.received.length === 1);
    const [delivered] = up.received as [Received];
    expect(signatureOk(delivered)).toBe(true);
    expect(JSON.parse(delivered.body)).toMatchObject({ type: 'alert.opened', data: { id: 7 } });
    expect(delivered.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    // The receiver has the message before the sender has its answer: wait for the delivery to be recorded.
    await waitFor(() => second.outbox.pendingCount() === 0);
    const stored = second.db.prepare('SELECT messageId, attempts FROM "WebhookMessage"').get() as {
      messageId: string;
      attempts: number;
    };
    expect(stored).toEqual({ messageId: delivered.headers['webhook-id'], attempts: 2 });
    await after.close();
    second.db.close();
    await up.close();
  });

  it('is configured only with a secret and http(s) URLs', () => {
    expect(() => loadConfig({ WEBHOOK_URLS: 'https://siem.example/hook' })).toThrow(/WEBHOOK_SECRET is required/);
    expect(() => loadConfig({ WEBHOOK_URLS: 'ftp://siem.example/hook', WEBHOOK_SECRET: SECRET })).toThrow(/only http/);
    expect(() => loadConfig({ WEBHOOK_URLS: 'https://u:p@siem.example/', WEBHOOK_SECRET: SECRET })).toThrow(
      /credentials/,
    );
    expect(
      loadConfig({ WEBHOOK_URLS: 'https://a.example/x, https://b.example/y', WEBHOOK_SECRET: SECRET }).webhookUrls,
    ).toEqual(['https://a.example/x', 'https://b.example/y']);
  });

  it('refuses an internal address in WEBHOOK_URLS at start, unless allowed', () => {
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://0x7f000001/',
      'https://[::1]/',
      'http://169.254.169.254/',
    ]) {
      expect(() => loadConfig({ WEBHOOK_URLS: url, WEBHOOK_SECRET: SECRET }), url).toThrow(
        /is not a public address.*WEBHOOK_ALLOW_PRIVATE/,
      );
    }
    expect(
      loadConfig({ WEBHOOK_URLS: 'http://127.0.0.1:8080/hook', WEBHOOK_SECRET: SECRET, WEBHOOK_ALLOW_PRIVATE: 'true' })
        .webhookUrls,
    ).toEqual(['http://127.0.0.1:8080/hook']);
  });
});

describe('alert webhooks from the API', () => {
  const tmp = tempDir();
  let server: RunningApi;
  let hook: Awaited<ReturnType<typeof receiver>>;

  beforeAll(async () => {
    hook = await receiver();
    server = await startApi(join(tmp.dir, 'webhooks.db'), {
      WEBHOOK_URLS: hook.url,
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_ALLOW_PRIVATE: 'true',
      ALERT_THRESHOLD: '30',
    });
  });

  afterAll(async () => {
    await server.stop();
    await hook.close();
    tmp.cleanup();
  });

  it('posts alert.opened when an event opens an alert, and alert.updated on triage', async () => {
    const home = { ip: '81.2.69.10', country: 'DE', asn: 3320, browser: 'chrome', os: 'windows', device: 'laptop' };
    const day = 86_400_000;
    const start = Date.UTC(2026, 9, 5, 8);
    const history = Array.from({ length: 15 }, (_, n) => ({
      user_id: 'erin',
      kind: 'login',
      timestamp: start + n * day,
      meta: home,
    }));
    expect((await server.post('/ingest', history)).status).toBe(200);
    expect(hook.received).toHaveLength(0);
    const takeover = { ip: '102.89.3.7', country: 'NG', asn: 37148, browser: 'firefox', os: 'linux', device: 'laptop' };
    expect(
      (await server.post('/ingest', { user_id: 'erin', kind: 'login', timestamp: start + 15 * day, meta: takeover }))
        .status,
    ).toBe(200);
    await waitFor(() => hook.received.length === 1);
    const opened = hook.received[0] as Received;
    expect(signatureOk(opened)).toBe(true);
    const message = JSON.parse(opened.body) as { type: string; data: { id: number; user_id: string; status: string } };
    expect(message).toMatchObject({ type: 'alert.opened', data: { user_id: 'erin', status: 'open' } });

    await gql(
      server,
      graphql(`
        mutation ResolveAlertForWebhook($id: ID!) {
          setAlertStatus(id: $id, status: RESOLVED) { id }
        }
      `),
      { id: String(message.data.id) },
    );
    await waitFor(() => hook.received.length === 2);
    expect(JSON.parse(hook.received[1]?.body ?? '{}')).toMatchObject({
      type: 'alert.updated',
      data: { id: message.data.id, status: 'resolved' },
    });
  });
  it('posts alert.escalated when an extension raises the level and alert.extended when it does not, verifiable with the standardwebhooks library', async () => {
    const receiver = new Webhook(SECRET);
    const day = 86_400_000;
    const start = Date.UTC(2026, 9, 5, 8);
    const home = { ip: '81.2.69.10', country: 'DE', asn: 3320, browser: 'chrome', os: 'windows', device: 'laptop' };
    const attacker = { ip: '102.89.3.7', country: 'NG', asn: 37148, browser: 'firefox', os: 'linux', device: 'laptop' };
    const login = (hour: number, meta: Record<string, unknown>) => ({
      user_id: 'fay',
      kind: 'login',
      timestamp: start + 15 * day + hour * 3_600_000,
      meta,
    });
    const history = Array.from({ length: 15 }, (_, n) => ({ ...login(0, home), timestamp: start + n * day }));
    expect((await server.post('/ingest', history)).status).toBe(200);
    /** Fay's messages, each checked by the library as a receiver would (signature, timestamp window). */
    const fays = () =>
      hook.received.flatMap((message) => {
        const verified = receiver.verify(message.body, message.headers as Record<string, string>) as {
          type: string;
          data: { user_id: string; level: string; events: number; source: { ip: string | null } | null };
        };
        return verified.data.user_id === 'fay' ? [verified] : [];
      });
    const steps: Array<[Record<string, unknown>, string, string]> = [
      // Another country on the usual device: a medium-risk event opens a medium alert.
      [{ ...home, country: 'FR', ip: '2.2.2.2', asn: 3215 }, 'alert.opened', 'medium'],
      // A failed guess from a new country, network and device: the alert turns critical.
      [{ ...attacker, success: false }, 'alert.escalated', 'critical'],
      // Another one: the alert grows, its level stays.
      [{ ...attacker, success: false }, 'alert.extended', 'critical'],
    ];
    for (const [index, [meta, type, level]] of steps.entries()) {
      expect((await server.post('/ingest', login(index + 1, meta))).status).toBe(200);
      await waitFor(() => fays().length === index + 1, `fay's ${type}`);
      expect(fays()[index]).toMatchObject({ type, data: { level, events: index + 1 } });
    }
    expect(fays()[2]?.data.source).toMatchObject({ ip: attacker.ip, country: 'NG', outcome: 'failure' });
    // A tampered body fails the library's check.
    const [first] = hook.received;
    expect(() => receiver.verify(`${first?.body} `, first?.headers as Record<string, string>)).toThrow();
  });
});

import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../api/src/domain/api-key.ts';
import { KeyStore } from '../../api/src/storage/key-store.ts';
import { applyMigrations } from '../../api/src/storage/migrations.ts';
import { openDatabase } from '../../api/src/storage/sqlite.ts';
import { cspViolations, type System, startSystem } from './system.ts';

// A keyed API behind the dashboard, as in production.
let system: System;
const keys = {} as Record<Role, string>;

beforeAll(async () => {
  system = await startSystem({
    prepare: (dbFile) => {
      const db = openDatabase(dbFile);
      applyMigrations(db);
      const store = new KeyStore(db);
      for (const role of ['producer', 'analyst', 'admin'] as const)
        keys[role] = store.create(role, `${role} key`, 'cli').key;
      db.close();
    },
    // Two failed keys per address, then one more every 30 s: the limit cannot
    // refill between the steps of a test, however slow the machine.
    apiEnv: { AUTH_FAILURES_PER_IP: '2' },
    // A fixed secret: sessions sealed before a restart stay readable after it.
    dashboardEnv: { DASHBOARD_SESSION_SECRET: 'a-test-secret-that-is-long-enough-0123456789' },
  });
  const res = await fetch(`${system.api.url}/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.producer}` },
    body: JSON.stringify({ user_id: 'alice', kind: 'login', meta: { browser: 'chrome' } }),
  });
  expect(res.status).toBe(200);
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTP request to the dashboard sent from a chosen loopback address (all
 * of 127.0.0.0/8 is this machine), so one test can be several clients. A
 * streamed answer is read only up to its first chunk.
 */
function from(
  localAddress: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const url = new URL(path, system.dashboardUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers, localAddress }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (res.headers['content-type']?.startsWith('text/event-stream')) res.destroy();
      });
      const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      res.on('end', done);
      res.on('close', done);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** A sign-in form post from an address; the answer's Location says how it went. */
function signInFrom(localAddress: string, key: string, headers: Record<string, string> = {}): Promise<Answer> {
  return from(localAddress, '/session', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ key }).toString(),
  });
}

function overviewFrom(localAddress: string, cookie: string): Promise<Answer> {
  return from(localAddress, '/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ query: '{ overview { users } }' }),
  });
}

function subscriptionFrom(localAddress: string, cookie: string): Promise<Answer> {
  return from(localAddress, '/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', cookie },
    body: JSON.stringify({ query: 'subscription { eventIngested { id } }' }),
  });
}

async function signIn(key: string): Promise<Page> {
  const context = await system.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${system.dashboardUrl}/signin`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/session'));
  return page;
}

async function sessionCookie(page: Page): Promise<string> {
  const cookie = (await page.context().cookies()).find((c) => c.name === 'pd_session');
  if (cookie === undefined) throw new Error('no session cookie');
  return `${cookie.name}=${cookie.value}`;
}

const WRONG_KEY = `pd_${'x'.repeat(43)}`;

describe('failed sign-ins are counted per browser, not per dashboard', () => {
  it('many wrong keys from one address do not stop a sign-in from another, and the guesser stays limited', async () => {
    // Far more than the API's AUTH_FAILURES_PER_IP (2 here), from 127.0.0.2, each
    // claiming to be forwarded for 127.0.0.1: a direct client is no proxy, so
    // the claim must not move its failures onto another address.
    for (let i = 0; i < 35; i++) {
      const answer = await signInFrom('127.0.0.2', WRONG_KEY, { 'x-forwarded-for': '127.0.0.1' });
      expect(answer.status).toBe(303);
    }
    // The browser (127.0.0.1) signs in.
    const page = await signIn(keys.analyst);
    await page.getByTestId('signed-in').waitFor();
    await page.locator('table.ranking tbody tr').first().waitFor();
    // The guesser is told to wait; even a right key is refused to its address, for now.
    const guesser = await signInFrom('127.0.0.2', WRONG_KEY);
    expect(guesser.headers.location).toBe('/signin?error=throttled');
    const right = await signInFrom('127.0.0.2', keys.analyst);
    expect(right.headers.location).toBe('/signin?error=throttled');
    // The GraphQL proxy, streams included, speaks for the browser too: the
    // same session cookie is limited from the guesser's address only.
    const cookie = await sessionCookie(page);
    expect((await overviewFrom('127.0.0.1', cookie)).status).toBe(200);
    expect((await overviewFrom('127.0.0.2', cookie)).status).toBe(429);
    const stream = await subscriptionFrom('127.0.0.1', cookie);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect((await subscriptionFrom('127.0.0.2', cookie)).status).toBe(429);
    await page.context().close();
  });
});

describe('security headers', () => {
  it('sends a CSP, frame and referrer policies and nosniff on pages, routes and assets', async () => {
    const page = await system.browser.newPage();
    const assets: string[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/_next/static/')) assets.push(response.url());
    });
    await page.goto(`${system.dashboardUrl}/signin`, { waitUntil: 'load' });
    expect(assets.length).toBeGreaterThan(0);
    const paths = [
      '/',
      '/signin',
      '/admin',
      '/user?id=alice',
      '/no-such-page',
      '/graphql',
      new URL(assets[0] ?? '').pathname,
    ];
    for (const path of paths) {
      const res = await fetch(`${system.dashboardUrl}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/(^|;)\s*default-src 'self'/);
      expect(csp, path).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('referrer-policy'), path).toBe('same-origin');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    const session = await fetch(`${system.dashboardUrl}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'key=',
      redirect: 'manual',
    });
    expect(session.headers.get('x-frame-options')).toBe('DENY');
    // Scripts run only with the page's nonce: no 'unsafe-inline' or 'unsafe-eval'.
    const csp = (await fetch(`${system.dashboardUrl}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain('unsafe');
    await page.close();
  });

  it('will not load /admin in a frame on another origin', async () => {
    const framer: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<!doctype html><title>framer</title><iframe src="${system.dashboardUrl}/admin"></iframe>`);
    });
    await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve));
    const page = await system.browser.newPage();
    const refusals: string[] = [];
    page.on('console', (message) => {
      if (/frame/i.test(message.text())) refusals.push(message.text());
    });
    try {
      const { port } = framer.address() as AddressInfo;
      // localhost and 127.0.0.1 are different origins.
      await page.goto(`http://localhost:${port}/`, { waitUntil: 'load' });
      await expect.poll(() => refusals.length, { timeout: 10_000 }).toBeGreaterThan(0);
      for (const frame of page.frames()) {
        if (frame === page.mainFrame()) continue;
        const text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
        expect(text).not.toContain('Persona Drift');
      }
    } finally {
      await page.close();
      await new Promise((resolve) => framer.close(resolve));
    }
  });

  it('signs in and shows every screen without a single CSP violation', async () => {
    const page = await signIn(keys.admin);
    const violations = cspViolations(page);
    await page.reload();
    await page.locator('table.ranking tbody tr').first().waitFor();
    await page.getByRole('link', { name: 'alice' }).click();
    await page.getByText(/^1 event from /).waitFor();
    await page.getByRole('link', { name: 'Keys and audit' }).click();
    await page.getByTestId('key-row').first().waitFor();
    expect(violations).toEqual([]);
    await page.context().close();
  });
});

describe('signing out', () => {
  it('ends the session on the server: a copy of the cookie replayed afterwards is not signed in', async () => {
    const page = await signIn(keys.analyst);
    await page.getByTestId('signed-in').waitFor();
    const cookie = await sessionCookie(page);
    expect((await overviewFrom('127.0.0.1', cookie)).status).toBe(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    expect((await overviewFrom('127.0.0.1', cookie)).status).toBe(401);
    expect((await subscriptionFrom('127.0.0.1', cookie)).status).toBe(401);
    const home = await from('127.0.0.1', '/', { headers: { cookie } });
    expect(home.body).not.toContain('data-testid="signed-in"');
    // Nor after a restart of the dashboard.
    await system.restartDashboard();
    expect((await overviewFrom('127.0.0.1', cookie)).status).toBe(401);
    await page.context().close();
  });

  it('leaves other sessions of the same key signed in', async () => {
    const [first, second] = [await signIn(keys.analyst), await signIn(keys.analyst)];
    await first.getByRole('button', { name: 'Sign out' }).click();
    await first.getByText('You are signed out.').waitFor();
    expect((await overviewFrom('127.0.0.1', await sessionCookie(second))).status).toBe(200);
    await first.context().close();
    await second.context().close();
  });
});

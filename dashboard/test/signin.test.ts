import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../api/src/domain/api-key.ts';
import { KeyStore } from '../../api/src/storage/key-store.ts';
import { applyMigrations } from '../../api/src/storage/migrations.ts';
import { openDatabase } from '../../api/src/storage/sqlite.ts';
import { type System, startSystem, subscriptionOpened } from './system.ts';

// The API requires keys here: the dashboard must sign in and sign every request.
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
    ingestHeaders: {},
  });
  const res = await fetch(`${system.api.url}/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.producer}` },
    body: JSON.stringify({
      user_id: 'alice',
      kind: 'login',
      meta: { browser: 'chrome', os: 'windows', ip: '12.34.56.78', device: 'laptop' },
    }),
  });
  expect(res.status).toBe(200);
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

/** The status of a GraphQL read the page itself sends to the dashboard (with whatever session it holds). */
function overviewStatusFrom(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ overview { users } }' }),
    });
    return res.status;
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

describe('signing in to a keyed API', () => {
  it('asks to sign in instead of showing data', async () => {
    const page = await system.browser.newPage();
    await page.goto(`${system.dashboardUrl}/`);
    await page.getByRole('heading', { name: 'Sign in to see this' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }).count()).toBe(
      1,
    );
    await page.close();
  });

  it('refuses a wrong key and a producer key, never putting the key in the URL', async () => {
    const wrong = await signIn(`pd_${'x'.repeat(43)}`);
    expect(new URL(wrong.url()).pathname).toBe('/signin');
    await wrong.getByText('That key is not valid, or it was revoked.').waitFor();
    expect(wrong.url()).not.toContain('pd_');
    await wrong.context().close();
    const producer = await signIn(keys.producer);
    await producer.getByText(/That is a producer key/).waitFor();
    expect(producer.url()).not.toContain(keys.producer.slice(3));
    await producer.context().close();
  });

  it('an analyst sees the data, holds an httpOnly session the page cannot read, and has no admin screens', async () => {
    const page = await signIn(keys.analyst);
    await page.locator('table.ranking tbody tr').first().waitFor();
    expect(await page.locator('table.ranking tbody th[scope=row]').allInnerTexts()).toEqual(['alice']);
    expect(await page.getByTestId('signed-in').innerText()).toMatch(/^analyst · pd_/);
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ name: 'pd_session', httpOnly: true, sameSite: 'Strict' });
    expect(cookie?.value).not.toContain(keys.analyst.slice(3));
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await page.content()).not.toContain(keys.analyst.slice(3));
    expect(await page.getByRole('link', { name: 'Keys and audit' }).count()).toBe(0);
    // Typing the admin address anyway: the API refuses.
    await page.goto(`${system.dashboardUrl}/admin`);
    await page.getByRole('heading', { name: 'Not for this key' }).waitFor();
    await page.context().close();
  });

  it('updates live through the signed proxy', async () => {
    const page = await signIn(keys.analyst);
    // Opened again with the session, knowing when the live feed listens.
    const subscribed = subscriptionOpened(page, 'LiveFeed_EventIngested');
    await page.reload({ waitUntil: 'load' });
    await subscribed;
    const res = await fetch(`${system.api.url}/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': keys.producer },
      body: JSON.stringify({ user_id: 'bob', kind: 'login', meta: { browser: 'firefox' } }),
    });
    expect(res.status).toBe(200);
    await page.getByTestId('live-event').filter({ hasText: 'bob' }).waitFor({ timeout: 10_000 });
    await page.context().close();
  });

  it('signs out: the session is gone and the data with it', async () => {
    const page = await signIn(keys.analyst);
    await page.locator('table.ranking tbody tr').first().waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    expect(await page.context().cookies()).toEqual([]);
    const status = await overviewStatusFrom(page);
    expect(status).toBe(401);
    await page.context().close();
  });

  it('an admin manages keys: creates one (shown once), sees it listed and audited, revokes it', async () => {
    const page = await signIn(keys.admin);
    await page.getByRole('link', { name: 'Keys and audit' }).click();
    await page.getByTestId('key-row').first().waitFor();
    expect(await page.getByTestId('key-row').count()).toBe(3);
    await page.getByLabel('Role').selectOption('ANALYST');
    await page.getByLabel('Name').fill('night shift');
    await page.getByRole('button', { name: 'Create key' }).click();
    const created = await page.getByTestId('new-key').innerText();
    expect(created).toMatch(/^pd_[A-Za-z0-9_-]{43}$/);
    // The new key works against the API.
    expect(
      (await fetch(`${system.api.url}/profiles`, { headers: { authorization: `Bearer ${created}` } })).status,
    ).toBe(200);
    await expect.poll(() => page.getByTestId('key-row').count()).toBe(4);
    const row = page.getByTestId('key-row').filter({ hasText: 'night shift' });
    expect(await row.innerText()).not.toContain(created.slice(11));
    await row.getByRole('button', { name: /Revoke/ }).click();
    await expect.poll(() => row.innerText()).toMatch(/revoked/);
    expect(
      (await fetch(`${system.api.url}/profiles`, { headers: { authorization: `Bearer ${created}` } })).status,
    ).toBe(401);
    const audit = await page.getByTestId('audit').innerText();
    expect(audit).toMatch(/key\.revoked key:4/);
    expect(audit).toMatch(/key\.created key:4/);
    await page.context().close();
  });

  it('ends a session whose key was revoked, instead of polling on with it', async () => {
    const created = await fetch(`${system.api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.admin}` },
      body: JSON.stringify({ query: 'mutation { createApiKey(role: ANALYST, name: "temp") { key apiKey { id } } }' }),
    });
    const { key, apiKey } = (
      (await created.json()) as { data: { createApiKey: { key: string; apiKey: { id: string } } } }
    ).data.createApiKey;
    const page = await signIn(key);
    await page.locator('table.ranking tbody tr').first().waitFor();
    expect(await page.context().cookies()).toHaveLength(1);
    await fetch(`${system.api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.admin}` },
      body: JSON.stringify({ query: `mutation { revokeApiKey(id: "${apiKey.id}") { id } }` }),
    });
    const status = await overviewStatusFrom(page);
    expect(status).toBe(401);
    expect(await page.context().cookies()).toEqual([]);
    await page.context().close();
  });

  it('assigns an alert to the signed-in key’s name', async () => {
    // Twenty days at home in Berlin, then a stranger's login from Lagos: an alert.
    const home = { ip: '81.2.69.10', country: 'DE', asn: 3320, lat: 52.52, lon: 13.405, city: 'Berlin' };
    const settled = Array.from({ length: 20 }, (_, day) => ({
      user_id: 'carol',
      kind: 'login',
      timestamp: Date.now() - (21 - day) * 86_400_000,
      meta: { ...home, browser: 'chrome', os: 'windows', device: 'laptop', success: true },
    }));
    const stranger = {
      user_id: 'carol',
      kind: 'login',
      timestamp: Date.now() - 60_000,
      meta: {
        ip: '102.89.3.7',
        country: 'NG',
        asn: 37148,
        lat: 6.45,
        lon: 3.39,
        city: 'Lagos',
        browser: 'firefox',
        os: 'linux',
        device: 'desktop',
        success: true,
      },
    };
    for (const body of [settled, stranger]) {
      const res = await fetch(`${system.api.url}/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': keys.producer },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
    }
    const page = await signIn(keys.analyst);
    await page.goto(`${system.dashboardUrl}/alerts`, { waitUntil: 'load' });
    const card = page.getByTestId('alert').filter({ hasText: 'carol' });
    await card.getByRole('button', { name: 'Assign to me' }).click();
    await expect.poll(() => card.getByTestId('alert-assignee').innerText()).toBe('assigned to analyst key');
    await page.context().close();
  });

  it('never writes a key to either process’s logs', () => {
    const logs = system.api.logs() + system.dashboardLogs();
    for (const key of Object.values(keys)) expect(logs).not.toContain(key.slice(3));
  });
});

describe('the sign-in form', () => {
  it('refuses a form posted from another site', async () => {
    const res = await fetch(`${system.dashboardUrl}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({ key: keys.analyst }).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});

describe('the dashboard’s GraphQL route', () => {
  it('refuses cross-site requests and non-JSON bodies, even with a session cookie', async () => {
    const page = await signIn(keys.admin);
    await page.locator('table.ranking tbody tr').first().waitFor();
    const [cookie] = await page.context().cookies();
    const headers = { cookie: `${cookie?.name}=${cookie?.value}` };
    const crossSite = await fetch(`${system.dashboardUrl}/graphql`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', origin: 'https://sibling.example' },
      body: JSON.stringify({ query: 'mutation { deleteUser(id: "alice") { events } }' }),
    });
    expect(crossSite.status).toBe(403);
    const form = await fetch(`${system.dashboardUrl}/graphql`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=mutation%20%7B%20deleteUser(id%3A%22alice%22)%20%7B%20events%20%7D%20%7D',
    });
    expect(form.status).toBe(415);
    // alice is still there.
    const res = await fetch(`${system.api.url}/drift/alice`, { headers: { authorization: `Bearer ${keys.admin}` } });
    expect(res.status).toBe(200);
    await page.context().close();
  });
});

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../api/src/domain/api-key.ts';
import { KeyStore } from '../../api/src/storage/key-store.ts';
import { applyMigrations } from '../../api/src/storage/migrations.ts';
import { openDatabase } from '../../api/src/storage/sqlite.ts';
import { formatTime } from '../src/lib/format.ts';
import { accessibilityReport } from './accessibility.ts';
import { type System, startSystem, subscriptionOpened } from './system.ts';

// The analyst's corrections to scoring, in the browser: trusting a user's
// network, marking an alert a false positive (and undoing it), and the admin's
// allow-list. Against an API with keys, so an analyst and an admin each sign in.
let system: System;
const keys = {} as Record<Role, string>;
const ingestHeaders: Record<string, string> = {};

const DAY = 86_400_000;
const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
const HOME = { ip: '81.2.69.10', country: 'DE', asn: 3320, lat: 52.52, lon: 13.405, city: 'Berlin' };
const LAGOS = { ip: '102.89.3.7', country: 'NG', asn: 37148, lat: 6.45, lon: 3.39, city: 'Lagos' };
const SAO_PAULO = { ip: '177.12.4.9', country: 'BR', asn: 28573, lat: -23.55, lon: -46.63, city: 'São Paulo' };
const MUMBAI = { ip: '49.36.10.20', country: 'IN', asn: 55836, lat: 19.07, lon: 72.87, city: 'Mumbai' };

/** Now, to the second: the timeline shows times to the second. */
const now = () => Math.floor(Date.now() / 1000) * 1000;

let sequence = 0;
function login(userId: string, at: number, meta: Record<string, unknown>) {
  sequence += 1;
  return { user_id: userId, kind: 'login', event_id: `adj-${sequence}`, timestamp: at, meta };
}

/** Twenty days at home in Berlin on one laptop, ending a day ago: a settled account. */
function history(userId: string) {
  const start = now() - 21 * DAY;
  return Array.from({ length: 20 }, (_, day) =>
    login(userId, start + day * DAY, { ...HOME, user_agent: CHROME_WINDOWS, success: true }),
  );
}

beforeAll(async () => {
  system = await startSystem({
    prepare: (dbFile) => {
      const db = openDatabase(dbFile);
      applyMigrations(db);
      const store = new KeyStore(db);
      for (const role of ['producer', 'analyst', 'admin'] as const)
        keys[role] = store.create(role, `${role} key`, 'cli').key;
      db.close();
      ingestHeaders.authorization = `Bearer ${keys.producer}`;
    },
    ingestHeaders,
  });
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

async function signIn(role: 'analyst' | 'admin', viewport: { width: number; height: number }): Promise<Page> {
  const context = await system.browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(`${system.dashboardUrl}/signin`);
  await page.getByLabel('API key').fill(keys[role]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/session') && !url.pathname.startsWith('/signin'));
  return page;
}

/** Opens a user's page once its live feed listens, so events ingested afterwards reach it. */
async function openUser(page: Page, userId: string): Promise<void> {
  const listening = subscriptionOpened(page, 'LiveFeed_EventIngested');
  await page.goto(`${system.dashboardUrl}/user?id=${encodeURIComponent(userId)}`, { waitUntil: 'load' });
  await listening;
  await page.getByTestId('timeline-row').first().waitFor();
}

/** The timeline's row of the event at `at` (to the second), once the page shows it. */
async function row(page: Page, at: number) {
  const found = page.getByTestId('timeline-row').filter({ hasText: formatTime(new Date(at).toISOString()) });
  await found.first().waitFor({ timeout: 20_000 });
  return found.first();
}

/** The event's risk score as the page shows it. */
async function riskOf(page: Page, at: number): Promise<number> {
  const text = await (await row(page, at)).getByTestId('event-risk').locator('.risk-score').innerText();
  return Number(text);
}

/** No sideways scrolling: everything fits the viewport's width. */
async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
}

const WIDTHS = [
  ['desktop', { width: 1280, height: 900 }],
  ['phone', { width: 390, height: 844 }],
] as const;

describe.each(WIDTHS)('at %s width', (width, viewport) => {
  it('trusting the latest event’s network from the user page lowers the next event from it, naming the entry', async () => {
    const userId = `trusting-${width}`;
    const away = now() - 120_000;
    await system.ingest([
      ...history(userId),
      login(userId, away, { ...LAGOS, user_agent: CHROME_WINDOWS, success: true }),
    ]);
    const page = await signIn('analyst', viewport);
    await openUser(page, userId);
    const first = await row(page, away);
    expect(await first.innerText()).toMatch(/NG|Lagos/);
    expect(await first.getByTestId('signal-lowered').count()).toBe(0);
    const riskBefore = await riskOf(page, away);
    expect(riskBefore).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Trust this network' }).click();
    const form = page.getByRole('form', { name: /Trust a network/ });
    // Prefilled from the latest event: its /24.
    expect(await form.getByLabel(/^Network:/).inputValue()).toBe('102.89.3.0/24');
    // The reason is required: the API's answer is shown beside the field.
    await form.getByLabel('Reason').fill('   ');
    await form.getByRole('button', { name: 'Trust this network' }).click();
    await form.getByRole('button', { name: 'Confirm' }).click();
    await form.getByText('reason: is required').waitFor();
    expect(await form.getByLabel('Reason').getAttribute('aria-invalid')).toBe('true');
    expect(await accessibilityReport(page)).toMatchObject({ lowContrast: [], unnamed: [] });
    await form.getByLabel('Reason').fill('Lagos office');
    await form.getByRole('button', { name: 'Trust this network' }).click();
    await form.getByText(/Trust 102\.89\.3\.0\/24 for trusting-\w+ for 90 days\?/).waitFor();
    await form.getByRole('button', { name: 'Confirm' }).click();
    const entry = page.getByTestId('trust-entry').filter({ hasText: '102.89.3.0/24' });
    await entry.waitFor();
    const entryId = await entry.getAttribute('data-entry-id');
    expect(await entry.innerText()).toMatch(/Lowers to 0 on 102\.89\.3\.0\/24: new subnet, new asn, new country/);
    expect(await entry.innerText()).toMatch(/until \d{4}-\d\d-\d\d/);

    // Another login from that network, arriving live.
    const again = now() - 60_000;
    await system.ingest([login(userId, again, { ...LAGOS, user_agent: CHROME_WINDOWS, success: true })]);
    const lowered = (await row(page, again)).getByTestId('signal-lowered').first();
    await lowered.waitFor();
    expect(await lowered.innerText()).toContain(`lowered by trust #${entryId}: Lagos office 102.89.3.0/24`);
    expect(await lowered.locator('s').count()).toBe(1);
    expect(await riskOf(page, again)).toBeLessThan(riskBefore);
    expect(await fitsWidth(page)).toBe(true);

    // Removable: the entry leaves the list of those in force.
    await page.getByRole('button', { name: `Remove trust #${entryId} (102.89.3.0/24)` }).click();
    await page.getByText('No trust entries in force.').waitFor();
    await page.getByLabel('Show removed, expired and undone entries').check();
    await entry.filter({ hasText: /Removed by key:/ }).waitFor();
    await page.context().close();
  });

  it('marking an alert a false positive from its card resolves it and lowers the next similar event; undo restores', async () => {
    // On a desktop from the user page's card (and undone there), on a phone from the alerts page.
    const fromUserPage = width === 'desktop';
    const userId = `marking-${width}`;
    const at = now() - 600_000;
    await system.ingest([
      ...history(userId),
      ...[0, 1, 2, 3].map((n) =>
        login(userId, at + n * 60_000, { ...LAGOS, user_agent: FIREFOX_LINUX, success: false }),
      ),
      login(userId, at + 5 * 60_000, { ...LAGOS, user_agent: FIREFOX_LINUX, success: true }),
    ]);
    const page = await signIn('analyst', viewport);
    if (fromUserPage) await openUser(page, userId);
    else await page.goto(`${system.dashboardUrl}/alerts?user=${encodeURIComponent(userId)}`);
    const card = page.getByTestId('alert').first();
    await card.waitFor();
    expect(await card.getAttribute('data-status')).toBe('open');
    const alertScore = Number(await card.locator('.risk-score').first().innerText());

    await card.getByRole('button', { name: 'False positive' }).click();
    await card.getByLabel('Why is it a false positive?').fill('The user is travelling');
    await card.getByRole('button', { name: 'Mark false positive' }).click();
    // The card says so and offers undo; the alert is no longer open.
    await card.getByTestId('false-positive').filter({ hasText: 'Marked a false positive' }).waitFor();
    expect(await card.getAttribute('data-status')).toBe('resolved');
    await page
      .getByTestId(fromUserPage ? 'alert-count' : 'alerts-total')
      .filter({ hasText: fromUserPage ? '0 open alerts' : /^0 alerts$/ })
      .waitFor();
    expect(await page.locator('[data-testid="alert"][data-status="open"]').count()).toBe(0);
    expect(await card.getByRole('button', { name: 'Undo false positive' }).count()).toBe(1);
    expect(await accessibilityReport(page)).toMatchObject({ lowContrast: [], unnamed: [] });
    // Loaded later, among the resolved alerts, the card still says so and offers undo.
    const later = await page.context().newPage();
    await later.goto(`${system.dashboardUrl}/alerts?status=resolved&user=${encodeURIComponent(userId)}`);
    const stored = later.getByTestId('alert').first();
    await stored.getByTestId('false-positive').filter({ hasText: 'Marked a false positive' }).waitFor();
    expect(await stored.getAttribute('data-false-positive')).toBe('marked');
    expect(await stored.getByRole('button', { name: 'Undo false positive' }).count()).toBe(1);
    expect(await stored.getByRole('button', { name: 'Reopen' }).count()).toBe(0);
    await later.close();
    if (!fromUserPage) await openUser(page, userId);
    const fp = page.getByTestId('false-positive-entry').first();
    await fp.waitFor();
    const fpId = await fp.getAttribute('data-entry-id');
    expect(await fp.innerText()).toMatch(/Lowers ×0\.5: .*new country \(value:NG\)/);

    // The same way in again: lowered, naming the false positive.
    const similar = now() - 60_000;
    await system.ingest([login(userId, similar, { ...LAGOS, user_agent: FIREFOX_LINUX, success: true })]);
    const lowered = (await row(page, similar)).getByTestId('signal-lowered').first();
    await lowered.waitFor();
    expect(await lowered.innerText()).toMatch(new RegExp(`lowered by false positive #${fpId} on alert \\d+`));
    expect(await riskOf(page, similar)).toBeLessThan(alertScore);

    // Undo (from the card, or the user's list of false positives): the next similar event is not lowered.
    if (fromUserPage) {
      await card.getByRole('button', { name: 'Undo false positive' }).click();
      await card.getByTestId('false-positive').filter({ hasText: 'undone' }).waitFor();
    } else {
      await page.getByRole('button', { name: `Undo false positive #${fpId}` }).click();
    }
    await page.getByText('No alerts marked false positives in force.').waitFor();
    const after = now() - 30_000;
    await system.ingest([login(userId, after, { ...LAGOS, user_agent: FIREFOX_LINUX, success: true })]);
    const afterRow = await row(page, after);
    await afterRow.getByTestId('event-risk').locator('.risk-score').waitFor();
    expect(await afterRow.getByTestId('signal-lowered').count()).toBe(0);
    expect(await afterRow.innerText()).not.toContain('lowered by');
    expect(await fitsWidth(page)).toBe(true);
    // Undone, the resolved alert's card is an ordinary one again: it can be reopened (and marked anew).
    const undoneCard = await page.context().newPage();
    await undoneCard.goto(`${system.dashboardUrl}/alerts?status=resolved&user=${encodeURIComponent(userId)}`);
    const reopenable = undoneCard.getByTestId('alert').first();
    await reopenable.getByRole('button', { name: 'Reopen' }).waitFor();
    expect(await reopenable.getAttribute('data-false-positive')).toBeNull();
    expect(await reopenable.getByRole('button', { name: 'False positive' }).count()).toBe(1);
    await page.context().close();
  });

  it('an admin’s allow-list entry lowers a later event from its range for any user, until removed', async () => {
    const userId = `allowed-${width}`;
    const [place, cidr] = width === 'desktop' ? [SAO_PAULO, '177.12.0.0/16'] : [MUMBAI, '49.36.0.0/16'];
    await system.ingest(history(userId));
    const admin = await signIn('admin', viewport);
    await admin.goto(`${system.dashboardUrl}/admin`);
    const form = admin.getByRole('form', { name: 'Add to the allow-list' });
    await form.getByLabel('Kind').selectOption('IPV4_CIDR');
    // A bad value is answered beside the field.
    await form.getByLabel('Value').fill('10.0.0.0/33');
    await form.getByLabel('Reason').fill('Branch office');
    await form.getByRole('button', { name: 'Add to the allow-list' }).click();
    await form.getByText(/^value: /).waitFor();
    await form.getByLabel('Value').fill(cidr);
    await form.getByRole('button', { name: 'Add to the allow-list' }).click();
    const entry = admin.getByTestId('allow-entry').filter({ hasText: cidr });
    await entry.waitFor();
    const entryId = await entry.getAttribute('data-entry-id');
    expect(await accessibilityReport(admin)).toMatchObject({ lowContrast: [], unnamed: [], h1: 1 });
    await admin
      .getByTestId('audit')
      .getByText(
        new RegExp(`allow\\.created allow:${entryId} · ipv4 cidr ${cidr.replaceAll('.', '\\.')} · “Branch office”`),
      )
      .waitFor();

    const at = now() - 60_000;
    await system.ingest([login(userId, at, { ...place, user_agent: CHROME_WINDOWS, success: true })]);
    const analyst = await signIn('analyst', viewport);
    await openUser(analyst, userId);
    const lowered = (await row(analyst, at)).getByTestId('signal-lowered').first();
    await lowered.waitFor();
    expect(await lowered.innerText()).toContain(`lowered by allow-list #${entryId}: Branch office ${cidr}`);
    await analyst.context().close();

    await admin.getByRole('button', { name: `Remove allow-list #${entryId} (${cidr})` }).click();
    await entry.waitFor({ state: 'detached' });
    await admin.getByTestId('audit').getByText(`allow.removed allow:${entryId}`).waitFor();
    await admin.getByLabel('Show removed and expired entries').check();
    await entry.filter({ hasText: /removed .* by key:/ }).waitFor();
    expect(await fitsWidth(admin)).toBe(true);
    await admin.context().close();
  });

  it('an analyst cannot change the allow-list', async () => {
    const page = await signIn('analyst', viewport);
    await page.goto(`${system.dashboardUrl}/admin`);
    await page.getByRole('heading', { name: 'Not for this key' }).waitFor();
    expect(await page.getByRole('button', { name: 'Add to the allow-list' }).count()).toBe(0);
    // Asked anyway, through the dashboard with the analyst's session: the API refuses.
    const answer = await page.evaluate(async () => {
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'mutation { createAllowListEntry(kind: ASN, value: "AS64500", reason: "mine") { id } }',
        }),
      });
      return (await res.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    });
    expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await page.context().close();
  });
});

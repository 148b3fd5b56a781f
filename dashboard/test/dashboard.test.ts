import { request as httpRequest } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityReport } from './accessibility.ts';
import { cspViolations, type System, startSystem, subscriptionOpened } from './system.ts';

let system: System;

const laptop = { browser: 'chrome', os: 'windows', ip: '12.34.56.78', device: 'laptop' };
const at = (day: number, hour = 9) => `2024-05-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;

beforeAll(async () => {
  system = await startSystem();
  await system.ingest([
    // steady: one persona throughout → 0
    ...[1, 2, 3].map((d) => ({ user_id: 'steady', kind: 'login', timestamp: at(d), meta: laptop })),
    // drifter: laptop, then a phone on another network → 45
    { user_id: 'drifter', kind: 'login', timestamp: at(1), meta: laptop },
    { user_id: 'drifter', kind: 'logout', timestamp: at(2), meta: laptop },
    {
      user_id: 'drifter',
      kind: 'login',
      timestamp: at(3),
      meta: { browser: 'safari', os: 'ios', ip: '98.76.54.32', dev_type: 'phone' },
    },
    // netter: same laptop, two networks → 20
    { user_id: 'netter', kind: 'login', timestamp: at(1), meta: laptop },
    { user_id: 'netter', kind: 'login', timestamp: at(2), meta: { ...laptop, ip: '99.1.1.1' } },
  ]);
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

/** What pages opened by `open` reported as blocked by the dashboard's Content Security Policy. */
let violations: string[] = [];

afterEach(() => {
  const seen = violations;
  violations = [];
  expect(seen).toEqual([]);
});

/**
 * Opens a page; with `live`, also waits until the page's subscriptions with
 * those operation names are open, so events ingested next reach it.
 */
async function open(path: string, viewport = { width: 1280, height: 900 }, live: string[] = []): Promise<Page> {
  const page = await system.newPage(viewport);
  const seen = cspViolations(page);
  page.on('close', () => violations.push(...seen));
  const subscribed = Promise.all(live.map((operation) => subscriptionOpened(page, operation)));
  await page.goto(`${system.dashboardUrl}${path}`, { waitUntil: 'load' });
  await subscribed;
  return page;
}

/** Waits until a page is hydrated (its live feed starts only then) and shows its data. */
async function shown(page: Page, path: string): Promise<void> {
  await page.locator('.live-dot.on').waitFor();
  await page
    .locator(path === '/' ? 'table.ranking tbody tr' : '[data-testid=timeline-row]')
    .first()
    .waitFor();
}

const rankingIds = (page: Page) => page.locator('table.ranking tbody th[scope=row]').allInnerTexts();

describe('overview', () => {
  it('ranks users by current risk, with drift as a plain number beside it, counts and totals', async () => {
    const page = await open('/');
    await page.getByRole('heading', { name: 'Users at risk' }).waitFor();
    await page.locator('table.ranking tbody tr').first().waitFor();
    // Nobody here is at risk: every level is low, and drift (which saturates) decides nothing.
    expect((await rankingIds(page)).sort()).toEqual(['drifter', 'netter', 'steady']);
    expect(
      await page
        .locator('table.ranking [data-testid=risk-badge]')
        .evaluateAll((badges) => badges.map((b) => b.getAttribute('data-level'))),
    ).toEqual(['low', 'low', 'low']);
    const drifter = page.locator('table.ranking tbody tr', { hasText: 'drifter' });
    expect(await drifter.getByTestId('drift-score').innerText()).toBe('drift 45');
    expect(await drifter.locator('td.num').last().innerText()).toBe('3');
    expect(await drifter.locator('time').getAttribute('datetime')).toBe('2024-05-03T09:00:00.000Z');
    expect(await page.getByTestId('total-users').innerText()).toBe('3');
    expect(await page.getByTestId('total-events').innerText()).toBe('8');
    await page.close();
  });

  it('loads nothing from outside this machine (no fonts, scripts or assets from the internet)', async () => {
    const page = await system.browser.newPage();
    const hosts = new Set<string>();
    page.on('request', (request) => {
      hosts.add(new URL(request.url()).hostname);
    });
    await page.goto(`${system.dashboardUrl}/user/drifter`, { waitUntil: 'load' });
    await page.getByTestId('timeline-row').first().waitFor();
    await page.goto(`${system.dashboardUrl}/`, { waitUntil: 'load' });
    await page.locator('table.ranking tbody tr').first().waitFor();
    expect([...hosts]).toEqual(['127.0.0.1']);
    await page.close();
  });

  it('shows an empty state when no user matches the search', async () => {
    const page = await open('/');
    await page.locator('table.ranking tbody tr').first().waitFor();
    await page.getByLabel('Search user id').fill('zzz-no-such-user');
    await page.getByRole('heading', { name: 'No user id contains “zzz-no-such-user”' }).waitFor({ timeout: 10_000 });
    await page.close();
  });

  it('searches by user id', async () => {
    const page = await open('/');
    await page.locator('table.ranking tbody tr').first().waitFor();
    await page.getByLabel('Search user id').fill('net');
    await expect.poll(() => rankingIds(page), { timeout: 10_000 }).toEqual(['netter']);
    await page.close();
  });

  it('shows a newly ingested event live, without a reload', async () => {
    const page = await open('/', undefined, ['LiveFeed_EventIngested']);
    await system.ingest({ user_id: 'newcomer', kind: 'login', meta: { device: 'tablet', browser: 'firefox' } });
    await page.getByTestId('live-event').filter({ hasText: 'newcomer' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => page.getByTestId('total-users').innerText(), { timeout: 10_000 }).toBe('4');
    await page.close();
  });

  it('keeps loading and updating live with five tabs open', async () => {
    // A browser holds six connections to one host: each tab may keep one open, not one per live panel.
    const tabs: Page[] = [];
    for (const path of ['/', '/user/drifter', '/', '/user/netter']) {
      tabs.push(await open(path, undefined, ['LiveFeed_EventIngested', 'AlertChanged']));
    }
    const fifth = await open('/user/steady');
    await fifth.getByText(/^3 events from /).waitFor({ timeout: 10_000 });
    await system.ingest({ user_id: 'tabber', kind: 'login', meta: { browser: 'firefox' } });
    for (const tab of tabs.filter((_, index) => index % 2 === 0)) {
      await tab.getByTestId('live-event').filter({ hasText: 'tabber' }).waitFor({ timeout: 10_000 });
    }
    await Promise.all([...tabs, fifth].map((tab) => tab.close()));
  });
});

describe('user page', () => {
  it("explains the user's drift with evidence and shows the fingerprint the API computes", async () => {
    const page = await open('/user/drifter');
    await page.getByRole('heading', { name: /drifter/ }).waitFor();
    const reasons = page.getByTestId('drift-reasons');
    expect(await reasons.locator('strong').allInnerTexts()).toEqual([
      'Multiple IPs',
      'Multiple OS',
      'Multiple Browsers',
      'Multiple Device Types',
      'Abrupt Device Switch',
    ]);
    expect(await reasons.innerText()).toContain('12.34.56.0/24 → 98.76.54.0/24');
    const rest = (await (await fetch(`${system.api.url}/fingerprint/drifter`)).json()) as {
      fingerprint: string;
      stability: number;
    };
    expect(await page.getByTestId('fingerprint-hash').innerText()).toBe(rest.fingerprint);
    expect(await page.getByTestId('stability').innerText()).toBe(`${rest.stability}%`);
    await page.close();
  });

  it('shows the latest event, distinct counts and the risk and mix charts', async () => {
    const page = await open('/user/drifter');
    await page.getByRole('heading', { name: 'Latest event' }).waitFor();
    const latest = page.locator('section', { has: page.getByRole('heading', { name: 'Latest event' }) });
    const facts = await latest.locator('dd').allInnerTexts();
    expect(facts.slice(1, 5)).toEqual(['phone', 'safari', 'ios', '98.76.54.32']);
    const counts = page.locator('section', { has: page.getByRole('heading', { name: 'Distinct values' }) });
    expect(await counts.locator('dd').allInnerTexts()).toEqual(['2', '2', '2', '2']);
    expect(await page.getByRole('img', { name: /^Drift score/ }).getAttribute('aria-label')).toContain(
      'to 45 on 2024-05-03',
    );
    expect(await page.locator('td.cell[title="Device switch on 2024-05-03: 1"]').count()).toBe(1);
    expect(await page.locator('td.cell[title="Device switch on 2024-05-02: 0"]').count()).toBe(1);
    const devices = page.locator('figure', { has: page.locator('figcaption', { hasText: 'Devices' }) });
    expect(await devices.locator('.bar-label').allInnerTexts()).toEqual(['laptop', 'phone']);
    await page.close();
  });

  it('lists the timeline newest first and filters it by kind', async () => {
    const page = await open('/user/drifter');
    await page.getByTestId('timeline-row').first().waitFor();
    const times = await page
      .locator('[data-testid=timeline-row] time')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('datetime')));
    expect(times).toEqual(['2024-05-03T09:00:00.000Z', '2024-05-02T09:00:00.000Z', '2024-05-01T09:00:00.000Z']);
    await page.getByLabel('Kind').selectOption('logout');
    await expect.poll(() => page.getByTestId('timeline-row').count(), { timeout: 10_000 }).toBe(1);
    await page.close();
  });

  it("shows a VPN event's network type, anonymiser apart from an ISP, and its place", async () => {
    await system.ingest([
      { user_id: 'vpn-user', kind: 'login', timestamp: at(1), meta: { ...laptop, ip: '81.2.69.10' } },
      // An address in a listed VPN exit range, which DB-IP places in New York.
      { user_id: 'vpn-user', kind: 'login', timestamp: at(2), meta: { ...laptop, ip: '2.26.157.5' } },
    ]);
    const page = await open('/user/vpn-user');
    await page.getByTestId('timeline-row').nth(1).waitFor();
    const [vpn, isp] = [page.getByTestId('event-network').nth(0), page.getByTestId('event-network').nth(1)];
    expect(await vpn.getByTestId('network-badge').innerText()).toBe('VPN');
    expect(await vpn.getByTestId('network-badge').getAttribute('class')).toContain('network-anonymising');
    expect(await vpn.getByTestId('network-place').innerText()).toBe('New York, US');
    expect(await vpn.getByTestId('network-place').getAttribute('title')).toMatch(/^Within about \d+ km of New York$/);
    expect(await isp.getByTestId('network-badge').innerText()).toBe('ISP');
    expect(await isp.getByTestId('network-badge').getAttribute('class')).not.toContain('network-anonymising');
    expect(await isp.getByTestId('network-place').innerText()).toBe('London, GB');
    const latest = page.getByTestId('latest-network');
    expect(await latest.getByTestId('network-badge').innerText()).toBe('VPN');
    expect(await latest.getByTestId('network-place').innerText()).toBe('New York, US');
    expect(await page.getByRole('link', { name: 'IP Geolocation by DB-IP' }).getAttribute('href')).toBe(
      'https://db-ip.com',
    );
    await page.close();
  });

  it('adds a new event to the open page live', async () => {
    const page = await open('/user/netter', undefined, ['LiveFeed_EventIngested']);
    await page.getByTestId('timeline-row').first().waitFor();
    await system.ingest({
      user_id: 'netter',
      kind: 'purchase',
      timestamp: at(4),
      meta: { ...laptop, device: 'phone' },
    });
    await expect
      .poll(() => page.getByTestId('timeline-row').first().innerText(), { timeout: 10_000 })
      .toContain('purchase');
    await expect.poll(() => page.locator('h1 .drift-value').innerText(), { timeout: 10_000 }).toBe('35');
    await page.close();
  });

  it('says so for an unknown user', async () => {
    const page = await open('/user/nobody-here');
    await page.getByRole('heading', { name: 'No events for user “nobody-here”' }).waitFor();
    await page.close();
  });

  it("shows a shared account's sharing verdict with its evidence, and none for a steady user", async () => {
    // The owner's laptop in Berlin every evening for four weeks; someone else's Mac in Munich most evenings of the last three.
    const day = (n: number, hour: number) => Date.UTC(2024, 5, 3 + n, hour);
    const berlin = { ip: '81.2.69.10', country: 'DE', city: 'Berlin', asn: 3320, lat: 52.52, lon: 13.405 };
    const munich = { ip: '88.64.12.9', country: 'DE', city: 'Munich', asn: 6805, lat: 48.137, lon: 11.575 };
    const events = [];
    for (let n = 0; n < 28; n += 1) {
      events.push({ user_id: 'shared', kind: 'login', timestamp: day(n, 19), meta: { ...laptop, ...berlin } });
      if (n >= 7 && n % 4 !== 1) {
        const mac = { browser: 'safari', os: 'macos', device: 'laptop', ...munich };
        events.push({ user_id: 'shared', kind: 'login', timestamp: day(n, 20), meta: mac });
      }
    }
    await system.ingest(events);
    const page = await open('/user/shared');
    const verdict = page.getByTestId('verdict');
    await verdict.getByTestId('verdict-kind').waitFor();
    expect(await verdict.getByTestId('verdict-kind').innerText()).toBe('sharing');
    expect(await verdict.innerText()).toMatch(/Used from two places: .*Berlin.* and .*Munich/);
    expect(await page.locator('h1').getByTestId('verdict-badge').innerText()).toMatch(/^sharing \d+%$/);
    await page.close();

    const steady = await open('/user/steady');
    await steady.getByTestId('verdict').getByText(/^None/).waitFor();
    expect(await steady.getByTestId('verdict-badge').count()).toBe(0);
    await steady.close();
  });
});

describe('phone-sized screens', () => {
  it.each(['/', '/user/drifter'])('%s fits a 390 px wide screen without sideways scrolling', async (path) => {
    const page = await open(path, { width: 390, height: 844 });
    await shown(page, path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });
});

describe('paging', () => {
  it('pages through the ranking and back', async () => {
    await system.ingest(
      Array.from({ length: 30 }, (_, i) => ({ user_id: `page-${String(i).padStart(2, '0')}`, kind: 'login' })),
    );
    const page = await open('/');
    const pager = page.getByRole('navigation', { name: 'Ranking pages' });
    await expect.poll(() => pager.locator('span').innerText(), { timeout: 10_000 }).toMatch(/^1–25 of \d+$/);
    const total = Number((await pager.locator('span').innerText()).split(' of ')[1]);
    const firstPage = await rankingIds(page);
    await pager.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => pager.locator('span').innerText(), { timeout: 10_000 }).toBe(`26–${total} of ${total}`);
    const secondPage = await rankingIds(page);
    expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
    await pager.getByRole('button', { name: 'Previous' }).click();
    await expect.poll(() => rankingIds(page), { timeout: 10_000 }).toEqual(firstPage);
    await page.close();
  });

  it('pages through a long timeline, newest first', async () => {
    await system.ingest(
      Array.from({ length: 25 }, (_, i) => ({
        user_id: 'long',
        kind: 'login',
        timestamp: 1_715_000_000_000 + i * 60_000,
      })),
    );
    const page = await open('/user/long');
    await page.getByTestId('timeline-row').first().waitFor();
    expect(await page.getByTestId('timeline-row').count()).toBe(20);
    await page.getByRole('navigation', { name: 'Timeline pages' }).getByRole('button', { name: 'Older' }).click();
    await expect.poll(() => page.getByTestId('timeline-row').count(), { timeout: 10_000 }).toBe(5);
    const times = await page
      .locator('[data-testid=timeline-row] time')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('datetime') ?? ''));
    expect(times).toEqual([...times].sort().reverse());
    expect(times.at(-1)).toBe(new Date(1_715_000_000_000).toISOString());
    await page.close();
  });
});

describe('accessibility', () => {
  it.each(['/', '/user/drifter'])(
    '%s names every control, has headings, and keeps text contrast at 4.5:1 or more',
    async (path) => {
      const page = await open(path);
      await shown(page, path);
      const report = await accessibilityReport(page);
      expect(report).toEqual({ lowContrast: [], unnamed: [], h1: 1, h2: expect.any(Number), lang: 'en' });
      expect(report.h2).toBeGreaterThan(1);
      await page.close();
    },
  );

  it('can be used from the keyboard: tab reaches the search box and a user link', async () => {
    const page = await open('/');
    await page.locator('table.ranking tbody tr').first().waitFor();
    const focused: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      focused.push(
        await page.evaluate(
          () => document.activeElement?.getAttribute('id') ?? document.activeElement?.textContent ?? '',
        ),
      );
    }
    expect(focused).toContain('user-search');
    expect(focused).toContain('drifter');
    await page.close();
  });
});

describe('risk model v2 and alerts', () => {
  const DAY = 86_400_000;
  const CHROME_WINDOWS =
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
  const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
  const home = { ip: '81.2.69.10', country: 'DE', asn: 3320, lat: 52.52, lon: 13.405, city: 'Berlin' };
  const attacker = { ip: '102.89.3.7', country: 'NG', asn: 37148, lat: 6.45, lon: 3.39, city: 'Lagos' };
  // Relative to now: a user's current risk halves every day, so the scenario must be recent.
  const start = Date.now() - 21 * DAY;
  const history = (userId: string) =>
    Array.from({ length: 20 }, (_, day) => ({
      user_id: userId,
      kind: 'login',
      timestamp: start + day * DAY,
      meta: { ...home, user_agent: CHROME_WINDOWS, success: true },
    }));
  const takeover = (userId: string) => ({
    user_id: userId,
    kind: 'login',
    timestamp: Date.now() - 60_000,
    meta: { ...attacker, user_agent: FIREFOX_LINUX, success: true },
  });
  const alertOf = (page: Page, userId: string) => page.getByTestId('alert').filter({ hasText: userId });

  beforeAll(async () => {
    await system.ingest([...history('victim'), ...history('bystander')]);
    await system.ingest(takeover('victim'));
  });

  it('lists the open alert with its level, reasons and user, and shows each user’s risk level in the ranking', async () => {
    const page = await open('/');
    const alert = alertOf(page, 'victim');
    await alert.waitFor();
    expect(await page.getByTestId('alert').count()).toBe(1);
    expect(['high', 'critical']).toContain(await alert.locator('.risk-level').innerText());
    expect(Number(await alert.locator('.risk-score').innerText())).toBeGreaterThanOrEqual(70);
    const reasons = await alert.locator('.alert-reasons li').allInnerTexts();
    expect(reasons.join(' | ')).toMatch(/First device .* from a first (country NG|network operator)/);
    expect(await alert.getAttribute('data-status')).toBe('open');
    const row = page.locator('table.ranking tbody tr', { hasText: 'bystander' });
    expect(await row.locator('.risk-level').innerText()).toBe('low');
    await page.close();
  });

  it('shows each event’s risk and signals on the user page, newest first', async () => {
    const page = await open('/user/victim');
    await page.getByTestId('timeline-row').first().waitFor();
    const newest = page.getByTestId('event-risk').first();
    expect(['high', 'critical']).toContain(await newest.locator('.risk-level').innerText());
    expect(await newest.locator('.signals li').allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^First country NG/)]),
    );
    expect(['high', 'critical']).toContain(await page.locator('h1 .risk-level').innerText());
    // Risk over time: the takeover's day stands out in the v2 chart.
    const chart = page.getByTestId('event-risk-chart').locator('svg');
    expect(await chart.getAttribute('aria-label')).toMatch(
      /^Highest event risk \d+ \((high|critical)\) on \d{4}-\d\d-\d\d; \d+ days/,
    );
    expect(await page.getByTestId('event-risk-chart').locator('rect.risk-bar').count()).toBeGreaterThan(10);
    expect(await page.getByTestId('alert').count()).toBe(1);
    await page.close();
  });

  it('triages: acknowledge, then resolve, and the alert leaves the open list', async () => {
    const page = await open('/');
    const alert = alertOf(page, 'victim');
    await alert.waitFor();
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => alert.getAttribute('data-status'), { timeout: 10_000 }).toBe('acknowledged');
    expect(await alert.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    await alert.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => page.getByTestId('alert').count(), { timeout: 10_000 }).toBe(0);
    expect(await page.getByTestId('alert-count').innerText()).toBe('0 open alerts');
    // The API agrees.
    const res = await fetch(`${system.api.url}/alerts?user_id=victim`);
    const body = (await res.json()) as { alerts: Array<{ status: string }> };
    expect(body.alerts.map((a) => a.status)).toEqual(['resolved']);
    await page.close();
  });

  it('keeps alerts, risk badges and triage buttons readable and named', async () => {
    await system.ingest(history('reader'));
    await system.ingest(takeover('reader'));
    for (const path of ['/', '/user/reader']) {
      const page = await open(path);
      await shown(page, path);
      await page.getByTestId('risk-badge').first().waitFor();
      expect(await accessibilityReport(page)).toMatchObject({ lowContrast: [], unnamed: [] });
      await page.close();
    }
  });

  it('shows a new alert live, without a reload', async () => {
    const page = await open('/', undefined, ['AlertsPanel_AlertChanged']);
    const openAlerts = async () => Number((await page.getByTestId('alert-count').innerText()).split(' ')[0]);
    const before = await openAlerts();
    await system.ingest(takeover('bystander'));
    await alertOf(page, 'bystander').waitFor({ timeout: 10_000 });
    expect(await openAlerts()).toBe(before + 1);
    await page.close();
  });
});

describe('an API without keys behind the dashboard', () => {
  /** A request to the dashboard as a browser on a DNS-rebinding name (attacker.example → 127.0.0.1) sends it. */
  function asRebound(body: string): Promise<{ status: number; body: string }> {
    const url = new URL('/graphql', system.dashboardUrl);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        url,
        {
          method: 'POST',
          headers: { host: `attacker.example:${url.port}`, 'content-type': 'application/json' },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('does not let a page on a rebound host name act as admin through the dashboard', async () => {
    const answer = await asRebound(JSON.stringify({ query: 'mutation { createApiKey(role: ADMIN) { key } }' }));
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('HOST_NOT_ALLOWED');
    expect(answer.body).not.toContain('pd_');
  });
});

// Last: it stops the API under the dashboard.
describe('when the API is down', () => {
  it('says it cannot reach the API instead of failing silently', async () => {
    system.api.child.kill('SIGTERM');
    await system.api.exited;
    const page = await open('/');
    await page.getByRole('heading', { name: 'Could not reach the API' }).waitFor({ timeout: 15_000 });
    await page.close();
  });
});

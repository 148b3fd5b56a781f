import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type System, startSystem } from './system.ts';

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

async function open(path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await system.browser.newPage({ viewport });
  await page.goto(`${system.dashboardUrl}${path}`, { waitUntil: 'load' });
  return page;
}

const rankingIds = (page: Page) => page.locator('table.ranking tbody th[scope=row]').allInnerTexts();

describe('overview', () => {
  it('ranks users by drift score with their reasons, counts and totals', async () => {
    const page = await open('/');
    await page.getByRole('heading', { name: 'Who is drifting' }).waitFor();
    await page.locator('table.ranking tbody tr').first().waitFor();
    expect(await rankingIds(page)).toEqual(['drifter', 'netter', 'steady']);
    const drifter = page.locator('table.ranking tbody tr', { hasText: 'drifter' });
    expect(await drifter.locator('.badge-score').innerText()).toBe('45');
    expect(await drifter.locator('.reasons li').allInnerTexts()).toEqual([
      'Multiple IPs',
      'Multiple OS',
      'Multiple Browsers',
      'Multiple Device Types',
      'Abrupt Device Switch',
    ]);
    expect(await page.getByTestId('total-users').innerText()).toBe('3');
    expect(await page.getByTestId('total-events').innerText()).toBe('8');
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
    const page = await open('/');
    await page.locator('.live-dot.on').waitFor();
    // Give the browser's subscription a moment to be registered by the API.
    await page.waitForTimeout(500);
    await system.ingest({ user_id: 'newcomer', kind: 'login', meta: { device: 'tablet', browser: 'firefox' } });
    await page.getByTestId('live-event').filter({ hasText: 'newcomer' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => page.getByTestId('total-users').innerText(), { timeout: 10_000 }).toBe('4');
    await page.close();
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

  it('adds a new event to the open page live', async () => {
    const page = await open('/user/netter');
    await page.getByTestId('timeline-row').first().waitFor();
    await page.locator('.live-dot.on').waitFor();
    await page.waitForTimeout(500);
    await system.ingest({
      user_id: 'netter',
      kind: 'purchase',
      timestamp: at(4),
      meta: { ...laptop, device: 'phone' },
    });
    await expect
      .poll(() => page.getByTestId('timeline-row').first().innerText(), { timeout: 10_000 })
      .toContain('purchase');
    await expect.poll(() => page.locator('h1 .badge-score').innerText(), { timeout: 10_000 }).toBe('35');
    await page.close();
  });

  it('says so for an unknown user', async () => {
    const page = await open('/user/nobody-here');
    await page.getByRole('heading', { name: 'No events for user “nobody-here”' }).waitFor();
    await page.close();
  });
});

describe('phone-sized screens', () => {
  it.each(['/', '/user/drifter'])('%s fits a 390 px wide screen without sideways scrolling', async (path) => {
    const page = await open(path, { width: 390, height: 844 });
    await page.locator('h1').first().waitFor();
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });
});

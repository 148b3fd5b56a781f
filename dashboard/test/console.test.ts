import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoEvents } from '../../scripts/demo-data.ts';
import { cspViolations, type System, startSystem, subscriptionOpened } from './system.ts';

// The analyst's console on the demo data set (`npm run seed`): who is at risk,
// the open alerts, a user's page. One system for the file.
let system: System;

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const DAY = 86_400_000;

/** The demo's takeovers and shared accounts (scripts/demo-data.ts: user index % 16 is 3 or 7, of 48). */
const SEEDED_TAKEOVERS = ['dave', 'yara', 'sybil2'];
const SEEDED_SHARED = ['heidi', 'dave2', 'trent2'];

const LEVELS = ['low', 'medium', 'high', 'critical'];
const rankOf = (level: string | null) => LEVELS.indexOf(level ?? '');

const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const home = { ip: '81.2.69.10', country: 'DE', asn: 3320, lat: 52.52, lon: 13.405, city: 'Berlin' };
/** Twenty days at home in Berlin on one laptop, ending a day ago: a settled account. */
const history = (userId: string) =>
  Array.from({ length: 20 }, (_, day) => ({
    user_id: userId,
    kind: 'login',
    timestamp: Date.now() - (21 - day) * DAY,
    meta: { ...home, user_agent: CHROME_WINDOWS, success: true },
  }));
beforeAll(async () => {
  system = await startSystem();
  const events = demoEvents(48, 30, Date.now());
  for (let i = 0; i < events.length; i += 500) await system.ingest(events.slice(i, i + 500));
  await system.ingest(history('live-victim'));
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

let violations: string[] = [];

afterEach(() => {
  const seen = violations;
  violations = [];
  expect(seen).toEqual([]);
});

/** Opens a page and, with `live`, waits until those subscriptions are open. */
async function open(path: string, viewport = DESKTOP, live: string[] = []): Promise<Page> {
  const page = await system.newPage(viewport);
  const seen = cspViolations(page);
  page.on('close', () => violations.push(...seen));
  const subscribed = Promise.all(live.map((operation) => subscriptionOpened(page, operation)));
  await page.goto(`${system.dashboardUrl}${path}`, { waitUntil: 'load' });
  await subscribed;
  return page;
}

async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${system.api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown };
  if (!body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Each user's highest unresolved alert level, as the API has it. */
async function openAlertLevels(): Promise<Map<string, string>> {
  const data = await graphql<{ alerts: { nodes: Array<{ level: string; user: { id: string } }> } }>(
    '{ alerts(status: [OPEN, ACKNOWLEDGED], first: 500) { nodes { level user { id } } } }',
  );
  const levels = new Map<string, string>();
  for (const { level, user } of data.alerts.nodes) {
    const name = level.toLowerCase();
    if (rankOf(name) > rankOf(levels.get(user.id) ?? null)) levels.set(user.id, name);
  }
  return levels;
}

interface Row {
  id: string;
  level: string | null;
  flagged: boolean;
  drift: string;
}

/** The overview's rows as shown: user, risk level, whether a verdict or an open alert marks it, the drift text. */
async function rows(page: Page): Promise<Row[]> {
  await page.getByTestId('user-row').first().waitFor();
  return page.getByTestId('user-row').evaluateAll((trs) =>
    trs.map((tr) => ({
      id: tr.getAttribute('data-user-id') ?? '',
      level: tr.querySelector('[data-testid=risk-badge]')?.getAttribute('data-level') ?? null,
      flagged:
        tr.querySelector(
          '[data-testid=verdict-badge], [data-testid=open-alerts], [data-basis=open_alert], [data-basis=verdict]',
        ) !== null,
      drift: tr.querySelector('[data-testid=drift-score]')?.textContent ?? '',
    })),
  );
}

/** Fails when a page says two different severities for one user, or uses a severity word for drift. */
async function expectOneVocabulary(page: Page, shown: Row[]): Promise<void> {
  const alerts = await openAlertLevels();
  for (const row of shown) {
    expect(row.drift, row.id).toMatch(/^drift \d+$/);
    const alertLevel = alerts.get(row.id);
    if (alertLevel !== undefined)
      expect(rankOf(row.level), `${row.id}: ${row.level} beside an open ${alertLevel} alert`).toBeGreaterThanOrEqual(
        rankOf(alertLevel),
      );
  }
  // The alerts on the page against the same users' rows.
  const cards = await page.getByTestId('alert').evaluateAll((articles) =>
    articles.map((a) => ({
      user: a.querySelector('.alert-user')?.textContent ?? '',
      level: a.querySelector('[data-testid=risk-badge]')?.getAttribute('data-level') ?? '',
    })),
  );
  expect(cards.length).toBeGreaterThan(0);
  for (const card of cards) {
    const row = shown.find((r) => r.id === card.user);
    if (row) expect(rankOf(row.level), `${card.user}`).toBeGreaterThanOrEqual(rankOf(card.level));
  }
  // Severity words only ever name a severity.
  const misplaced = await page.evaluate((levels) => {
    const found: string[] = [];
    for (const el of document.querySelectorAll('main *')) {
      const own = [...el.childNodes]
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent?.trim() ?? '')
        .join(' ');
      if (levels.includes(own) && !el.closest('[data-testid=risk-badge], .severity-legend')) found.push(el.outerHTML);
    }
    return found;
  }, LEVELS);
  expect(misplaced).toEqual([]);
}

describe('the overview: users at risk', () => {
  it('puts the seeded takeovers and shared accounts at the top, every flagged user before the others', async () => {
    const page = await open('/');
    await page.getByRole('heading', { name: 'Users at risk', level: 1 }).waitFor();
    const shown = await rows(page);
    const firstUnflagged = shown.findIndex((row) => !row.flagged);
    const lastFlagged = shown.map((row) => row.flagged).lastIndexOf(true);
    expect(firstUnflagged === -1 || lastFlagged < firstUnflagged).toBe(true);
    const top = shown.slice(0, lastFlagged + 1).map((row) => row.id);
    expect(top).toEqual(expect.arrayContaining([...SEEDED_TAKEOVERS, ...SEEDED_SHARED]));
    // Highest first.
    const levels = shown.map((row) => rankOf(row.level));
    expect(levels).toEqual([...levels].sort((a, b) => b - a));
    for (const id of SEEDED_TAKEOVERS) {
      const row = page.locator(`[data-testid=user-row][data-user-id="${id}"]`);
      expect(await row.getByTestId('verdict-badge').innerText()).toMatch(/^takeover \d+%$/);
    }
    // Place and network of the latest event beside each user.
    const dave = page.locator('[data-testid=user-row][data-user-id="dave"]');
    expect(await dave.getByTestId('network-place').count()).toBe(1);
    await page.close();
  });

  it.each([
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ])('never says two severities for one user, nor a severity for drift (%s)', async (_, viewport) => {
    const page = await open('/', viewport);
    await page.getByTestId('alert').first().waitFor();
    await expectOneVocabulary(page, await rows(page));
    await page.close();
  });

  it('explains each severity level one tap away (or one key), from the API’s own definitions', async () => {
    const { riskLevels } = await graphql<{ riskLevels: Array<{ level: string; meaning: string }> }>(
      '{ riskLevels { level meaning } }',
    );
    const expected = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].map(
      (level) => riskLevels.find((info) => info.level === level)?.meaning,
    );
    // A phone: a finger, no hover.
    const phone = await system.browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
    const page = await phone.newPage();
    await page.goto(`${system.dashboardUrl}/`, { waitUntil: 'load' });
    const legend = page.getByTestId('severity-legend');
    await legend.locator('summary').waitFor();
    expect(await legend.locator('dd').first().isVisible()).toBe(false);
    await legend.locator('summary').tap();
    await legend.locator('dd').first().waitFor();
    await expect.poll(() => legend.locator('dd').allInnerTexts()).toEqual(expected);
    await phone.close();
    // A keyboard.
    const desk = await open('/');
    const summary = desk.getByTestId('severity-legend').locator('summary');
    await summary.focus();
    await desk.keyboard.press('Enter');
    await desk.getByTestId('severity-legend').locator('dd').first().waitFor();
    await desk.close();
  });

  it('shows the open alerts and the top users at risk on a phone’s first screen, as cards', async () => {
    const page = await open('/', PHONE);
    const firstAlert = page.getByTestId('alert').first();
    await firstAlert.waitFor();
    const alertBox = await firstAlert.boundingBox();
    expect(alertBox && alertBox.y + alertBox.height).toBeLessThanOrEqual(PHONE.height);
    const firstUser = page.getByTestId('user-row').first();
    const userLink = await firstUser.getByRole('link').first().boundingBox();
    expect(userLink && userLink.y + userLink.height).toBeLessThanOrEqual(PHONE.height);
    // Cards: risk, place and network inside the screen's width, nothing to scroll sideways to.
    for (const cell of ['[data-testid=risk-badge]', '[data-testid=network-place]']) {
      const box = await firstUser.locator(cell).first().boundingBox();
      expect(box && box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.close();
  });
});

describe('a user page', () => {
  it('opens with the verdict and the open alerts, then risk over time, then the rest', async () => {
    const page = await open('/user?id=dave');
    await page.getByTestId('alert').first().waitFor();
    const order = await page.evaluate(() =>
      ['[data-testid=verdict]', '[data-testid=alert]', '[data-testid=event-risk-chart]', '[data-testid=timeline]'].map(
        (selector) => document.querySelector(selector)?.getBoundingClientRect().top ?? -1,
      ),
    );
    expect(order.every((top) => top >= 0)).toBe(true);
    expect(order[1]).toBeLessThan(order[2] as number);
    expect(order[0]).toBeLessThan(order[2] as number);
    expect(order[2]).toBeLessThan(order[3] as number);
    expect(await page.getByTestId('verdict-kind').innerText()).toBe('takeover');
    await page.close();
  });

  it('shows each event’s place, network, operator and client, in the alert and the timeline', async () => {
    const page = await open('/user?id=live-victim');
    await page.getByTestId('timeline-row').first().waitFor();
    const row = page.getByTestId('timeline-row').first();
    expect(await row.getByTestId('network-place').innerText()).toBe('Berlin, DE');
    expect(await row.getByTestId('network-operator').innerText()).toMatch(/^AS3320\b/);
    expect(await row.innerText()).toMatch(/chrome/i);
    expect(await row.innerText()).toMatch(/windows/i);
    await page.close();
  });
});

import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoEvents } from '../../scripts/demo-data.ts';
import { accessibilityReport } from './accessibility.ts';
import { cspViolations, type System, startSystem, subscriptionOpened } from './system.ts';

// The analyst's console on the demo data set (`npm run seed`): who is at risk,
// the open alerts, the alerts page. One system for the file.
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
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
const home = { ip: '81.2.69.10', country: 'DE', asn: 3320, lat: 52.52, lon: 13.405, city: 'Berlin' };
const attacker = { ip: '102.89.3.7', country: 'NG', asn: 37148, lat: 6.45, lon: 3.39, city: 'Lagos' };
/** Twenty days at home in Berlin on one laptop, ending a day ago: a settled account. */
const history = (userId: string) =>
  Array.from({ length: 20 }, (_, day) => ({
    user_id: userId,
    kind: 'login',
    timestamp: Date.now() - (21 - day) * DAY,
    meta: { ...home, user_agent: CHROME_WINDOWS, success: true },
  }));
/** A stranger's first login on a settled account, from Lagos on another browser and system. */
const takeover = (userId: string) => ({
  user_id: userId,
  kind: 'login',
  timestamp: Date.now() - 60_000,
  meta: { ...attacker, user_agent: FIREFOX_LINUX, success: true },
});

beforeAll(async () => {
  system = await startSystem();
  const events = demoEvents(48, 30, Date.now());
  for (let i = 0; i < events.length; i += 500) await system.ingest(events.slice(i, i + 500));
  await system.ingest([...history('live-victim'), ...history('triaged-1'), ...history('triaged-2')]);
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

/** The card of a user's alert on the alerts page. */
const cardOf = (page: Page, userId: string): Locator =>
  page.getByTestId('alert').filter({ has: page.locator('.alert-user', { hasText: new RegExp(`^${userId}$`) }) });

describe('the alerts page', () => {
  it('is linked from the header and lists alerts with the last event’s place, network and client', async () => {
    const page = await open('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
    const card = cardOf(page, 'dave');
    await card.waitFor();
    const facts = card.getByTestId('event-facts');
    expect(await facts.getByTestId('network-place').count()).toBe(1);
    expect(await facts.getByTestId('network-badge').count()).toBe(1);
    expect(await facts.innerText()).toMatch(/desktop · firefox · linux/);
    await page.close();
  });

  it.each([
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ])('names every control and keeps text contrast at 4.5:1 or more (%s)', async (_, viewport) => {
    const page = await open('/alerts', viewport);
    await page.getByTestId('alert').first().waitFor();
    expect(await accessibilityReport(page)).toMatchObject({ lowContrast: [], unnamed: [], h1: 1 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('filters by level, verdict and user, and orders highest first', async () => {
    const page = await open('/alerts');
    await page.getByTestId('alert').first().waitFor();
    await page.getByLabel('Verdict').selectOption('TAKEOVER');
    await expect
      .poll(async () => {
        const verdicts = await page.getByTestId('alert').getByTestId('verdict-badge').allInnerTexts();
        return verdicts.length > 0 && verdicts.every((v) => v.startsWith('takeover'));
      })
      .toBe(true);
    await page.getByLabel('Verdict').selectOption('');
    await page.getByLabel('Level').selectOption('CRITICAL');
    await expect
      .poll(async () => {
        const levels = await page
          .getByTestId('alert')
          .locator('[data-testid=risk-badge]')
          .evaluateAll((badges) => badges.map((b) => b.getAttribute('data-level')));
        return levels.length > 0 && levels.every((level) => level === 'critical');
      })
      .toBe(true);
    await page.getByLabel('Level').selectOption('');
    await page.getByLabel('Order').selectOption('HIGHEST');
    await expect
      .poll(async () => {
        const scores = (await page.getByTestId('alert').locator('.risk-score').allInnerTexts()).map(Number);
        return scores.length > 1 && scores.every((score, i) => i === 0 || score <= (scores[i - 1] as number));
      })
      .toBe(true);
    await page.getByLabel('User').fill('dave');
    await expect.poll(() => page.locator('.alert-user').allInnerTexts()).toEqual(['dave']);
    await page.close();
  });

  it('resolves in bulk, keeps the history under “resolved”, and reopens', async () => {
    await system.ingest([takeover('triaged-1'), takeover('triaged-2')]);
    const page = await open('/alerts');
    for (const id of ['triaged-1', 'triaged-2']) await cardOf(page, id).getByRole('checkbox').check();
    expect(await page.getByTestId('selected-count').innerText()).toBe('2 selected alerts');
    await page.getByRole('button', { name: 'Resolve selected' }).click();
    await expect.poll(() => cardOf(page, 'triaged-1').count()).toBe(0);
    expect(await cardOf(page, 'triaged-2').count()).toBe(0);
    await page.getByLabel('Status').selectOption('resolved');
    const resolved = cardOf(page, 'triaged-1');
    await resolved.waitFor();
    expect(await resolved.getAttribute('data-status')).toBe('resolved');
    await resolved.getByRole('button', { name: 'Reopen' }).click();
    await expect.poll(() => cardOf(page, 'triaged-1').count()).toBe(0);
    await page.getByLabel('Status').selectOption('open');
    await expect.poll(() => cardOf(page, 'triaged-1').getAttribute('data-status')).toBe('open');
    await page.close();
  });

  it('keeps a note and an assignee per alert', async () => {
    const page = await open('/alerts?user=triaged-2&status=resolved');
    const card = cardOf(page, 'triaged-2');
    await card.waitFor();
    await card.getByText('Add a note').click();
    await card.getByLabel('Note').fill('Called the owner: not them. Password reset.');
    await card.getByRole('button', { name: 'Save note' }).click();
    await expect
      .poll(() => card.getByTestId('alert-note').innerText())
      .toBe('Note: Called the owner: not them. Password reset.');
    await card.getByRole('button', { name: 'Assign to me' }).click();
    // The API runs open here: the caller is "open access".
    await expect.poll(() => card.getByTestId('alert-assignee').innerText()).toBe('assigned to open access');
    await page.reload({ waitUntil: 'load' });
    expect(await cardOf(page, 'triaged-2').getByTestId('alert-note').innerText()).toMatch(/Password reset/);
    await page.close();
  });

  it('shows a credential-stuffing campaign as one incident listing its accounts', async () => {
    // A rig fails on twelve accounts within a minute, then gets into eight of them.
    const rig = { ip: '185.220.101.7', user_agent: FIREFOX_LINUX };
    const targets = Array.from({ length: 12 }, (_, i) => `stuffed-${String(i).padStart(2, '0')}`);
    await system.ingest(targets.flatMap((id) => history(id)));
    const t = Date.now() - 10 * 60_000;
    await system.ingest(
      targets.map((id, i) => ({
        user_id: id,
        kind: 'login',
        timestamp: t + i * 3_000,
        meta: { ...rig, success: false },
      })),
    );
    await system.ingest(
      targets.slice(0, 8).map((id, i) => ({
        user_id: id,
        kind: 'login',
        timestamp: t + 60_000 + i * 3_000,
        meta: { ...rig, success: true },
      })),
    );
    const page = await open('/alerts', PHONE);
    const incident = page.getByTestId('incident');
    await incident.first().waitFor();
    expect(await incident.count()).toBe(1);
    const accounts = await incident.locator('.incident-accounts a').allInnerTexts();
    expect(accounts.length).toBeGreaterThanOrEqual(2);
    expect(accounts.every((id) => id.startsWith('stuffed-'))).toBe(true);
    // None of its accounts has a card of its own.
    expect(await page.locator('.alert-user', { hasText: /^stuffed-/ }).count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('shows a new alert live, without a reload', async () => {
    const page = await open('/alerts', DESKTOP, ['AlertsPage_AlertChanged']);
    await page.getByTestId('alert').first().waitFor();
    expect(await cardOf(page, 'live-victim').count()).toBe(0);
    await system.ingest(takeover('live-victim'));
    const card = cardOf(page, 'live-victim');
    await card.waitFor({ timeout: 15_000 });
    expect(['high', 'critical']).toContain(await card.locator('[data-testid=risk-badge]').getAttribute('data-level'));
    expect(await card.getByTestId('event-facts').innerText()).toMatch(/Lagos, NG/);
    await page.close();
  });
});

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLegacyEvent } from '../../api/src/domain/event-input.ts';
import { EventWriter } from '../../api/src/ingest/write.ts';
import { applyMigrations } from '../../api/src/storage/migrations.ts';
import { openDatabase } from '../../api/src/storage/sqlite.ts';
import { SqliteWriteStore } from '../../api/src/storage/write-store.ts';
import { cspViolations, type System, startSystem } from './system.ts';

/** Ids a URL path cannot carry as they are: dot segments, separators, escapes. */
const AWKWARD = ['..', '.', 'a/b', '../admin', 'who?x=1', 'tag#1', '100%', '%2E%2E', 'space d'];
/** Stored ids that look like another id unless their hidden characters are shown, with how they are shown. */
const HIDDEN: Record<string, string> = {
  'alice\u200b': 'alice⟨U+200B⟩',
  'mallory\u202eevil': 'mallory⟨U+202E⟩evil',
  'nul\u0000id': 'nul⟨U+0000⟩id',
  'esc\u001b[31mred': 'esc⟨U+001B⟩[31mred',
};

let system: System;

beforeAll(async () => {
  system = await startSystem({
    // Written straight to storage: such ids exist in stored data whatever the
    // API accepts from producers today.
    prepare: (dbFile) => {
      const db = openDatabase(dbFile);
      applyMigrations(db);
      const store = new SqliteWriteStore(db);
      const writer = new EventWriter(store);
      for (const [index, userId] of ['alice', ...AWKWARD, ...Object.keys(HIDDEN)].entries()) {
        const parsed = parseLegacyEvent({
          user_id: 'placeholder',
          kind: 'login',
          timestamp: 1_715_000_000_000 + index * 60_000,
          meta: { browser: 'chrome', os: 'linux' },
        });
        if (!parsed.ok) throw new Error('the fixture event is invalid');
        writer.write([{ ...parsed.value, userId }], Date.now());
      }
      store.profiles.writeBack();
      db.close();
    },
  });
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

async function overview(): Promise<{ page: Page; violations: string[] }> {
  const page = await system.newPage();
  const violations = cspViolations(page);
  await page.goto(`${system.dashboardUrl}/`, { waitUntil: 'load' });
  // Hydrated: Next.js 16 may drop a link click that comes before, on a busy machine.
  await page.locator('.live-dot.on').waitFor();
  await page.locator('table.ranking tbody tr').first().waitFor();
  return { page, violations };
}

/** Opens a user's page from its link in the overview and checks it is that user's page, with their event. */
async function openFromOverview(shown: string): Promise<void> {
  const { page, violations } = await overview();
  const logs: string[] = [];
  page.on('console', (message) => logs.push(`console ${message.type()}: ${message.text()}`));
  page.on('requestfailed', (request) =>
    logs.push(`failed ${request.method()} ${request.url()}: ${request.failure()?.errorText}`),
  );
  page.on('response', (response) => {
    if (response.status() >= 400) logs.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  const link = page.locator('table.ranking tbody th[scope=row] a').filter({ hasText: shown });
  const candidates = await link.allInnerTexts();
  expect(
    candidates.filter((text) => text === shown),
    shown,
  ).toHaveLength(1);
  await page
    .locator('table.ranking tbody th[scope=row] a')
    .and(page.locator(`text="${shown.replaceAll('"', '\\"')}"`))
    .click();
  // The user's own summary: an id that reached the API changed would find no events.
  await page
    .getByText(/^1 event from /)
    .waitFor()
    .catch(async (error: unknown) => {
      const text = await page
        .locator('main')
        .innerText()
        .catch(() => '(no main)');
      throw new Error(`no summary at ${page.url()}; the page shows:\n${text.slice(0, 600)}\n${logs.join('\n')}`, {
        cause: error,
      });
    });
  expect(await page.locator('h1').first().innerText()).toContain(shown);
  expect(await page.title()).toContain(shown);
  expect(violations).toEqual([]);
  await page.close();
}

describe('user ids a URL path cannot carry', () => {
  it.each(AWKWARD)('opens the page of user “%s” from the overview', async (id) => {
    await openFromOverview(id);
  });

  it('keeps the old /user/<id> links working', async () => {
    const page = await system.newPage();
    await page.goto(`${system.dashboardUrl}/user/alice`, { waitUntil: 'load' });
    await page.getByText(/^1 event from /).waitFor();
    expect(await page.locator('h1').first().innerText()).toContain('alice');
    await page.close();
  });
});

describe('user ids with invisible or control characters', () => {
  it('shows them escaped in the ranking, so look-alikes are told apart', async () => {
    const { page } = await overview();
    const ids = await page.locator('table.ranking tbody th[scope=row]').allInnerTexts();
    expect(ids).toEqual(expect.arrayContaining(['alice', ...Object.values(HIDDEN)]));
    await page.close();
  });

  it.each(Object.values(HIDDEN))('opens %s from the overview and shows it escaped there', async (shown) => {
    await openFromOverview(shown);
  });
});

// `npm run screenshots`: renders the dashboard on the demo data set in real
// Chromium and writes docs/*.png (desktop and phone widths) for the READMEs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT as ROOT } from '../api/src/project-root.ts';
import { startSystem } from '../dashboard/test/system.ts';
import { demoEvents } from './demo-data.ts';

/**
 * A credential-stuffing run on top of the demo: a rig on a Tor exit fails on
 * twelve settled accounts within a minute, then gets into eight of them. The
 * alerts page shows it as one incident.
 */
function stuffingRun(now: number) {
  const DAY = 86_400_000;
  const start = now - 20 * 60_000;
  const targets = Array.from({ length: 12 }, (_, i) => `member${String(i + 1).padStart(2, '0')}`);
  const home = (i: number) => ({ ip: `81.2.69.${10 + i}`, country: 'GB', city: 'London', asn: 20712 });
  const history = targets.flatMap((id, i) =>
    Array.from({ length: 20 }, (_, day) => ({
      user_id: id,
      kind: 'login',
      timestamp: now - (21 - day) * DAY,
      event_id: `stuffing-demo-${id}-${day}`,
      meta: { ...home(i), browser: 'chrome', os: 'windows', device: 'laptop', success: true },
    })),
  );
  const rig = { ip: '185.220.101.7', browser: 'firefox', os: 'linux', device: 'desktop' };
  const attempts = targets.map((id, i) => ({
    user_id: id,
    kind: 'login',
    timestamp: start + i * 3_000,
    event_id: `stuffing-demo-${id}-fail`,
    meta: { ...rig, success: false },
  }));
  const entries = targets.slice(0, 8).map((id, i) => ({
    user_id: id,
    kind: 'login',
    timestamp: start + 60_000 + i * 3_000,
    event_id: `stuffing-demo-${id}-in`,
    meta: { ...rig, success: true },
  }));
  return [history, attempts, entries];
}

const docs = join(ROOT, 'docs');
mkdirSync(docs, { recursive: true });
const system = await startSystem();
try {
  const now = Date.now();
  const events = demoEvents(48, 30, now);
  for (let i = 0; i < events.length; i += 500) await system.ingest(events.slice(i, i + 500));
  const desktop = { width: 1400, height: 1000 };
  const phone = { width: 390, height: 844 };
  // Desktop pages whole; on a phone, the first screen: what an analyst sees before scrolling.
  const take = async (name: string, path: string, viewport: typeof desktop, ...ready: string[]) => {
    const page = await system.browser.newPage({ viewport, deviceScaleFactor: 1 });
    await page.goto(`${system.dashboardUrl}${path}`, { waitUntil: 'load' });
    for (const selector of ready) await page.locator(selector).first().waitFor();
    await page.locator('[data-testid=alert]').first().waitFor();
    if (path !== '/alerts') await page.locator('.live-dot.on').first().waitFor();
    await page.screenshot({ path: join(docs, `${name}.png`), fullPage: viewport === desktop });
    await page.close();
    process.stdout.write(`Wrote docs/${name}.png\n`);
  };
  await take('overview-desktop', '/', desktop, 'table.ranking tbody tr');
  await take('overview-phone', '/', phone, 'table.ranking tbody tr');
  // The user page once its trust and false-positive lists have loaded too.
  await take('user-desktop', '/user?id=dave', desktop, '[data-testid=timeline-row]', '.user-actions h3');
  await take('user-phone', '/user?id=dave', phone, '[data-testid=timeline-row]', '.user-actions h3');
  // The campaign after the overview shots, where its twelve accounts would take the top rows.
  for (const batch of stuffingRun(now)) await system.ingest(batch);
  await take('alerts-desktop', '/alerts', desktop, '[data-testid=incident]');
  await take('alerts-phone', '/alerts', phone, '[data-testid=incident]');
} finally {
  await system.stop();
}

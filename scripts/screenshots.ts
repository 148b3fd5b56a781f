// `npm run screenshots`: renders the dashboard on the demo data set in real
// Chromium and writes docs/*.png (desktop and phone widths) for the READMEs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT as ROOT } from '../api/src/project-root.ts';
import { startSystem } from '../dashboard/test/system.ts';
import { demoEvents } from './demo-data.ts';

const docs = join(ROOT, 'docs');
mkdirSync(docs, { recursive: true });
const system = await startSystem();
try {
  const events = demoEvents(48, 30, Date.now());
  for (let i = 0; i < events.length; i += 500) await system.ingest(events.slice(i, i + 500));
  const shots = [
    { name: 'overview-desktop', path: '/', viewport: { width: 1400, height: 1000 }, ready: 'table.ranking tbody tr' },
    { name: 'overview-phone', path: '/', viewport: { width: 390, height: 844 }, ready: 'table.ranking tbody tr' },
    {
      name: 'user-desktop',
      path: '/user/dave',
      viewport: { width: 1400, height: 1000 },
      ready: '[data-testid=timeline-row]',
    },
    {
      name: 'user-phone',
      path: '/user/dave',
      viewport: { width: 390, height: 844 },
      ready: '[data-testid=timeline-row]',
    },
  ];
  for (const shot of shots) {
    const page = await system.browser.newPage({ viewport: shot.viewport, deviceScaleFactor: 1 });
    await page.goto(`${system.dashboardUrl}${shot.path}`, { waitUntil: 'load' });
    await page.locator(shot.ready).first().waitFor();
    await page.locator('.live-dot.on').first().waitFor();
    await page.screenshot({ path: join(docs, `${shot.name}.png`), fullPage: true });
    await page.close();
    process.stdout.write(`Wrote docs/${shot.name}.png\n`);
  }
} finally {
  await system.stop();
}

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { API_NODE_FLAGS } from '../scripts/api-process.ts';
import { startServer } from './processes.ts';
import { fmt, middle } from './report.ts';
import { Workload } from './workload.ts';

/**
 * The ingest path of several checkouts of this repository, measured
 * interleaved on the same machine: in each round, for each checkout in turn,
 * its own write path (EventWriter) alone on 1,000-event batches, then its built API
 * (`dist/api/main.js`, open access on loopback, a fresh database) under
 * single-event ingest from 64 connections. Rates of runs hours apart on this
 * machine differ by ±30%; interleaving makes the checkouts comparable.
 *
 *   git worktree add ../before <commit> && (cd ../before && npm ci && npm run build)
 *   npm run build && npx tsx bench/compare-builds.ts ../before . [--rounds 3]
 */
const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt === -1 ? 3 : Number(args[roundsAt + 1]);
const checkouts = args
  .filter((arg, index) => !arg.startsWith('--') && index !== roundsAt + 1)
  .map((dir) => resolve(dir));
if (checkouts.length === 0) throw new Error('usage: compare-builds.ts <checkout>... [--rounds N]');

const SECONDS = 8;

function eventStoreAlone(checkout: string): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'bench/baselines/event-store.ts', '60000', '1000'], {
    cwd: checkout,
    encoding: 'utf8',
  });
  return (JSON.parse(out) as { eventsPerSecond: number }).eventsPerSecond;
}

async function singleEventIngest(checkout: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'persona-drift-compare-'));
  const api = await startServer(
    [...API_NODE_FLAGS, join(checkout, 'dist', 'api', 'main.js')],
    { DATABASE_URL: `file:${join(dir, 'db.sqlite')}`, LOG_LEVEL: 'warn' },
    '/health',
  );
  try {
    const workload = new Workload(11);
    const load = (seconds: number) =>
      autocannon({
        url: `${api.url}/ingest`,
        method: 'POST',
        connections: 64,
        duration: seconds,
        headers: { 'content-type': 'application/json' },
        requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(workload.anyUser(10_000)) }) }],
      });
    await load(2);
    const result = await load(SECONDS);
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${checkout}: ${result.non2xx} non-2xx answers`);
    return result.requests.average;
  } finally {
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const figures = new Map(checkouts.map((checkout) => [checkout, { store: [] as number[], single: [] as number[] }]));
for (let round = 0; round < rounds; round += 1) {
  for (const checkout of checkouts) {
    const own = figures.get(checkout) as { store: number[]; single: number[] };
    own.store.push(eventStoreAlone(checkout));
    own.single.push(await singleEventIngest(checkout));
    process.stderr.write(`round ${round + 1}: ${checkout} done\n`);
  }
}
const lines = [
  '| checkout | write path alone, events/s (median; runs) | single-event ingest, req/s (median; runs) |',
  '| --- | --- | --- |',
];
for (const [checkout, { store, single }] of figures) {
  lines.push(
    `| ${checkout} | ${fmt(middle(store))} (${store.map(fmt).join(', ')}) | ${fmt(middle(single))} (${single.map(fmt).join(', ')}) |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { API_NODE_FLAGS } from '../scripts/api-process.ts';
import { type ServerProcess, startBaseline, startServer } from './processes.ts';
import { fmt, middle } from './report.ts';
import { USER_DRIFT_QUERY, userName, Workload } from './workload.ts';

/**
 * The read path of several checkouts of this repository, measured interleaved
 * on the same machine: each checkout's built API (`dist/api/main.js`, open
 * access on loopback) runs twice, on a store of 1,000 events and on one filled
 * to 1,000,000 events from 100,000 users (a tenth of them to the 100 read
 * users), as `npm run bench` fills it. In each round, for each checkout in
 * turn, `GET /drift/:id` and the cached GraphQL user query run on both stores
 * back to back, and bare Yoga once; the order alternates between rounds.
 * Prints each checkout's median of the rounds' 1M/1k ratios and its rates.
 *
 *   git worktree add ../before <commit> && (cd ../before && npm ci && npm run build)
 *   npm run build && npx tsx bench/compare-reads.ts ../before . [--rounds 5]
 */
const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};
const rounds = Number(option('--rounds') ?? 5);
const keep = option('--keep');
const checkouts = args
  .filter((arg, index) => !arg.startsWith('--') && !args[index - 1]?.startsWith('--'))
  .map((dir) => resolve(dir));
if (checkouts.length === 0) throw new Error('usage: compare-reads.ts <checkout>... [--rounds N] [--keep DIR]');

const SECONDS = 5;
const CONNECTIONS = 32;
const READ_USERS = 100;
const FILL_EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const FILL_USERS = Number(process.env.BENCH_USERS ?? 100_000);
// --keep DIR keeps the filled databases there and uses them again on the next run.
const dir = keep === undefined ? mkdtempSync(join(tmpdir(), 'persona-drift-compare-reads-')) : resolve(keep);
mkdirSync(dir, { recursive: true });

function startBuilt(checkout: string, name: string): Promise<ServerProcess> {
  return startServer(
    [...API_NODE_FLAGS, join(checkout, 'dist', 'api', 'main.js')],
    {
      DATABASE_URL: `file:${join(dir, `${name}.db`)}`,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_KEY: '1000000',
      RATE_LIMIT_PER_IP: '1000000',
    },
    '/health',
  );
}

async function fill(url: string, events: number, users: number, seed: number): Promise<void> {
  const workload = new Workload(seed);
  let sent = 0;
  const worker = async () => {
    while (sent < events) {
      const size = Math.min(1000, events - sent);
      sent += size;
      const batch = Array.from({ length: size }, (_, n) =>
        n % 10 === 0 ? workload.event(Math.floor(Math.random() * READ_USERS)) : workload.anyUser(users),
      );
      const response = await fetch(`${url}/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(batch),
      });
      if (!response.ok) throw new Error(`fill: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

async function load(url: string, request: { path?: string; body?: string }[]): Promise<number> {
  let next = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: request[0]?.body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (base) => {
          const chosen = request[next++ % request.length] as { path?: string; body?: string };
          return { ...base, ...chosen };
        },
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

const users = Array.from({ length: READ_USERS }, (_, n) => userName(n));
const driftRequests = users.map((id) => ({ path: `/drift/${id}` }));
const graphqlRequests = users.map((id) => ({
  path: '/graphql',
  body: JSON.stringify({ query: USER_DRIFT_QUERY, variables: { id } }),
}));

interface Side {
  checkout: string;
  small: ServerProcess;
  big: ServerProcess;
  rates: Record<string, number[]>;
}

const sides: Side[] = [];
/** Every server started, stopped at the end whatever happens. */
const servers: ServerProcess[] = [];
const yoga = await startBaseline('bare-yoga');
servers.push(yoga);
try {
  for (const checkout of checkouts) {
    // A checkout's databases are named after its path, and count as filled only once marked so.
    const name = createHash('sha256').update(checkout).digest('hex').slice(0, 12);
    const marker = join(dir, `${name}.filled`);
    const filled = existsSync(marker);
    if (!filled) for (const file of readdirSync(dir)) if (file.startsWith(name)) rmSync(join(dir, file));
    const small = await startBuilt(checkout, `${name}-small`);
    servers.push(small);
    const big = await startBuilt(checkout, `${name}-big`);
    servers.push(big);
    if (!filled) {
      await fill(small.url, 1000, READ_USERS, 3);
      await fill(big.url, 1000, READ_USERS, 3);
      const started = performance.now();
      await fill(big.url, FILL_EVENTS - 1000, FILL_USERS, 4);
      writeFileSync(marker, '');
      process.stderr.write(`${checkout}: filled in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    }
    sides.push({ checkout, small, big, rates: {} });
  }
  const runs = (side: Side): [string, () => Promise<number>][] => [
    ['drift 1k', () => load(`${side.small.url}/drift`, driftRequests)],
    ['drift 1M', () => load(`${side.big.url}/drift`, driftRequests)],
    ['graphql 1k', () => load(`${side.small.url}/graphql`, graphqlRequests)],
    ['graphql 1M', () => load(`${side.big.url}/graphql`, graphqlRequests)],
  ];
  // One unrecorded run of each, so no side is measured while its JIT warms up.
  for (const side of sides) for (const [, run] of runs(side)) await run();
  const yogaRates: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      const list = runs(side);
      for (const [name, run] of round % 2 === 0 ? list : [...list].reverse()) {
        side.rates[name] = [...(side.rates[name] ?? []), await run()];
      }
    }
    yogaRates.push(await load(`${yoga.url}/graphql`, [{ path: '/graphql', body: '{"query":"{ hello }"}' }]));
    process.stderr.write(`round ${round + 1} done\n`);
  }
  const ratio = (side: Side, a: string, b: string) =>
    middle((side.rates[a] ?? []).map((rate, round) => (100 * rate) / (side.rates[b]?.[round] ?? Number.NaN)));
  const lines = [
    '| checkout | drift 1M/1k % | drift 1k req/s | drift 1M req/s | GraphQL 1M/1k % | GraphQL 1M req/s | GraphQL 1M / bare Yoga % |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  const yogaRatio = (side: Side) =>
    middle((side.rates['graphql 1M'] ?? []).map((rate, round) => (100 * rate) / (yogaRates[round] ?? Number.NaN)));
  for (const side of sides) {
    const at = (name: string) => fmt(middle(side.rates[name] ?? []));
    lines.push(
      `| ${side.checkout} | ${ratio(side, 'drift 1M', 'drift 1k').toFixed(1)} (${(side.rates['drift 1M'] ?? []).map((rate, round) => ((100 * rate) / (side.rates['drift 1k']?.[round] ?? 1)).toFixed(0)).join(', ')}) | ${at('drift 1k')} | ${at('drift 1M')} | ${ratio(side, 'graphql 1M', 'graphql 1k').toFixed(1)} (${(side.rates['graphql 1M'] ?? []).map((rate, round) => ((100 * rate) / (side.rates['graphql 1k']?.[round] ?? 1)).toFixed(0)).join(', ')}) | ${at('graphql 1M')} | ${yogaRatio(side).toFixed(1)} |`,
    );
  }
  lines.push(`\nbare Yoga: ${fmt(middle(yogaRates))} req/s (${yogaRates.map(fmt).join(', ')})`);
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  if (keep === undefined) rmSync(dir, { recursive: true, force: true });
}

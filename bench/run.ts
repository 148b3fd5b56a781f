import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { PROJECT_ROOT as ROOT } from '../api/src/project-root.ts';
import { measureLive } from './live.ts';
import { type LoadResult, runLoad } from './load.ts';
import { authHeaders, type ServerProcess, startApi, startBaseline } from './processes.ts';
import { fmt, formatTable, middle, type Row } from './report.ts';
import { counter, INGEST_EVENTS_MUTATION, toEventInput, USER_DRIFT_QUERY, userName, Workload } from './workload.ts';

/**
 * `npm run bench`: builds the API, runs it on fresh temporary databases and
 * measures it from this process with autocannon, next to baselines measured in
 * the same run. Prints one table and writes bench/results.md.
 *
 * Knobs (environment): BENCH_SECONDS per load run (10), BENCH_EVENTS to fill
 * (1,000,000), BENCH_USERS (100,000), BENCH_OVERLOAD_SECONDS (60).
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const FILL_EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const FILL_USERS = Number(process.env.BENCH_USERS ?? 100_000);
const OVERLOAD_SECONDS = Number(process.env.BENCH_OVERLOAD_SECONDS ?? 60);
const INGEST_CONNECTIONS = 64;
const READ_CONNECTIONS = 32;
const READ_SECONDS = Math.max(2, Math.round(SECONDS / 2));
const BATCH_CONNECTIONS = 8;
const BATCH = 1000;
const WRITE_USERS = 10_000;
/** Reads rotate over these users; the fill gives them long histories. */
const READ_USERS = 100;

const dir = mkdtempSync(join(tmpdir(), 'persona-drift-bench-'));
const rows: Row[] = [];
const notes: string[] = [];
const log = (line: string) => process.stderr.write(`${line}\n`);

function checkStatus(name: string, result: LoadResult): void {
  if (result.non2xx > 0 || result.errors > 0)
    notes.push(
      `${name}: ${result.non2xx} non-2xx, ${result.errors} errors ${JSON.stringify(result.errorKinds)} (${JSON.stringify(result.statuses)})`,
    );
}

async function withServer<T>(start: () => Promise<ServerProcess>, use: (server: ServerProcess) => Promise<T>) {
  const server = await start();
  try {
    return await use(server);
  } finally {
    await server.stop();
  }
}

const databases = counter();
const freshDatabase = () => join(dir, `bench-${databases()}.db`);

function singleEventBodies(seed: number): () => string {
  const workload = new Workload(seed);
  return () => JSON.stringify(workload.anyUser(WRITE_USERS));
}

function batchBodies(seed: number, graphql: boolean): () => string {
  // A few distinct batches, prepared once, so the load generator does not compete for CPU building them.
  const workload = new Workload(seed);
  const batches = Array.from({ length: 20 }, () => {
    const events = workload.batch(BATCH, WRITE_USERS);
    return graphql
      ? JSON.stringify({ query: INGEST_EVENTS_MUTATION, variables: { inputs: events.map(toEventInput) } })
      : JSON.stringify(events);
  });
  const next = counter();
  return () => batches[next() % batches.length] as string;
}

async function ingestBatches(url: string, events: number, users: number, seed: number, focus: number) {
  // Fills the store through the real API: a tenth of events go to the read users, so their history is long.
  const workload = new Workload(seed);
  let sent = 0;
  const worker = async () => {
    while (sent < events) {
      const size = Math.min(BATCH, events - sent);
      sent += size;
      const batch = Array.from({ length: size }, (_, n) =>
        n % 10 === 0 ? workload.event(Math.floor(Math.random() * focus)) : workload.anyUser(users),
      );
      const response = await fetch(`${url}/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authHeaders() },
        body: JSON.stringify(batch),
      });
      if (!response.ok) throw new Error(`fill: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
}

/**
 * Read runs are repeated and the median kept: this machine's noise is larger
 * than the effects measured. Compared runs are paired within a round and the
 * pair's order alternates between rounds, so a slow drift of the machine
 * favours neither side; a compared ratio is the median of the rounds' ratios.
 */
const ROUNDS = 5;
/** Paired rounds of the REST and GraphQL batch runs. */
const BATCH_ROUNDS = 3;

function middleRun(runs: LoadResult[]): LoadResult {
  const rps = middle(runs.map((run) => run.rps));
  return runs.find((run) => run.rps === rps) as LoadResult;
}

const helloRun = (url: string) =>
  runLoad({
    url: `${url}/graphql`,
    method: 'POST',
    connections: READ_CONNECTIONS,
    seconds: READ_SECONDS,
    body: () => '{"query":"{ hello }"}',
  });

function readRuns(url: string) {
  const next = counter();
  const nextUser = () => userName(next() % READ_USERS);
  return {
    drift: () =>
      runLoad({
        url,
        method: 'GET',
        connections: READ_CONNECTIONS,
        seconds: READ_SECONDS,
        path: () => `/drift/${nextUser()}`,
      }),
    graphql: () =>
      runLoad({
        url: `${url}/graphql`,
        method: 'POST',
        connections: READ_CONNECTIONS,
        seconds: READ_SECONDS,
        body: () => JSON.stringify({ query: USER_DRIFT_QUERY, variables: { id: nextUser() } }),
      }),
    /** The same query past the response cache: the resolvers and Prisma at work. */
    uncached: () =>
      runLoad({
        url: `${url}/graphql`,
        method: 'POST',
        connections: READ_CONNECTIONS,
        seconds: READ_SECONDS,
        headers: { 'cache-control': 'no-cache' },
        body: () => JSON.stringify({ query: USER_DRIFT_QUERY, variables: { id: nextUser() } }),
      }),
  };
}

/** Every acknowledged (user, event id) pair that is not in the database file. */
function missingAcknowledged(databaseFile: string, acked: Iterable<[string, string]>): number {
  const db = new Database(databaseFile, { readonly: true });
  const find = db.prepare('SELECT 1 FROM "Event" WHERE userId = ? AND eventId = ?');
  let missing = 0;
  for (const [userId, eventId] of acked) if (find.get(userId, eventId) === undefined) missing += 1;
  db.close();
  return missing;
}

/** Open-loop ingest of unique events; remembers which ones were acknowledged. */
function trackedIngest(url: string, seed: number, seconds: number, connections: number, overallRate?: number) {
  const workload = new Workload(seed);
  const next = counter();
  const acked: Array<[string, string]> = [];
  const retryAfter = new Set<string>();
  const run = runLoad({
    url: `${url}/ingest`,
    method: 'POST',
    connections,
    seconds,
    overallRate,
    body: () => JSON.stringify(workload.anyUser(WRITE_USERS, `s${seed}-${next()}`)),
    onResponse: (status, body, headers) => {
      if (status >= 200 && status < 300 && body !== undefined) {
        const sent = JSON.parse(body) as { user_id: string; event_id: string };
        acked.push([sent.user_id, sent.event_id]);
      } else if (status === 429 || status === 503) {
        if (headers['retry-after'] !== undefined) retryAfter.add(String(status));
      }
    },
  });
  return { run, acked, retryAfter };
}

function machine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

const pct = (value: number, base: number) => (100 * value) / base;

/** A read at 1,000,000 events against the same read at 1,000: the cost must not grow with history. */
function versus1k(what: string, at1m: LoadResult, at1k: LoadResult, ratio: number): Row {
  return {
    what,
    ours: `${fmt(at1m.rps)} req/s (p99 ${at1m.p99} ms)`,
    baseline: `at 1k events: ${fmt(at1k.rps)} req/s (p99 ${at1k.p99} ms)`,
    ratio,
    target: '≥ 90%',
    met: ratio >= 90,
  };
}

try {
  log('building the API (dist/api/main.js)…');
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'build-api.ts')], { stdio: 'inherit' });

  // ---- Baselines, measured now, on this machine.
  log('baseline: bare node:http JSON server…');
  const bareHttp = await withServer(
    () => startBaseline('bare-http'),
    (s) =>
      runLoad({
        url: `${s.url}/ingest`,
        method: 'POST',
        connections: INGEST_CONNECTIONS,
        seconds: SECONDS,
        body: singleEventBodies(1),
      }),
  );
  const baselineScript = <T>(name: string): T =>
    JSON.parse(
      spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          join(ROOT, 'bench', 'baselines', `${name}.ts`),
          '200000',
          String(BATCH),
          String(WRITE_USERS),
        ],
        { encoding: 'utf8' },
      ).stdout.trim(),
    ) as T;
  log('baseline: raw better-sqlite3 batched inserts…');
  const raw = baselineScript<{ rowsPerSecond: number }>('raw-sqlite');
  log('our write path alone, batched (what bounds the batch rows)…');
  const storeAlone = baselineScript<{ eventsPerSecond: number }>('event-store');

  // ---- Writes, each on a fresh database.
  const writeRun = async (name: string, path: string, connections: number, body: () => string) => {
    log(`${name}…`);
    const result = await withServer(
      () => startApi(freshDatabase()),
      (s) => runLoad({ url: `${s.url}${path}`, method: 'POST', connections, seconds: SECONDS, body }),
    );
    checkStatus(name, result);
    return result;
  };
  const single = await writeRun(
    'POST /ingest, one event per request',
    '/ingest',
    INGEST_CONNECTIONS,
    singleEventBodies(1),
  );
  // The two batch rows are compared with each other, so they run in paired
  // rounds in alternating order, each run on a fresh database, like the reads.
  const restRuns: LoadResult[] = [];
  const gqlRuns: LoadResult[] = [];
  for (let round = 0; round < BATCH_ROUNDS; round += 1) {
    const rest = async () =>
      restRuns.push(
        await writeRun('POST /ingest, 1,000 events per request', '/ingest', BATCH_CONNECTIONS, batchBodies(2, false)),
      );
    const graphql = async () =>
      gqlRuns.push(
        await writeRun(
          'GraphQL ingestEvents, 1,000 events per request',
          '/graphql',
          BATCH_CONNECTIONS,
          batchBodies(2, true),
        ),
      );
    for (const run of round % 2 === 0 ? [rest, graphql] : [graphql, rest]) await run();
  }
  const restBatch = middleRun(restRuns);
  const gqlBatch = middleRun(gqlRuns);
  const batchRatio = middle(gqlRuns.map((run, round) => pct(run.rps, restRuns[round]?.rps ?? Number.NaN)));

  // ---- Reads at 1,000 and 1,000,000 events, memory, live delivery, overload, durability.
  // The 1,000-event store runs on its own server beside the growing one, and
  // their read rounds (and bare Yoga's) are interleaved, so every compared
  // figure sees the machine at the same time.
  const mainDb = freshDatabase();
  let api = await startApi(mainDb);
  const small = await startApi(freshDatabase());
  try {
    await ingestBatches(small.url, 1000, READ_USERS, 3, READ_USERS);
    await ingestBatches(api.url, 1000, READ_USERS, 3, READ_USERS);
    log(`filling to ${fmt(FILL_EVENTS)} events from ${fmt(FILL_USERS)} users…`);
    const fillStarted = performance.now();
    await ingestBatches(api.url, FILL_EVENTS - 1000, FILL_USERS, 4, READ_USERS);
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    await sleep(2000);
    const rssAfterFill = api.rssMb();

    log('reads with 1,000 and 1,000,000 stored events, interleaved…');
    const yoga = await startBaseline('bare-yoga');
    const [smallReads, bigReads] = [readRuns(small.url), readRuns(api.url)];
    const runs = new Map<string, LoadResult[]>();
    const record = async (name: string, run: () => Promise<LoadResult>) => {
      const result = await run();
      checkStatus(name, result);
      runs.set(name, [...(runs.get(name) ?? []), result]);
    };
    /** Runs both sides of a comparison back to back, in the order the round asks for. */
    const pair = async (
      round: number,
      a: [string, () => Promise<LoadResult>],
      b: [string, () => Promise<LoadResult>],
    ) => {
      for (const [name, run] of round % 2 === 0 ? [a, b] : [b, a]) await record(name, run);
    };
    try {
      // One unrecorded run of each, so neither side is measured while its JIT warms up.
      for (const reads of [smallReads, bigReads]) for (const run of Object.values(reads)) await run();
      await helloRun(yoga.url);
      for (let round = 0; round < ROUNDS; round += 1) {
        await pair(round, ['drift at 1k', smallReads.drift], ['drift at 1M', bigReads.drift]);
        await pair(
          round,
          ['uncached GraphQL at 1k', smallReads.uncached],
          ['uncached GraphQL at 1M', bigReads.uncached],
        );
        await pair(round, ['GraphQL at 1k', smallReads.graphql], ['GraphQL at 1M', bigReads.graphql]);
        await pair(round, ['bare Yoga', () => helloRun(yoga.url)], ['GraphQL at 1M (vs Yoga)', bigReads.graphql]);
      }
    } finally {
      await yoga.stop();
      await small.stop();
    }
    const series = (name: string) => runs.get(name) ?? [];
    /** The median of round-by-round ratios of two paired series, in percent. */
    const pairedRatio = (ours: string, base: string) =>
      middle(series(ours).map((run, round) => pct(run.rps, series(base)[round]?.rps ?? Number.NaN)));
    const at = (name: string) => middleRun(series(name));
    const [drift1k, drift1m] = [at('drift at 1k'), at('drift at 1M')];
    const [uncached1k, uncached1m] = [at('uncached GraphQL at 1k'), at('uncached GraphQL at 1M')];
    const [gql1k, gql1m, bareYoga, gqlVsYoga] = [
      at('GraphQL at 1k'),
      at('GraphQL at 1M'),
      at('bare Yoga'),
      at('GraphQL at 1M (vs Yoga)'),
    ];
    const driftRatio = pairedRatio('drift at 1M', 'drift at 1k');
    const uncachedRatio = pairedRatio('uncached GraphQL at 1M', 'uncached GraphQL at 1k');
    const cachedRatio = pairedRatio('GraphQL at 1M', 'GraphQL at 1k');
    const yogaRatio = pairedRatio('GraphQL at 1M (vs Yoga)', 'bare Yoga');

    log('live delivery over SSE…');
    const liveWorkload = new Workload(5);
    const live = await measureLive(api.url, 100, 50, SECONDS, (eventId) => liveWorkload.anyUser(WRITE_USERS, eventId));

    log(`overload: twice the measured capacity for ${OVERLOAD_SECONDS}s…`);
    const offered = Math.round(2 * single.rps);
    let peakRss = api.rssMb();
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, api.rssMb());
    }, 250);
    const overload = trackedIngest(api.url, 6, OVERLOAD_SECONDS, 512, offered);
    const overloadResult = await overload.run;
    clearInterval(sampler);
    const alive = (await fetch(`${api.url}/health`)).ok;
    await api.stop();
    const overloadLost = missingAcknowledged(mainDb, overload.acked);

    log('durability: SIGKILL mid-stream…');
    api = await startApi(mainDb);
    const crash = trackedIngest(api.url, 7, 4, INGEST_CONNECTIONS);
    await sleep(2000);
    api.child.kill('SIGKILL');
    await crash.run;
    await api.stop();
    const crashLost = missingAcknowledged(mainDb, crash.acked);
    api = await startApi(mainDb);

    if (overloadResult.errors > 0)
      notes.push(`overload: ${overloadResult.errors} client errors ${JSON.stringify(overloadResult.errorKinds)}`);
    const rejected = overloadResult.non2xx;
    const badStatuses = Object.keys(overloadResult.statuses).filter((code) => !/^(2\d\d|429|503)$/.test(code));

    rows.push(
      {
        what: 'POST /ingest, 1 event/request, 64 connections',
        ours: `${fmt(single.rps)} req/s (p50 ${single.p50} ms, p99 ${single.p99} ms)`,
        baseline: `bare node:http: ${fmt(bareHttp.rps)} req/s (p99 ${bareHttp.p99} ms)`,
        ratio: pct(single.rps, bareHttp.rps),
        target: '≥ 50%',
        met: pct(single.rps, bareHttp.rps) >= 50,
      },
      {
        what: 'POST /ingest, 1,000 events/request',
        ours: `${fmt(restBatch.rps * BATCH)} events/s (p99 ${restBatch.p99} ms)`,
        baseline: `raw better-sqlite3: ${fmt(raw.rowsPerSecond)} rows/s`,
        ratio: pct(restBatch.rps * BATCH, raw.rowsPerSecond),
        target: '≥ 25%',
        met: pct(restBatch.rps * BATCH, raw.rowsPerSecond) >= 25,
      },
      {
        what: 'Bound of the row above: our write path alone (no HTTP, JSON or validation), 1,000 events/transaction',
        ours: `${fmt(storeAlone.eventsPerSecond)} events/s; the REST batch reaches ${pct(restBatch.rps * BATCH, storeAlone.eventsPerSecond).toFixed(0)}% of it`,
        baseline: `raw better-sqlite3: ${fmt(raw.rowsPerSecond)} rows/s`,
        ratio: pct(storeAlone.eventsPerSecond, raw.rowsPerSecond),
        target: '—',
        met: null,
      },
      {
        what: 'GraphQL ingestEvents, 1,000 events/request',
        ours: `${fmt(gqlBatch.rps * BATCH)} events/s (p99 ${gqlBatch.p99} ms)`,
        baseline: `REST batch: ${fmt(restBatch.rps * BATCH)} events/s`,
        ratio: batchRatio,
        target: '≥ 80%',
        met: batchRatio >= 80,
      },
      versus1k('GET /drift/:id at 1M events vs 1k', drift1m, drift1k, driftRatio),
      versus1k(
        'GraphQL user { drift fingerprint }, uncached (Cache-Control: no-cache), at 1M events vs 1k',
        uncached1m,
        uncached1k,
        uncachedRatio,
      ),
      versus1k(
        'GraphQL user { drift fingerprint }, response cache warm, at 1M events vs 1k',
        gql1m,
        gql1k,
        cachedRatio,
      ),
      {
        what: 'GraphQL user { drift fingerprint } (cache warm) vs bare Yoga { hello }',
        ours: `${fmt(gqlVsYoga.rps)} req/s at 1M events`,
        baseline: `bare Yoga: ${fmt(bareYoga.rps)} req/s (p99 ${bareYoga.p99} ms)`,
        ratio: yogaRatio,
        target: '≥ 100%',
        met: yogaRatio >= 100,
      },
      {
        what: `Live: POST /ingest → SSE, ${live.subscribers} subscribers, 50 events/s`,
        ours: `p50 ${live.p50.toFixed(1)} ms, p99 ${live.p99.toFixed(1)} ms, max ${live.max.toFixed(1)} ms; ${live.missed} missed of ${fmt(live.events * live.subscribers)}`,
        baseline: '—',
        ratio: null,
        target: 'p99 ≤ 100 ms, none missed',
        met: live.p99 <= 100 && live.missed === 0,
      },
      {
        what: `Overload: ${fmt(offered)} req/s offered (2× the single-event capacity above) for ${OVERLOAD_SECONDS}s, 512 connections`,
        ours: `${fmt(overloadResult.rps)} req/s stored, ${fmt(rejected)} refused (${JSON.stringify(overloadResult.statuses)}), Retry-After on ${[...overload.retryAfter].join('/') || 'none'}; peak RSS ${peakRss.toFixed(0)} MB; ${overloadLost} acknowledged lost; alive: ${alive}`,
        baseline: '—',
        ratio: null,
        target: 'no crash, peak RSS ≤ 300 MB, 429/503 + Retry-After, none lost',
        met:
          alive &&
          overloadLost === 0 &&
          badStatuses.length === 0 &&
          overloadResult.errors === 0 &&
          peakRss <= 300 &&
          (rejected === 0 || overload.retryAfter.size > 0),
      },
      {
        what: `Memory after ${fmt(FILL_EVENTS)} events from ${fmt(FILL_USERS)} users`,
        ours: `${rssAfterFill.toFixed(0)} MB RSS (fill: ${fmt(FILL_EVENTS / fillSeconds)} events/s)`,
        baseline: '—',
        ratio: null,
        target: '≤ 300 MB',
        met: rssAfterFill <= 300,
      },
      {
        what: 'Durability: SIGKILL during ingest',
        ours: `${fmt(crash.acked.length)} acknowledged, ${crashLost} lost; restarted: ${(await fetch(`${api.url}/health`)).ok}`,
        baseline: '—',
        ratio: null,
        target: 'none lost',
        met: crashLost === 0,
      },
    );
  } finally {
    await api.stop();
  }

  const table = formatTable(rows);
  process.stdout.write(`\n${table}\n`);
  for (const note of notes) process.stdout.write(`note: ${note}\n`);
  const stamp = new Date().toISOString();
  writeFileSync(
    join(ROOT, 'bench', 'results.md'),
    [
      '# Benchmark results',
      '',
      `Latest \`npm run bench\` run, ${stamp.slice(0, 16).replace('T', ' ')} UTC, on ${machine()}.`,
      `Load runs of ${SECONDS}s. The REST and GraphQL batch rows: ${BATCH_ROUNDS} rounds, each on fresh databases, the two paired in alternating order; figures are the median run, the ratio the median of the rounds' ratios. Reads: after one unrecorded warm-up run each, ${ROUNDS} rounds of ${READ_SECONDS}s runs, compared runs paired in each round in alternating order; figures are the median run, ratios the median of the rounds' ratios; the load generator (autocannon) shares the machine with the server, as do the baselines.`,
      '',
      table,
      '',
      ...notes.map((note) => `- ${note}`),
      '',
    ].join('\n'),
  );
  const targets = rows.filter((row) => row.met !== null);
  const met = targets.filter((row) => row.met).length;
  process.stdout.write(`\n${met} of ${targets.length} targets met; results in bench/results.md\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { PROJECT_ROOT as ROOT } from '../api/src/project-root.ts';
import { ensureEngines } from '../scripts/test-engines.ts';
import { measureLive } from './live.ts';
import { runLoad } from './load.ts';
import {
  BATCH,
  BATCH_CONNECTIONS,
  batchBodies,
  checkStatus,
  FILL_EVENTS,
  FILL_USERS,
  fillTo,
  INGEST_CONNECTIONS,
  log,
  PairedRuns,
  pct,
  READ_CONNECTIONS,
  READ_SECONDS,
  ROUNDS,
  readRuns,
  SECONDS,
  seedReadUsers,
  singleEventBodies,
  singleEventLoad,
  versus1k,
  WRITE_ROUNDS,
  WRITE_USERS,
  withServer,
  writeRun,
} from './measure.ts';
import { postgresRows } from './postgres.ts';
import { startApi, startBaseline } from './processes.ts';
import { fmt, formatTable, type Row } from './report.ts';
import { counter, Workload } from './workload.ts';

/**
 * `npm run bench`: builds the API, runs it on fresh temporary databases and
 * measures it from this process with autocannon, next to baselines measured in
 * the same run. Prints one table and writes bench/results.md. The PostgreSQL
 * and two-node rows come from bench/postgres.ts.
 *
 * Knobs (environment): those of bench/measure.ts and bench/postgres.ts, and
 * BENCH_OVERLOAD_SECONDS (60).
 */
const OVERLOAD_SECONDS = Number(process.env.BENCH_OVERLOAD_SECONDS ?? 60);

const dir = mkdtempSync(join(tmpdir(), 'persona-drift-bench-'));
const rows: Row[] = [];
const notes: string[] = [];

const databases = counter();
const freshDatabase = () => join(dir, `bench-${databases()}.db`);

const helloRun = (url: string) =>
  runLoad({
    url: `${url}/graphql`,
    method: 'POST',
    connections: READ_CONNECTIONS,
    seconds: READ_SECONDS,
    body: () => '{"query":"{ hello }"}',
  });

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

try {
  // The PostgreSQL rows come last: a missing server should stop the run now, not after the SQLite rows.
  ensureEngines();
  log('building the API (dist/api/main.js)…');
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'build-api.ts')], { stdio: 'inherit' });

  // ---- Baselines, measured now, on this machine.
  log('baseline: bare node:http JSON server…');
  const bareHttp = await withServer(
    () => startBaseline('bare-http'),
    (s) => singleEventLoad(s.url, INGEST_CONNECTIONS, 1),
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
  const single = await writeRun(
    'POST /ingest, one event per request',
    freshDatabase(),
    '/ingest',
    INGEST_CONNECTIONS,
    singleEventBodies(1),
  );
  checkStatus(notes, 'POST /ingest, one event per request', single);
  // The two batch rows are compared with each other, so they run in paired
  // rounds in alternating order, each run on a fresh database, like the reads.
  const batches = new PairedRuns(notes);
  const batchRun = (name: string, path: string, graphql: boolean) => () =>
    writeRun(name, freshDatabase(), path, BATCH_CONNECTIONS, batchBodies(2, graphql));
  for (let round = 0; round < WRITE_ROUNDS; round += 1) {
    await batches.pair(
      round,
      ['REST batch', batchRun('POST /ingest, 1,000 events per request', '/ingest', false)],
      ['GraphQL batch', batchRun('GraphQL ingestEvents, 1,000 events per request', '/graphql', true)],
    );
  }
  const [restBatch, gqlBatch] = [batches.at('REST batch'), batches.at('GraphQL batch')];
  const batchRatio = batches.ratio('GraphQL batch', 'REST batch');

  // ---- Reads at 1,000 and 1,000,000 events, memory, live delivery, overload, durability.
  // The 1,000-event store runs on its own server beside the growing one, and
  // their read rounds (and bare Yoga's) are interleaved, so every compared
  // figure sees the machine at the same time.
  const mainDb = freshDatabase();
  let api = await startApi(mainDb);
  const small = await startApi(freshDatabase());
  try {
    await seedReadUsers(small.url);
    await seedReadUsers(api.url);
    log(`filling to ${fmt(FILL_EVENTS)} events from ${fmt(FILL_USERS)} users…`);
    const fillRate = await fillTo(api.url, FILL_EVENTS, FILL_USERS);
    await sleep(2000);
    const rssAfterFill = api.rssMb();

    log('reads with 1,000 and 1,000,000 stored events, interleaved…');
    const yoga = await startBaseline('bare-yoga');
    const [smallReads, bigReads] = [readRuns(small.url), readRuns(api.url)];
    const reads = new PairedRuns(notes);
    try {
      // One unrecorded run of each, so neither side is measured while its JIT warms up.
      for (const side of [smallReads, bigReads]) for (const run of Object.values(side)) await run();
      await helloRun(yoga.url);
      for (let round = 0; round < ROUNDS; round += 1) {
        await reads.pair(round, ['drift at 1k', smallReads.drift], ['drift at 1M', bigReads.drift]);
        await reads.pair(
          round,
          ['uncached GraphQL at 1k', smallReads.uncached],
          ['uncached GraphQL at 1M', bigReads.uncached],
        );
        await reads.pair(round, ['GraphQL at 1k', smallReads.graphql], ['GraphQL at 1M', bigReads.graphql]);
        await reads.pair(round, ['bare Yoga', () => helloRun(yoga.url)], ['GraphQL at 1M (vs Yoga)', bigReads.graphql]);
      }
    } finally {
      await yoga.stop();
      await small.stop();
    }
    const [drift1k, drift1m] = [reads.at('drift at 1k'), reads.at('drift at 1M')];
    const [uncached1k, uncached1m] = [reads.at('uncached GraphQL at 1k'), reads.at('uncached GraphQL at 1M')];
    const [gql1k, gql1m, bareYoga, gqlVsYoga] = [
      reads.at('GraphQL at 1k'),
      reads.at('GraphQL at 1M'),
      reads.at('bare Yoga'),
      reads.at('GraphQL at 1M (vs Yoga)'),
    ];
    const driftRatio = reads.ratio('drift at 1M', 'drift at 1k');
    const uncachedRatio = reads.ratio('uncached GraphQL at 1M', 'uncached GraphQL at 1k');
    const cachedRatio = reads.ratio('GraphQL at 1M', 'GraphQL at 1k');
    const yogaRatio = reads.ratio('GraphQL at 1M (vs Yoga)', 'bare Yoga');

    log('live delivery over SSE…');
    const liveWorkload = new Workload(5);
    const live = await measureLive({ ingest: api.url, subscribe: api.url }, 100, 50, SECONDS, (eventId) =>
      liveWorkload.anyUser(WRITE_USERS, eventId),
    );

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
        ours: `${rssAfterFill.toFixed(0)} MB RSS (fill: ${fmt(fillRate)} events/s)`,
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

  const postgres = await postgresRows(freshDatabase, notes);
  rows.push(...postgres.rows);

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
      `Load runs of ${SECONDS}s. The REST and GraphQL batch rows: ${WRITE_ROUNDS} rounds, each on fresh databases, the two paired in alternating order; figures are the median run, the ratio the median of the rounds' ratios. Reads: after one unrecorded warm-up run each, ${ROUNDS} rounds of ${READ_SECONDS}s runs, compared runs paired in each round in alternating order; figures are the median run, ratios the median of the rounds' ratios; the load generator (autocannon) shares the machine with the server, as do the baselines.`,
      '',
      postgres.method,
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

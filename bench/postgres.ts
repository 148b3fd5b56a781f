import { cpus } from 'node:os';
import pg from 'pg';
import { type Redis, startPostgres, startRedis } from '../scripts/test-engines.ts';
import { measureLive } from './live.ts';
import type { LoadResult } from './load.ts';
import {
  BATCH,
  BATCH_CONNECTIONS,
  batchBodies,
  FILL_CONNECTIONS,
  FILL_EVENTS,
  FILL_USERS,
  fillTo,
  INGEST_CONNECTIONS,
  log,
  PairedRuns,
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
import { startApi } from './processes.ts';
import { fmt, type Row } from './report.ts';
import { counter, Workload } from './workload.ts';

/**
 * The PostgreSQL rows of `npm run bench`, on a throwaway PostgreSQL cluster
 * and Redis server of their own (scripts/test-engines.ts), on this machine:
 * ingest against SQLite's in paired rounds, reads at BENCH_PG_EVENTS events
 * against 1,000, and two API nodes on one database with Redis against one.
 *
 * Knob (environment): BENCH_PG_EVENTS to fill (BENCH_EVENTS).
 */
const PG_EVENTS = Number(process.env.BENCH_PG_EVENTS ?? FILL_EVENTS);
const CORES = cpus().length;
const LIVE_SUBSCRIBERS = 100;
const LIVE_RATE = 50;

export interface PostgresPart {
  rows: Row[];
  /** How the rows were measured, for the header of bench/results.md. */
  method: string;
}

/** Everything on PostgreSQL; `sqliteDatabase` gives a fresh SQLite file for the paired SQLite runs. */
export async function postgresRows(sqliteDatabase: () => string, notes: string[]): Promise<PostgresPart> {
  const server = await startPostgres();
  let redis: Redis | undefined;
  try {
    redis = await startRedis();
    const databases = counter();
    const fresh = () => server.createDatabase(`bench_${databases()}`);
    const version = await query<{ server_version: string }>(server.url, 'SHOW server_version');
    const ingest = await ingestRows(fresh, sqliteDatabase, notes);
    const cluster = await clusterRows(fresh, redis.url, notes);
    const reads = await readRows(fresh, notes);
    return {
      rows: [...ingest, ...cluster, ...reads],
      method: `PostgreSQL rows: PostgreSQL ${version[0]?.server_version} and Redis started for the run on this machine, PostgreSQL as initdb sets it up but for fsync=off (a commit is written to the OS, not flushed, as SQLite's WAL with synchronous=NORMAL does between checkpoints). Its ingest rows run in ${WRITE_ROUNDS} rounds paired with the same runs on SQLite, each on a fresh database, and have no target: they tell what PostgreSQL costs one node. Its reads run as SQLite's do, on a store of 1,000 events and one filled to ${fmt(PG_EVENTS)} (then vacuumed and analyzed, as autovacuum would soon do). Two nodes: two API processes on one database with REDIS_URL; their ingest spreads the ${INGEST_CONNECTIONS} connections over both, in ${WRITE_ROUNDS} rounds paired with one node (also with Redis) taking all of them; live delivery posts to one node while the subscribers listen on the other. The two-node ingest row has no target: both nodes, PostgreSQL, Redis and the load generator share this machine's ${CORES} cores, so a second node has no core of its own and the row shows what spreading the load over nodes costs, not what another machine would add.`,
    };
  } finally {
    await redis?.stop();
    await server.stop();
  }
}

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

type FreshDatabase = () => Promise<string>;

/** PostgreSQL's single-event and batch ingest, each paired in its round with the same run on SQLite. */
async function ingestRows(fresh: FreshDatabase, sqliteDatabase: () => string, notes: string[]): Promise<Row[]> {
  const runs = new PairedRuns(notes);
  const ingest = (engine: 'SQLite' | 'PostgreSQL', kind: 'single' | 'batch') => async () => {
    const database = engine === 'SQLite' ? sqliteDatabase() : await fresh();
    return kind === 'single'
      ? writeRun(
          `${engine}: POST /ingest, one event per request`,
          database,
          '/ingest',
          INGEST_CONNECTIONS,
          singleEventBodies(1),
        )
      : writeRun(
          `${engine}: POST /ingest, 1,000 events per request`,
          database,
          '/ingest',
          BATCH_CONNECTIONS,
          batchBodies(2, false),
        );
  };
  for (let round = 0; round < WRITE_ROUNDS; round += 1)
    for (const kind of ['single', 'batch'] as const)
      await runs.pair(round, [`SQLite ${kind}`, ingest('SQLite', kind)], [`PG ${kind}`, ingest('PostgreSQL', kind)]);
  const [sqliteSingle, pgSingle] = [runs.at('SQLite single'), runs.at('PG single')];
  const [sqliteBatch, pgBatch] = [runs.at('SQLite batch'), runs.at('PG batch')];
  return [
    {
      what: `PostgreSQL: POST /ingest, 1 event/request, ${INGEST_CONNECTIONS} connections`,
      ours: `${fmt(pgSingle.rps)} req/s (p50 ${pgSingle.p50} ms, p99 ${pgSingle.p99} ms)`,
      baseline: `SQLite, same rounds: ${fmt(sqliteSingle.rps)} req/s (p99 ${sqliteSingle.p99} ms)`,
      ratio: runs.ratio('PG single', 'SQLite single'),
      target: '—',
      met: null,
    },
    {
      what: 'PostgreSQL: POST /ingest, 1,000 events/request',
      ours: `${fmt(pgBatch.rps * BATCH)} events/s (p99 ${pgBatch.p99} ms)`,
      baseline: `SQLite, same rounds: ${fmt(sqliteBatch.rps * BATCH)} events/s (p99 ${sqliteBatch.p99} ms)`,
      ratio: runs.ratio('PG batch', 'SQLite batch'),
      target: '—',
      met: null,
    },
  ];
}

/** One load run's figures over several servers loaded at once: rates and counts add up, latencies the worst. */
function together(results: LoadResult[]): LoadResult {
  const sum = (pick: (result: LoadResult) => number) => results.reduce((total, result) => total + pick(result), 0);
  const worst = (pick: (result: LoadResult) => number) => Math.max(...results.map(pick));
  const merge = (pick: (result: LoadResult) => Record<string, number>) => {
    const merged: Record<string, number> = {};
    for (const result of results)
      for (const [key, count] of Object.entries(pick(result))) merged[key] = (merged[key] ?? 0) + count;
    return merged;
  };
  return {
    rps: sum((r) => r.rps),
    p50: worst((r) => r.p50),
    p99: worst((r) => r.p99),
    ok: sum((r) => r.ok),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    errorKinds: merge((r) => r.errorKinds),
    timeouts: sum((r) => r.timeouts),
    statuses: merge((r) => r.statuses),
    seconds: worst((r) => r.seconds),
  };
}

/** Two API nodes on one fresh database, both with Redis, for the time of `use`. */
async function withTwoNodes<T>(
  fresh: FreshDatabase,
  redisUrl: string,
  use: (a: string, b: string) => Promise<T>,
): Promise<T> {
  const database = await fresh();
  const env = { REDIS_URL: redisUrl };
  return withServer(
    () => startApi(database, env),
    (a) =>
      withServer(
        () => startApi(database, env),
        (b) => use(a.url, b.url),
      ),
  );
}

/** Two nodes against one on one database with Redis: single-event ingest, and live delivery across nodes. */
async function clusterRows(fresh: FreshDatabase, redisUrl: string, notes: string[]): Promise<Row[]> {
  const runs = new PairedRuns(notes);
  const oneNode = async () => {
    log('PostgreSQL, one node with Redis: POST /ingest, one event per request…');
    return withServer(
      async () => startApi(await fresh(), { REDIS_URL: redisUrl }),
      (a) => singleEventLoad(a.url, INGEST_CONNECTIONS, 1),
    );
  };
  const twoNodes = () => {
    log('PostgreSQL, two nodes with Redis: POST /ingest, one event per request, spread over both…');
    return withTwoNodes(fresh, redisUrl, async (a, b) =>
      together(
        await Promise.all([
          singleEventLoad(a, INGEST_CONNECTIONS / 2, 1),
          singleEventLoad(b, INGEST_CONNECTIONS / 2, 2),
        ]),
      ),
    );
  };
  for (let round = 0; round < WRITE_ROUNDS; round += 1)
    await runs.pair(round, ['one node', oneNode], ['two nodes', twoNodes]);
  const [one, two] = [runs.at('one node'), runs.at('two nodes')];

  log('PostgreSQL, two nodes with Redis: live delivery from one node to subscribers on the other…');
  const workload = new Workload(5);
  const live = await withTwoNodes(fresh, redisUrl, (a, b) =>
    measureLive({ ingest: a, subscribe: b }, LIVE_SUBSCRIBERS, LIVE_RATE, SECONDS, (eventId) =>
      workload.anyUser(WRITE_USERS, eventId),
    ),
  );
  return [
    {
      what: `Two nodes on one PostgreSQL database with Redis: POST /ingest, 1 event/request, ${INGEST_CONNECTIONS / 2} connections to each (both nodes, PostgreSQL, Redis and the load generator on ${CORES} cores)`,
      ours: `${fmt(two.rps)} req/s (p50 ${two.p50} ms, p99 ${two.p99} ms, the slower node's)`,
      baseline: `one node, ${INGEST_CONNECTIONS} connections: ${fmt(one.rps)} req/s (p99 ${one.p99} ms)`,
      ratio: runs.ratio('two nodes', 'one node'),
      target: '—',
      met: null,
    },
    {
      what: `Live across nodes (PostgreSQL, Redis): POST /ingest to one node → SSE on the other, ${live.subscribers} subscribers, ${LIVE_RATE} events/s`,
      ours: `p50 ${live.p50.toFixed(1)} ms, p99 ${live.p99.toFixed(1)} ms, max ${live.max.toFixed(1)} ms; ${live.missed} missed of ${fmt(live.events * live.subscribers)}`,
      baseline: '—',
      ratio: null,
      target: 'p99 ≤ 100 ms, none missed',
      met: live.p99 <= 100 && live.missed === 0,
    },
  ];
}

/** Vacuums and analyzes a database after its fill; its size in MB. */
async function settle(url: string): Promise<number> {
  await query(url, 'VACUUM (ANALYZE)');
  const [size] = await query<{ bytes: string }>(url, 'SELECT pg_database_size(current_database()) AS bytes');
  return Number(size?.bytes) / 2 ** 20;
}

/** Reads on PostgreSQL at BENCH_PG_EVENTS events against 1,000, in paired rounds as SQLite's; and the fill. */
async function readRows(fresh: FreshDatabase, notes: string[]): Promise<Row[]> {
  const [smallDb, bigDb] = [await fresh(), await fresh()];
  return withServer(
    () => startApi(smallDb),
    (small) =>
      withServer(
        () => startApi(bigDb),
        async (big) => {
          await seedReadUsers(small.url);
          await seedReadUsers(big.url);
          log(`PostgreSQL: filling to ${fmt(PG_EVENTS)} events from ${fmt(FILL_USERS)} users…`);
          const fillRate = await fillTo(big.url, PG_EVENTS, FILL_USERS);
          await settle(smallDb);
          const vacuumStarted = performance.now();
          const megabytes = await settle(bigDb);
          const vacuumSeconds = (performance.now() - vacuumStarted) / 1000;

          log(`PostgreSQL: reads with 1,000 and ${fmt(PG_EVENTS)} stored events, interleaved…`);
          const [smallReads, bigReads] = [readRuns(small.url), readRuns(big.url)];
          const runs = new PairedRuns(notes);
          // One unrecorded run of each, so neither side is measured while its JIT warms up.
          for (const side of [smallReads, bigReads]) for (const run of [side.drift, side.uncached]) await run();
          for (let round = 0; round < ROUNDS; round += 1) {
            await runs.pair(round, ['drift at 1k', smallReads.drift], ['drift at 1M', bigReads.drift]);
            await runs.pair(round, ['uncached at 1k', smallReads.uncached], ['uncached at 1M', bigReads.uncached]);
          }
          return [
            versus1k(
              'PostgreSQL: GET /drift/:id at 1M events vs 1k',
              runs.at('drift at 1M'),
              runs.at('drift at 1k'),
              runs.ratio('drift at 1M', 'drift at 1k'),
            ),
            versus1k(
              'PostgreSQL: GraphQL user { drift fingerprint }, uncached (Cache-Control: no-cache), at 1M events vs 1k',
              runs.at('uncached at 1M'),
              runs.at('uncached at 1k'),
              runs.ratio('uncached at 1M', 'uncached at 1k'),
            ),
            {
              what: `PostgreSQL fill: ${fmt(PG_EVENTS)} events from ${fmt(FILL_USERS)} users, 1,000 per request, ${FILL_CONNECTIONS} requests in flight (as SQLite's fill)`,
              ours: `${fmt(fillRate)} events/s; database ${fmt(megabytes)} MB after VACUUM (ANALYZE), which took ${vacuumSeconds.toFixed(0)} s`,
              baseline: '—',
              ratio: null,
              target: '—',
              met: null,
            },
          ];
        },
      ),
  );
}

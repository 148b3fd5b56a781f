import { type LoadResult, runLoad } from './load.ts';
import { authHeaders, type ServerProcess, startApi } from './processes.ts';
import { fmt, middle, type Row } from './report.ts';
import { counter, INGEST_EVENTS_MUTATION, toEventInput, USER_DRIFT_QUERY, userName, Workload } from './workload.ts';

/**
 * What the SQLite and PostgreSQL parts of `npm run bench` share: the knobs,
 * the requests, the fill and the paired rounds that compared figures come from.
 *
 * Knobs (environment): BENCH_SECONDS per load run (10), BENCH_EVENTS to fill
 * (1,000,000), BENCH_USERS (100,000).
 */
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
export const FILL_EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
export const FILL_USERS = Number(process.env.BENCH_USERS ?? 100_000);
export const INGEST_CONNECTIONS = 64;
export const READ_CONNECTIONS = 32;
export const READ_SECONDS = Math.max(2, Math.round(SECONDS / 2));
export const BATCH_CONNECTIONS = 8;
export const BATCH = 1000;
/** Batches in flight while filling a store. */
export const FILL_CONNECTIONS = 4;
export const WRITE_USERS = 10_000;
/** Reads rotate over these users; the fill gives them long histories. */
export const READ_USERS = 100;
/**
 * Read runs are repeated and the median kept: this machine's noise is larger
 * than the effects measured. Compared runs are paired within a round and the
 * pair's order alternates between rounds, so a slow drift of the machine
 * favours neither side; a compared ratio is the median of the rounds' ratios.
 */
export const ROUNDS = 5;
/** Paired rounds of compared write runs, each on a fresh database. */
export const WRITE_ROUNDS = 3;

export const pct = (value: number, base: number) => (100 * value) / base;

export const log = (line: string) => process.stderr.write(`${line}\n`);

/** Notes a run that had non-2xx answers or client errors. */
export function checkStatus(notes: string[], name: string, result: LoadResult): void {
  if (result.non2xx > 0 || result.errors > 0)
    notes.push(
      `${name}: ${result.non2xx} non-2xx, ${result.errors} errors ${JSON.stringify(result.errorKinds)} (${JSON.stringify(result.statuses)})`,
    );
}

export async function withServer<T>(start: () => Promise<ServerProcess>, use: (server: ServerProcess) => Promise<T>) {
  const server = await start();
  try {
    return await use(server);
  } finally {
    await server.stop();
  }
}

export function singleEventBodies(seed: number): () => string {
  const workload = new Workload(seed);
  return () => JSON.stringify(workload.anyUser(WRITE_USERS));
}

export function batchBodies(seed: number, graphql: boolean): () => string {
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

/** The single-event ingest load on one server. */
export const singleEventLoad = (url: string, connections: number, seed: number) =>
  runLoad({
    url: `${url}/ingest`,
    method: 'POST',
    connections,
    seconds: SECONDS,
    body: singleEventBodies(seed),
  });

/** An API on a fresh database (SQLite file or PostgreSQL URL) under one write load, then stopped. */
export async function writeRun(
  name: string,
  database: string,
  path: string,
  connections: number,
  body: () => string,
): Promise<LoadResult> {
  log(`${name}…`);
  return withServer(
    () => startApi(database),
    (s) => runLoad({ url: `${s.url}${path}`, method: 'POST', connections, seconds: SECONDS, body }),
  );
}

/** Fills the store through the real API: a tenth of events go to the read users, so their history is long. */
async function ingestBatches(url: string, events: number, users: number, seed: number, focus: number) {
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
  await Promise.all(Array.from({ length: FILL_CONNECTIONS }, worker));
}

/** Fills a store with 1,000 events for the read users, as both read stores start. */
export const seedReadUsers = (url: string) => ingestBatches(url, 1000, READ_USERS, 3, READ_USERS);

/** Fills a seeded store up to `total` events from `users` users; the fill's rate in events/s. */
export async function fillTo(url: string, total: number, users: number): Promise<number> {
  const started = performance.now();
  await ingestBatches(url, total - 1000, users, 4, READ_USERS);
  return (total - 1000) / ((performance.now() - started) / 1000);
}

export type Run = () => Promise<LoadResult>;

export function readRuns(url: string): { drift: Run; graphql: Run; uncached: Run } {
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
    /** The same query past the response cache: the resolvers and the store at work. */
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

/** Runs by name, recorded over rounds in which compared runs go back to back. */
export class PairedRuns {
  readonly #runs = new Map<string, LoadResult[]>();
  readonly #notes: string[];

  constructor(notes: string[]) {
    this.#notes = notes;
  }

  /** Runs both sides of a comparison back to back, in the order the round asks for. */
  async pair(round: number, a: [string, Run], b: [string, Run]): Promise<void> {
    for (const [name, run] of round % 2 === 0 ? [a, b] : [b, a]) {
      const result = await run();
      checkStatus(this.#notes, name, result);
      this.#runs.set(name, [...this.series(name), result]);
    }
  }

  series(name: string): LoadResult[] {
    return this.#runs.get(name) ?? [];
  }

  /** The median run of a series. */
  at(name: string): LoadResult {
    const runs = this.series(name);
    const rps = middle(runs.map((run) => run.rps));
    return runs.find((run) => run.rps === rps) as LoadResult;
  }

  /** The median of round-by-round ratios of two paired series, in percent. */
  ratio(ours: string, base: string): number {
    const baseRuns = this.series(base);
    return middle(this.series(ours).map((run, round) => pct(run.rps, baseRuns[round]?.rps ?? Number.NaN)));
  }
}

/** A read at 1,000,000 events against the same read at 1,000: the cost must not grow with history. */
export function versus1k(what: string, at1m: LoadResult, at1k: LoadResult, ratio: number): Row {
  return {
    what,
    ours: `${fmt(at1m.rps)} req/s (p99 ${at1m.p99} ms)`,
    baseline: `at 1k events: ${fmt(at1k.rps)} req/s (p99 ${at1k.p99} ms)`,
    ratio,
    target: '≥ 90%',
    met: ratio >= 90,
  };
}

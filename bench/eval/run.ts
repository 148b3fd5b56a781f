import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../api/src/config.ts';
import { PROJECT_ROOT as ROOT } from '../../api/src/project-root.ts';
import { API_NODE_FLAGS } from '../../scripts/api-process.ts';
import { type ServerProcess, startServer } from '../processes.ts';
import { ATTACK_TYPES, FAMILIES, SENSITIVE_KINDS } from './families.ts';
import {
  alertedShare,
  calibrate,
  checkTargets,
  quality,
  type RunMeasures,
  type Scored,
  share,
  type UserOutcome,
  verdictShare,
} from './metrics.ts';
import { parseEvalArgs, USAGE } from './options.ts';
import { generatePopulation, type LabeledEvent, type Population } from './population.ts';
import { type RunResult, renderReport } from './report.ts';

/**
 * `npm run eval`: for each population family and seed, generates a labeled
 * population (population.ts), replays it in time order through POST /ingest
 * of a real API on a fresh database, reads every event's v2 risk and legacy
 * drift score and each user's verdict, and writes bench/eval-results.md.
 */
const BATCH = 1000;
const WINDOW_DAYS = 30;
const log = (line: string) => process.stderr.write(`${line}\n`);

const options = parseEvalArgs(process.argv.slice(2), Object.keys(FAMILIES));
if (options.help) {
  log(USAGE);
  process.exit(0);
}
const serverEnv = { LOG_LEVEL: 'warn' };
// The threshold the API under test alerts at, from the same environment it is started with.
const threshold = loadConfig({ ...process.env, ...serverEnv }).alertThreshold;
const began = performance.now();
// The built API, as `npm start` and the benchmark run it: it starts in seconds, where compiling the
// sources on every start took more than half a minute on a busy machine.
log('building the API (dist/api/main.js)…');
execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'build-api.ts')], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
const runs: RunResult[] = [];
let verdictField = false;
// Seed by seed, every family in each: an interrupted run still covers every family.
for (const seed of options.seeds) {
  for (const name of options.families) {
    const family = FAMILIES[name];
    if (family === undefined) throw new Error(`unknown family ${name}`);
    const population = generatePopulation({ family, users: options.users, days: options.days, seed });
    log(`family ${name} seed ${seed}: ${population.events.length.toLocaleString('en-US')} events`);
    const measured = await replayAndMeasure(population);
    verdictField ||= measured.verdictField;
    runs.push({ family: name, seed, ...measure(population, measured) });
    log(`  replayed in ${measured.replaySeconds.toFixed(1)} s`);
    // Quick runs are for development; only full runs replace the committed results, after every run so
    // that an interrupted one still leaves what it measured.
    if (!options.quick) writeFileSync(join(ROOT, 'bench', 'eval-results.md'), report());
  }
}
process.stdout.write(`\n${report()}\n`);

function report(): string {
  return renderReport(
    {
      when: new Date(),
      cores: cpus().length,
      users: options.users,
      days: options.days,
      windowDays: Math.min(WINDOW_DAYS, options.days),
      threshold,
      totalSeconds: (performance.now() - began) / 1000,
      families: options.families.map((name) => ({ name, description: FAMILIES[name]?.description ?? '' })),
      sensitiveKinds: SENSITIVE_KINDS,
      verdictField,
      engine: engineVersion(),
    },
    runs,
  );
}

/** The commit whose engine was measured, and whether its sources had uncommitted changes. */
function engineVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    const changed = git('status', '--porcelain', '--', 'api/src', 'prisma') !== '';
    return `commit ${git('rev-parse', '--short', 'HEAD')}${changed ? ' with uncommitted changes to api/src or prisma' : ''}`;
  } catch {
    return 'an unknown commit (not a git checkout)';
  }
}

interface Measured {
  scores: Map<string, { risk: number; drift: number }>;
  /** Verdict kind per user (null: none); empty when the API has no verdict field. */
  verdicts: Map<string, string | null>;
  verdictField: boolean;
  replaySeconds: number;
}

async function replayAndMeasure(population: Population): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'persona-drift-eval-'));
  try {
    const dbFile = join(dir, 'eval.db');
    const api = await startApi(dbFile);
    let replaySeconds = 0;
    let verdicts = new Map<string, string | null>();
    let verdictField = false;
    try {
      const started = performance.now();
      for (let at = 0; at < population.events.length; at += BATCH) {
        const body = JSON.stringify(population.events.slice(at, at + BATCH).map((event) => event.body));
        const res = await fetch(`${api.url}/ingest`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        if (!res.ok) throw new Error(`ingest: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }
      replaySeconds = (performance.now() - started) / 1000;
      verdictField = await hasVerdictField(api);
      if (verdictField)
        verdicts = await readVerdicts(
          api,
          population.users.map((u) => u.userId),
        );
    } finally {
      await api.stop();
    }
    const db = new Database(dbFile, { readonly: true });
    const rows = db.prepare('SELECT eventId, risk, driftScore FROM "Event"').all() as Array<{
      eventId: string;
      risk: number;
      driftScore: number;
    }>;
    db.close();
    const scores = new Map(rows.map((row) => [row.eventId, { risk: row.risk, drift: row.driftScore }]));
    return { scores, verdicts, verdictField, replaySeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts the built API on a database file, open on loopback (no keys); a busy machine gets more than one try. */
async function startApi(dbFile: string, attempts = 3): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startServer(
        [...API_NODE_FLAGS, join(ROOT, 'dist', 'api', 'main.js')],
        { ...serverEnv, DATABASE_URL: `file:${dbFile}` },
        '/health',
      );
    } catch (error) {
      if (attempt >= attempts || !/did not start/.test(String(error))) throw error;
      log(`  the API did not start in time (attempt ${attempt} of ${attempts}); trying again`);
    }
  }
}

async function graphql(api: ServerProcess, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${api.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, unknown>; errors?: Array<{ message: string }> };
  if (body.errors !== undefined) throw new Error(`graphql: ${body.errors.map((e) => e.message).join('; ')}`);
  return body.data ?? {};
}

async function hasVerdictField(api: ServerProcess): Promise<boolean> {
  const data = await graphql(api, '{ __type(name: "User") { fields { name } } }');
  const type = data.__type as { fields: Array<{ name: string }> } | null;
  return type?.fields.some((field) => field.name === 'verdict') ?? false;
}

async function readVerdicts(api: ServerProcess, userIds: string[]): Promise<Map<string, string | null>> {
  const verdicts = new Map<string, string | null>();
  const query = 'query EvalVerdict($id: ID!) { user(id: $id) { verdict { kind confidence } } }';
  let next = 0;
  const worker = async () => {
    while (next < userIds.length) {
      const id = userIds[next++] as string;
      const data = await graphql(api, query, { id });
      const kind = (data.user as { verdict: { kind: string } | null } | null)?.verdict?.kind ?? null;
      verdicts.set(id, kind === null || /^none$/i.test(kind) ? null : kind.toLowerCase());
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return verdicts;
}

function measure(population: Population, measured: Measured): Omit<RunResult, 'family' | 'seed'> {
  const { events, users } = population;
  const lifeOf = new Map(users.map((u) => [u.userId, u]));
  const windowStart = population.start + (population.days - Math.min(WINDOW_DAYS, population.days)) * 86_400_000;
  const scored = events.flatMap((event) => {
    const row = measured.scores.get(event.body.event_id);
    return row === undefined ? [] : [{ event, ...row }];
  });
  const alerted = new Set(
    scored.filter((s) => s.risk >= threshold && s.event.body.timestamp >= windowStart).map((s) => s.event.body.user_id),
  );
  // Accounts a stuffing rig got into (a successful login of the rig's).
  const stuffedInto = new Set(
    events.filter((e) => e.label === 'stuffing' && e.body.meta.success === true).map((e) => e.body.user_id),
  );
  const outcome = (userId: string): UserOutcome => ({
    incident: lifeOf.get(userId)?.incident ?? null,
    alerted: alerted.has(userId),
    verdict: measured.verdictField ? (measured.verdicts.get(userId) ?? null) : undefined,
    alsoRight: stuffedInto.has(userId) ? ['stuffing'] : [],
  });
  const compare = (negatives: (e: LabeledEvent) => boolean, positives: (e: LabeledEvent) => boolean) => {
    const chosen = scored.filter((s) => negatives(s.event) || positives(s.event));
    const as = (score: (s: (typeof scored)[number]) => number): Scored[] =>
      chosen.map((s) => ({ score: score(s), positive: s.event.label !== 'benign' }));
    return { v2: quality(as((s) => s.risk)), legacy: quality(as((s) => s.drift)) };
  };
  const benignEvent = (e: LabeledEvent) => e.label === 'benign';
  const isAttack = (e: LabeledEvent) => e.label !== 'benign';

  const attackRows: RunResult['attacks'] = [];
  const overall = compare(benignEvent, isAttack);
  const attacked = users.filter((u) => u.incident !== null).map((u) => outcome(u.userId));
  attackRows.push({
    name: 'all attacks',
    events: scored.filter((s) => isAttack(s.event)).length,
    ...overall,
    users: share(attacked.length, attacked.length),
    alerted: alertedShare(attacked),
    verdicts: measured.verdictField ? verdictShare(attacked) : null,
  });
  for (const attack of ATTACK_TYPES) {
    const victims = users.filter((u) => u.incident === attack).map((u) => outcome(u.userId));
    attackRows.push({
      name: attack,
      events: scored.filter((s) => s.event.label === attack).length,
      ...compare(benignEvent, (e) => e.label === attack),
      users: share(victims.length, victims.length),
      alerted: alertedShare(victims),
      verdicts: measured.verdictField && attack !== 'stuffing' ? verdictShare(victims) : null,
    });
  }

  const benignUsers = users.filter((u) => u.incident === null);
  const lives = [...new Set(benignUsers.map((u) => u.life))].sort();
  const noVerdict = (ids: string[]) =>
    measured.verdictField ? share(ids.filter((id) => measured.verdicts.get(id) == null).length, ids.length) : null;
  const benignRows: RunResult['benign'] = [];
  for (const life of ['all benign users', ...lives]) {
    const members = benignUsers.filter((u) => life === 'all benign users' || u.life === life).map((u) => u.userId);
    const memberSet = new Set(members);
    benignRows.push({
      name: life,
      users: members.length,
      events: scored.filter((s) => memberSet.has(s.event.body.user_id)).length,
      ...compare((e) => benignEvent(e) && memberSet.has(e.body.user_id), isAttack),
      alerted: alertedShare(members.map(outcome)),
      noVerdict: noVerdict(members),
    });
  }

  const measures: RunMeasures = {
    overall,
    byAttack: attackRows.slice(1).map((a) => ({ attack: a.name, v2: a.v2, legacy: a.legacy })),
    benignAlerted: alertedShare(benignUsers.map((u) => outcome(u.userId))),
    incidentVerdicts: measured.verdictField ? verdictShare(attacked) : null,
    benignVerdicts: noVerdict(benignUsers.map((u) => u.userId)),
  };
  return {
    events: events.length,
    users: users.length,
    replaySeconds: measured.replaySeconds,
    eventsPerSecond: events.length / measured.replaySeconds,
    attacks: attackRows,
    benign: benignRows,
    targets: checkTargets(measures),
    calibration: calibrate(
      scored
        .filter((s) => s.event.body.timestamp >= windowStart)
        .map((s) => ({ userId: s.event.body.user_id, score: s.risk, attack: s.event.label !== 'benign' })),
      {
        benign: benignUsers.map((u) => u.userId),
        attacked: users.filter((u) => u.incident !== null).map((u) => u.userId),
      },
      threshold,
    ),
  };
}

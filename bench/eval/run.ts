import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PROJECT_ROOT as ROOT } from '../../api/src/project-root.ts';
import { startServer } from '../processes.ts';
import { quality, type Scored } from './metrics.ts';
import { generatePopulation, type Label } from './population.ts';

/**
 * `npm run eval`: generates a labeled population (bench/eval/population.ts),
 * replays it in time order through POST /ingest of a real API on a fresh
 * database, then reads every stored event's legacy drift score and v2 risk and
 * compares how well each separates incident events from benign ones.
 *
 * Knobs: EVAL_USERS (2000), EVAL_DAYS (60), EVAL_SEED (42).
 */
const USERS = Number(process.env.EVAL_USERS ?? 2000);
const DAYS = Number(process.env.EVAL_DAYS ?? 60);
const SEED = Number(process.env.EVAL_SEED ?? 42);
const BATCH = 1000;
const log = (line: string) => process.stderr.write(`${line}\n`);

const dir = mkdtempSync(join(tmpdir(), 'persona-drift-eval-'));
try {
  const population = generatePopulation({ users: USERS, days: DAYS, seed: SEED });
  log(`${population.length.toLocaleString('en-US')} events from ${USERS} users over ${DAYS} days`);
  const dbFile = join(dir, 'eval.db');
  const api = await startServer(
    ['--import', 'tsx', join(ROOT, 'api', 'src', 'main.ts')],
    { DATABASE_URL: `file:${dbFile}`, LOG_LEVEL: 'warn' },
    '/health',
  );
  const started = performance.now();
  try {
    for (let at = 0; at < population.length; at += BATCH) {
      const body = JSON.stringify(population.slice(at, at + BATCH).map((event) => event.body));
      const res = await fetch(`${api.url}/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      if (!res.ok) throw new Error(`ingest: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    }
  } finally {
    await api.stop();
  }
  log(`replayed in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const db = new Database(dbFile, { readonly: true });
  const stored = new Map(
    (
      db.prepare('SELECT eventId, risk, driftScore FROM "Event"').all() as Array<{
        eventId: string;
        risk: number;
        driftScore: number;
      }>
    ).map((row) => [row.eventId, row]),
  );
  const alerts = db.prepare('SELECT userId, firstAt FROM "Alert"').all() as Array<{ userId: string; firstAt: number }>;
  db.close();

  const rows: string[] = [];
  const table = (what: string, positives: (label: Label) => boolean) => {
    const pairs = population
      .filter((event) => event.label === 'benign' || positives(event.label))
      .map((event) => ({ event, row: stored.get(event.body.event_id) }))
      .filter((pair) => pair.row !== undefined);
    const legacy: Scored[] = pairs.map(({ event, row }) => ({
      score: row?.driftScore ?? 0,
      positive: event.label !== 'benign',
    }));
    const v2: Scored[] = pairs.map(({ event, row }) => ({ score: row?.risk ?? 0, positive: event.label !== 'benign' }));
    const count = pairs.filter(({ event }) => event.label !== 'benign').length;
    for (const [name, scores] of [
      ['legacy drift_score', legacy],
      ['v2 risk', v2],
    ] as const) {
      const q = quality(scores);
      rows.push(
        `| ${what} (${count.toLocaleString('en-US')} incident events) | ${name} | ${q.auc.toFixed(3)} | ${pct(q.precisionAtTop1)} | ${Number.isFinite(q.thresholdAt1Fpr) ? `${pct(q.recallAt1Fpr)} (score ≥ ${q.thresholdAt1Fpr})` : 'none: its top score already flags more than 1%'} |`,
      );
    }
  };
  table('all incidents', () => true);
  table('account takeover', (label) => label === 'takeover');
  table('shared account', (label) => label === 'sharing');
  table('credential stuffing', (label) => label === 'stuffing');

  // Alerts per user: incidents caught, and benign users (by scenario) alerted.
  const alerted = new Set(alerts.map((alert) => alert.userId));
  const scenarioOf = new Map<string, string>();
  const incidentUsers = new Map<Label, Set<string>>();
  for (const event of population) {
    if (event.label === 'benign') {
      if (!scenarioOf.has(event.body.user_id)) scenarioOf.set(event.body.user_id, event.scenario);
    } else {
      const users = incidentUsers.get(event.label) ?? new Set<string>();
      users.add(event.body.user_id);
      incidentUsers.set(event.label, users);
    }
  }
  const alertLines: string[] = [];
  for (const label of ['takeover', 'sharing'] as const) {
    const users = incidentUsers.get(label) ?? new Set<string>();
    const caught = [...users].filter((user) => alerted.has(user)).length;
    alertLines.push(
      `| ${label === 'takeover' ? 'taken-over accounts' : 'shared accounts'} | ${users.size} | ${caught} (${pct(caught / Math.max(1, users.size))}) |`,
    );
  }
  const incident = new Set([...(incidentUsers.get('takeover') ?? []), ...(incidentUsers.get('sharing') ?? [])]);
  const stuffed = incidentUsers.get('stuffing') ?? new Set<string>();
  const benignByScenario = new Map<string, string[]>();
  for (const [user, scenario] of scenarioOf) {
    if (incident.has(user) || stuffed.has(user)) continue;
    benignByScenario.set(scenario, [...(benignByScenario.get(scenario) ?? []), user]);
  }
  for (const [scenario, users] of [...benignByScenario].sort()) {
    const falseAlarms = users.filter((user) => alerted.has(user)).length;
    alertLines.push(`| benign: ${scenario} | ${users.length} | ${falseAlarms} (${pct(falseAlarms / users.length)}) |`);
  }

  const report = [
    '# Risk model evaluation',
    '',
    `Latest \`npm run eval\` run, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, on ${cpus().length} cores: ${population.length.toLocaleString('en-US')} events from ${USERS.toLocaleString('en-US')} generated users over ${DAYS} days (seed ${SEED}), replayed through \`POST /ingest\`. Scores are per event: the legacy \`drift_score\` is the user's score right after the event; v2 \`risk\` is the event's own.`,
    '',
    '| incidents vs benign events | score | ROC AUC | precision, top 1% | recall at 1% false-positive rate |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Alerts (v2 risk ≥ the default threshold, 70), by user:`,
    '',
    '| users | count | with an alert |',
    '| --- | --- | --- |',
    ...alertLines,
    '',
  ].join('\n');
  process.stdout.write(`\n${report}\n`);
  writeFileSync(join(ROOT, 'bench', 'eval-results.md'), report);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function pct(value: number): string {
  return Number.isNaN(value) ? '—' : `${(100 * value).toFixed(1)}%`;
}

import {
  type Calibration,
  MAX_BENIGN_USERS_ALERTED,
  percent,
  type Quality,
  ratio,
  type Share,
  type TargetCheck,
} from './metrics.ts';

/** One family and seed, measured, ready to print. */
export interface RunResult {
  family: string;
  seed: number;
  events: number;
  users: number;
  replaySeconds: number;
  eventsPerSecond: number;
  /** Rows: all attacks, then each attack type. */
  attacks: Array<{
    name: string;
    events: number;
    v2: Quality;
    legacy: Quality;
    users: Share;
    alerted: Share;
    verdicts: Share | null;
  }>;
  /** Rows: each benign life, all attack events against that life's events. */
  benign: Array<{
    name: string;
    users: number;
    events: number;
    v2: Quality;
    legacy: Quality;
    alerted: Share;
    noVerdict: Share | null;
  }>;
  targets: TargetCheck[];
  calibration: Calibration;
}

export interface ReportContext {
  when: Date;
  cores: number;
  users: number;
  days: number;
  windowDays: number;
  threshold: number;
  totalSeconds: number;
  families: Array<{ name: string; description: string }>;
  sensitiveKinds: readonly string[];
  verdictField: boolean;
  /** Which engine was measured, e.g. "commit 1a2b3c4". */
  engine: string;
}

const auc = (q: Quality) => (Number.isNaN(q.auc) ? '—' : q.auc.toFixed(3));
const recall = (q: Quality) =>
  Number.isFinite(q.thresholdAt1Fpr)
    ? `${percent(q.recallAt1Fpr)} (≥ ${q.thresholdAt1Fpr})`
    : '0% (top score flags > 1%)';
const shareText = (s: Share | null, missing = 'no verdict field') =>
  s === null ? missing : `${s.hits} of ${s.total} (${percent(ratio(s))})`;
const mark = (pass: boolean | null) => (pass === null ? '—' : pass ? 'pass' : 'FAIL');
/** A per-event rate needs more digits than a per-user one: 0.05% of 40,000 benign events is 20. */
const rate = (s: Share) => (s.total === 0 ? '—' : `${(100 * ratio(s)).toFixed(2)}%`);

/** The threshold every run meets: the highest of the runs' calibrated thresholds. */
export function calibratedThreshold(runs: readonly RunResult[]): number | null {
  return runs.length === 0 ? null : Math.max(...runs.map((r) => r.calibration.calibrated.threshold));
}

function calibrationSection(context: ReportContext, runs: readonly RunResult[]): string[] {
  const levels = runs[0]?.calibration.levels ?? [];
  const limit = `${100 * MAX_BENIGN_USERS_ALERTED}%`;
  return [
    '## Calibration',
    '',
    `Per family and seed, in the last ${context.windowDays} days: the lowest integer threshold at which at most ${limit} of ` +
      'benign users get an alert (an event at or above it), with the share of benign events at or above it (the per-event ' +
      `false-positive rate) beside that at the configured threshold (${context.threshold}), and the attacked users it alerts.`,
    '',
    `| run | threshold | benign users alerted | benign events at or above | at ${context.threshold} | attacked users alerted | at ${context.threshold} |`,
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...runs.map(({ family, seed, calibration: { calibrated: c, configured: k } }) => {
      const cells = [
        `${family} seed ${seed}`,
        c.threshold > 100 ? 'none (> 100)' : String(c.threshold),
        shareText(c.benignUsers),
        rate(c.benignEvents),
        rate(k.benignEvents),
        shareText(c.attackUsers),
        shareText(k.attackUsers),
      ];
      return `| ${cells.join(' | ')} |`;
    }),
    '',
    `What each level means, measured: the share of benign and of attack events in the last ${context.windowDays} days at or above its floor.`,
    '',
    `| run | ${levels.map((l) => `${l.level} (≥ ${l.floor}): benign | attack`).join(' | ')} |`,
    `| --- | ${levels.map(() => '--- | ---').join(' | ')} |`,
    ...runs.map(
      (r) =>
        `| ${r.family} seed ${r.seed} | ${r.calibration.levels.map((l) => `${rate(l.benign)} | ${rate(l.attack)}`).join(' | ')} |`,
    ),
    '',
  ];
}

export function renderReport(context: ReportContext, runs: readonly RunResult[]): string {
  const lines: string[] = [
    '# Risk model evaluation',
    '',
    `Latest \`npm run eval\` run, ${context.when.toISOString().slice(0, 16).replace('T', ' ')} UTC, on ${context.cores} cores, ` +
      `${(context.totalSeconds / 60).toFixed(1)} minutes in all: ${context.users.toLocaleString('en-US')} generated users over ` +
      `${context.days} days per family and seed, replayed in time order through \`POST /ingest\` of a real API (${context.engine}) on a fresh database. ` +
      'How the populations are built and how to run it: [Risk model: measured quality](../docs/risk-model.md#measured-quality).',
    '',
    ...context.families.map((f) => `- Family **${f.name}**: ${f.description}.`),
    '',
    `Scores are per event: v2 \`risk\` is the event's own, the legacy \`drift_score\` the user's right after it. ` +
      `An alert is an event with v2 risk ≥ the API's configured alert threshold (${context.threshold}); benign users' alerts ` +
      `count in the last ${context.windowDays} days of the run (the days before are history). Verdicts are read from GraphQL ` +
      `\`User.verdict { kind confidence }\`${context.verdictField ? '' : ', which the API does not have yet ("no verdict field")'}; ` +
      "a takeover or sharing user's right verdict is its kind, or `stuffing` when a stuffing rig also got into the account. " +
      `Event kinds: \`login\` (with \`success\`), and the sensitive ${context.sensitiveKinds.map((k) => `\`${k}\``).join(', ')}, ` +
      'which takeovers often do and benign users now and then.',
    '',
    '## Targets',
    '',
    `| target | ${runs.map((r) => `${r.family} seed ${r.seed}`).join(' | ')} |`,
    `| --- | ${runs.map(() => '---').join(' | ')} |`,
  ];
  const targets = runs[0]?.targets.map((t) => t.target) ?? [];
  for (const [index, target] of targets.entries())
    lines.push(
      `| ${target} | ${runs
        .map((r) => {
          const check = r.targets[index] as TargetCheck;
          return `${mark(check.pass)}: ${check.value}`;
        })
        .join(' | ')} |`,
    );
  lines.push(
    '| every alert and verdict names its signals with evidence | not measured here |',
    '| `npm run bench` targets still met | not measured here (see bench/results.md) |',
    '',
  );
  const threshold = calibratedThreshold(runs);
  if (threshold !== null)
    lines.push(
      `calibrated alert threshold: ${threshold} (the highest of the runs' thresholds below, so every run alerts at most ` +
        `${100 * MAX_BENIGN_USERS_ALERTED}% of benign users; configured: ${context.threshold})`,
      '',
      ...calibrationSection(context, runs),
    );

  for (const run of runs) {
    lines.push(
      `## Family ${run.family}, seed ${run.seed}`,
      '',
      `${run.events.toLocaleString('en-US')} events from ${run.users.toLocaleString('en-US')} users, replayed in ` +
        `${run.replaySeconds.toFixed(1)} s (${Math.round(run.eventsPerSecond).toLocaleString('en-US')} events/s).`,
      '',
      '| attack | events | v2 AUC | legacy AUC | v2 recall at 1% FPR | legacy recall at 1% FPR | users | users alerted | right verdict |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...run.attacks.map(
        (a) =>
          `| ${a.name} | ${a.events.toLocaleString('en-US')} | ${auc(a.v2)} | ${auc(a.legacy)} | ${recall(a.v2)} | ${recall(a.legacy)} | ${a.users.total} | ${shareText(a.alerted)} | ${shareText(a.verdicts, a.name === 'stuffing' ? 'not judged' : 'no verdict field')} |`,
      ),
      '',
      '| benign life | users | events | v2 AUC (all attacks vs these) | legacy AUC | v2 recall at 1% FPR | users alerted | no verdict |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      ...run.benign.map(
        (b) =>
          `| ${b.name} | ${b.users} | ${b.events.toLocaleString('en-US')} | ${auc(b.v2)} | ${auc(b.legacy)} | ${recall(b.v2)} | ${shareText(b.alerted)} | ${shareText(b.noVerdict)} |`,
      ),
      '',
    );
  }
  return lines.join('\n');
}

import { LEVEL_FLOORS } from '../../api/src/domain/risk/score.ts';

/** Detection quality of one score over labeled events (positive = part of an incident). */
export interface Quality {
  /** Area under the ROC curve; ties count half. */
  auc: number;
  /** Share of incidents among the top 1% of events by score (ties at the cut shared in proportion). */
  precisionAtTop1: number;
  /** Share of incident events caught at the highest threshold that flags at most 1% of benign events. */
  recallAt1Fpr: number;
  /** The score threshold that recall uses. */
  thresholdAt1Fpr: number;
}

export interface Scored {
  score: number;
  positive: boolean;
}

export function quality(events: readonly Scored[]): Quality {
  const sorted = [...events].sort((a, b) => b.score - a.score);
  const positives = sorted.filter((e) => e.positive).length;
  const negatives = sorted.length - positives;
  // Group equal scores: every metric treats a tie as one block.
  const groups: Array<{ score: number; pos: number; neg: number }> = [];
  for (const event of sorted) {
    const last = groups.at(-1);
    if (last !== undefined && last.score === event.score) {
      if (event.positive) last.pos += 1;
      else last.neg += 1;
    } else groups.push({ score: event.score, pos: event.positive ? 1 : 0, neg: event.positive ? 0 : 1 });
  }

  // AUC = P(score of a random positive > a random negative) + ½ P(equal).
  let auc = 0;
  let negativesAbove = 0;
  for (const group of groups) {
    auc += group.pos * (negatives - negativesAbove - group.neg) + 0.5 * group.pos * group.neg;
    negativesAbove += group.neg;
  }
  auc = positives === 0 || negatives === 0 ? Number.NaN : auc / (positives * negatives);

  const top = Math.max(1, Math.round(sorted.length * 0.01));
  let taken = 0;
  let hits = 0;
  for (const group of groups) {
    const size = group.pos + group.neg;
    const take = Math.min(size, top - taken);
    hits += (take * group.pos) / size;
    taken += take;
    if (taken >= top) break;
  }

  let flaggedNegatives = 0;
  let caught = 0;
  let threshold = Number.POSITIVE_INFINITY;
  for (const group of groups) {
    if ((flaggedNegatives + group.neg) / negatives > 0.01) break;
    flaggedNegatives += group.neg;
    caught += group.pos;
    threshold = group.score;
  }
  return {
    auc,
    precisionAtTop1: hits / top,
    // No threshold flags ≤ 1% of benign events when the top score already flags more: nothing is caught.
    recallAt1Fpr: positives === 0 ? Number.NaN : caught / positives,
    thresholdAt1Fpr: threshold,
  };
}

/** What a generated user is and what the API made of them. */
export interface UserOutcome {
  /** null for a benign user. */
  incident: string | null;
  /** Some event of the user in the measured window reached the alert threshold. */
  alerted: boolean;
  /** The API's verdict kind (lower case), null for none; undefined when the API has no verdicts. */
  verdict: string | null | undefined;
  /**
   * Verdict kinds the user's other attacks also make right: a stuffing rig that got into a shared or
   * taken-over account is a second, real incident (`stuffing` when one of its logins succeeded).
   */
  alsoRight?: readonly string[];
}

export interface Share {
  hits: number;
  total: number;
}

export const share = (hits: number, total: number): Share => ({ hits, total });
export const ratio = (s: Share): number => (s.total === 0 ? Number.NaN : s.hits / s.total);

export function alertedShare(users: readonly UserOutcome[]): Share {
  return share(users.filter((u) => u.alerted).length, users.length);
}

/** The verdict a user should get: takeover and sharing by kind, none for benign users; null when not judged. */
export function expectedVerdict(incident: string | null): string | null | 'any' {
  if (incident === null) return null;
  if (incident.startsWith('takeover')) return 'takeover';
  if (incident === 'sharing') return 'sharing';
  return 'any';
}

/** Users whose verdict is right, or null when the API gives no verdicts at all. */
export function verdictShare(users: readonly UserOutcome[]): Share | null {
  if (users.some((u) => u.verdict === undefined)) return null;
  const judged = users.filter((u) => expectedVerdict(u.incident) !== 'any');
  const right = (u: UserOutcome) =>
    (u.verdict ?? null) === expectedVerdict(u.incident) || (u.verdict != null && !!u.alsoRight?.includes(u.verdict));
  return share(judged.filter(right).length, judged.length);
}

/** One seed of one family, measured. */
export interface RunMeasures {
  overall: { v2: Quality; legacy: Quality };
  byAttack: Array<{ attack: string; v2: Quality; legacy: Quality }>;
  benignAlerted: Share;
  /** Takeover and sharing users with the right verdict (null: no verdict field). */
  incidentVerdicts: Share | null;
  /** Benign users with no verdict (null: no verdict field). */
  benignVerdicts: Share | null;
}

export interface TargetCheck {
  target: string;
  value: string;
  /** null when it cannot be measured yet. */
  pass: boolean | null;
}

const fixed = (value: number, digits = 3) => (Number.isNaN(value) ? '—' : value.toFixed(digits));
export const percent = (value: number) => (Number.isNaN(value) ? '—' : `${(100 * value).toFixed(1)}%`);

/** The targets, each judged on one run. */
export function checkTargets(run: RunMeasures): TargetCheck[] {
  const worstAttack = <T>(values: T[], key: (q: T) => number) =>
    values.reduce((worst, item) => (key(item) < key(worst) ? item : worst));
  const checks: TargetCheck[] = [
    {
      target: 'ROC AUC of v2, all attack events vs benign ≥ 0.98',
      value: fixed(run.overall.v2.auc),
      pass: run.overall.v2.auc >= 0.98,
    },
  ];
  if (run.byAttack.length > 0) {
    const margin = worstAttack(run.byAttack, (a) => a.v2.auc - a.legacy.auc);
    checks.push({
      target: 'v2 AUC above legacy for every attack type',
      value: `smallest margin ${fixed(margin.v2.auc - margin.legacy.auc)} (${margin.attack})`,
      pass: run.byAttack.every((a) => a.v2.auc > a.legacy.auc),
    });
  }
  checks.push({
    target: 'recall at 1% FPR ≥ 0.90 overall',
    value: fixed(run.overall.v2.recallAt1Fpr),
    pass: run.overall.v2.recallAt1Fpr >= 0.9,
  });
  if (run.byAttack.length > 0) {
    const lowest = worstAttack(run.byAttack, (a) => a.v2.recallAt1Fpr);
    checks.push({
      target: 'recall at 1% FPR ≥ 0.80 for each attack type',
      value: `lowest ${fixed(lowest.v2.recallAt1Fpr)} (${lowest.attack})`,
      pass: run.byAttack.every((a) => a.v2.recallAt1Fpr >= 0.8),
    });
  }
  checks.push({
    target: 'benign users with an alert in 30 days ≤ 2%',
    value: `${percent(ratio(run.benignAlerted))} (${run.benignAlerted.hits} of ${run.benignAlerted.total})`,
    pass: ratio(run.benignAlerted) <= 0.02,
  });
  for (const [target, measured, goal] of [
    ['takeover and sharing users get the right verdict ≥ 90%', run.incidentVerdicts, 0.9],
    ['benign users get no verdict ≥ 98%', run.benignVerdicts, 0.98],
  ] as const) {
    checks.push(
      measured === null
        ? { target, value: 'no verdict field', pass: null }
        : {
            target,
            value: `${percent(ratio(measured))} (${measured.hits} of ${measured.total})`,
            pass: ratio(measured) >= goal,
          },
    );
  }
  return checks;
}

/** One scored event of the measured window, for calibration. */
export interface WindowEvent {
  userId: string;
  score: number;
  /** Part of an incident (the label, not the user: a victim's own events are benign). */
  attack: boolean;
}

/** The share of benign and of attack events at or above one level's floor. */
export interface LevelShare {
  level: string;
  floor: number;
  benign: Share;
  attack: Share;
}

/** What an alert threshold does in the measured window. */
export interface ThresholdEffect {
  threshold: number;
  /** Benign users with an event at or above it. */
  benignUsers: Share;
  /** Benign events at or above it: the per-event false-positive rate. */
  benignEvents: Share;
  /** Attacked users with an event at or above it. */
  attackUsers: Share;
}

export interface Calibration {
  /** The lowest integer threshold at which at most `maxBenignUsers` of benign users are alerted. */
  calibrated: ThresholdEffect;
  /** The API's configured threshold. */
  configured: ThresholdEffect;
  levels: LevelShare[];
}

/** The largest share of benign users an alert threshold may alert in the window. */
export const MAX_BENIGN_USERS_ALERTED = 0.01;

/**
 * Calibrates the alert threshold on one run's window: the lowest integer
 * score at which at most 1% of benign users would get an alert (an event at
 * or above it), what it and the configured threshold cost per event and
 * catch per user, and each level floor's share of benign and attack events.
 */
export function calibrate(
  events: readonly WindowEvent[],
  users: { benign: readonly string[]; attacked: readonly string[] },
  configured: number,
  floors: ReadonlyArray<readonly [string, number]> = LEVEL_FLOORS.filter(([, floor]) => floor > 0),
): Calibration {
  const peaks = new Map<string, number>();
  for (const event of events) peaks.set(event.userId, Math.max(peaks.get(event.userId) ?? 0, event.score));
  const benignPeaks = users.benign.map((id) => peaks.get(id) ?? Number.NEGATIVE_INFINITY).sort((a, b) => b - a);
  const allowed = Math.floor(MAX_BENIGN_USERS_ALERTED * users.benign.length);
  // The (allowed + 1)-th highest benign peak must stay below the threshold.
  const peak = benignPeaks[allowed] ?? Number.NEGATIVE_INFINITY;
  const threshold = Number.isFinite(peak) ? Math.max(0, Math.floor(peak) + 1) : 0;
  const benignEvents = events.filter((e) => !e.attack);
  const attackEvents = events.filter((e) => e.attack);
  const atOrAbove = (scored: readonly WindowEvent[], floor: number) =>
    share(scored.filter((e) => e.score >= floor).length, scored.length);
  const effect = (at: number): ThresholdEffect => ({
    threshold: at,
    benignUsers: share(users.benign.filter((id) => (peaks.get(id) ?? -1) >= at).length, users.benign.length),
    benignEvents: atOrAbove(benignEvents, at),
    attackUsers: share(users.attacked.filter((id) => (peaks.get(id) ?? -1) >= at).length, users.attacked.length),
  });
  return {
    calibrated: effect(threshold),
    configured: effect(configured),
    levels: floors.map(([level, floor]) => ({
      level,
      floor,
      benign: atOrAbove(benignEvents, floor),
      attack: atOrAbove(attackEvents, floor),
    })),
  };
}

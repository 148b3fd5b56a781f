import { describe, expect, it } from 'vitest';
import {
  calibrate,
  checkTargets,
  expectedVerdict,
  quality,
  type RunMeasures,
  type Scored,
  share,
  type UserOutcome,
  verdictShare,
  type WindowEvent,
} from '../../../bench/eval/metrics.ts';

const events = (scores: number[], positive: boolean): Scored[] => scores.map((score) => ({ score, positive }));
const many = (count: number, score: number, positive: boolean): Scored[] =>
  Array.from({ length: count }, () => ({ score, positive }));

describe('quality', () => {
  it('gives AUC 1 when every attack event outscores every benign one, and 0.5 for ties', () => {
    expect(quality([...events([90, 80], true), ...events([10, 20, 30], false)]).auc).toBe(1);
    expect(quality([...events([50, 50], true), ...events([50, 50], false)]).auc).toBe(0.5);
    // One of two positives above both negatives, one below: AUC ½.
    expect(quality([...events([90, 5], true), ...events([10, 20], false)]).auc).toBe(0.5);
  });

  it('measures recall at the highest threshold flagging at most 1% of benign events', () => {
    // 200 benign: two at 60 (1%) may be flagged, a third at 50 may not.
    const scored = [
      ...many(196, 0, false),
      ...many(2, 60, false),
      ...many(2, 50, false),
      ...events([70, 60, 50, 0], true),
    ];
    const q = quality(scored);
    expect(q.thresholdAt1Fpr).toBe(60);
    expect(q.recallAt1Fpr).toBe(0.5);
  });

  it('catches nothing when the top score already flags more than 1% of benign events', () => {
    const q = quality([...many(50, 100, false), ...many(50, 0, false), ...events([100, 100], true)]);
    expect(q.recallAt1Fpr).toBe(0);
    expect(q.thresholdAt1Fpr).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('verdicts', () => {
  const user = (incident: string | null, verdict: string | null | undefined): UserOutcome => ({
    incident,
    alerted: false,
    verdict,
  });

  it('expects takeover for both takeover kinds, sharing for sharing, none for benign, and does not judge stuffing', () => {
    expect(expectedVerdict('takeover: new country')).toBe('takeover');
    expect(expectedVerdict('takeover: stealth VPN/hosting')).toBe('takeover');
    expect(expectedVerdict('sharing')).toBe('sharing');
    expect(expectedVerdict(null)).toBeNull();
    expect(expectedVerdict('stuffing')).toBe('any');
  });

  it('counts right verdicts over judged users, and is null when the API has no verdicts', () => {
    const users = [
      user('takeover: new country', 'takeover'),
      user('sharing', 'takeover'),
      user(null, null),
      user(null, 'sharing'),
      user('stuffing', null),
    ];
    expect(verdictShare(users)).toEqual({ hits: 2, total: 4 });
    expect(verdictShare([user('sharing', undefined)])).toBeNull();
  });

  it('counts a stuffing verdict as right for a user a stuffing rig also got into, and nothing else', () => {
    const stuffedToo = (verdict: string | null): UserOutcome => ({
      ...user('sharing', verdict),
      alsoRight: ['stuffing'],
    });
    expect(
      verdictShare([stuffedToo('stuffing'), stuffedToo('sharing'), stuffedToo('takeover'), stuffedToo(null)]),
    ).toEqual({ hits: 2, total: 4 });
    expect(verdictShare([user('sharing', 'stuffing')])).toEqual({ hits: 0, total: 1 });
  });
});

describe('checkTargets', () => {
  const q = (auc: number, recallAt1Fpr: number) => ({ auc, recallAt1Fpr, precisionAtTop1: 0, thresholdAt1Fpr: 50 });
  const run = (overrides: Partial<RunMeasures> = {}): RunMeasures => ({
    overall: { v2: q(0.99, 0.95), legacy: q(0.9, 0.3) },
    byAttack: [
      { attack: 'sharing', v2: q(0.985, 0.85), legacy: q(0.7, 0.1) },
      { attack: 'stuffing', v2: q(1, 1), legacy: q(0.6, 0) },
    ],
    benignAlerted: share(1, 100),
    incidentVerdicts: share(19, 20),
    benignVerdicts: share(99, 100),
    ...overrides,
  });
  const verdictOf = (checks: ReturnType<typeof checkTargets>, start: string) =>
    checks.find((c) => c.target.startsWith(start))?.pass;

  it('passes a run that meets every target', () => {
    expect(checkTargets(run()).every((c) => c.pass === true)).toBe(true);
  });

  it('fails each target on its own', () => {
    const weakSharing = run({
      byAttack: [{ attack: 'sharing', v2: q(0.6, 0.5), legacy: q(0.7, 0.1) }],
      benignAlerted: share(3, 100),
      incidentVerdicts: share(17, 20),
      benignVerdicts: share(97, 100),
    });
    const checks = checkTargets(weakSharing);
    expect(verdictOf(checks, 'v2 AUC above legacy')).toBe(false);
    expect(checks.find((c) => c.target.startsWith('v2 AUC above legacy'))?.value).toContain('sharing');
    expect(verdictOf(checks, 'recall at 1% FPR ≥ 0.80')).toBe(false);
    expect(verdictOf(checks, 'benign users with an alert')).toBe(false);
    expect(verdictOf(checks, 'takeover and sharing')).toBe(false);
    expect(verdictOf(checks, 'benign users get no verdict')).toBe(false);
    expect(verdictOf(checkTargets(run({ overall: { v2: q(0.97, 0.89), legacy: q(0.9, 0) } })), 'ROC AUC')).toBe(false);
  });

  it('marks verdict targets unmeasured when the API has no verdict field', () => {
    const checks = checkTargets(run({ incidentVerdicts: null, benignVerdicts: null }));
    const verdictChecks = checks.filter((c) => c.value === 'no verdict field');
    expect(verdictChecks).toHaveLength(2);
    expect(verdictChecks.every((c) => c.pass === null)).toBe(true);
  });
});

describe('calibrate', () => {
  // 200 benign users: peaks 0 for most, then 3 users at 64.5, 2 at 58 and 1 at 40; two attacked users.
  const benign = Array.from({ length: 200 }, (_, n) => `b${n}`);
  const peaks = [64.5, 64.5, 58, 58, 40];
  const events: WindowEvent[] = [
    ...benign.map((userId, n) => ({ userId, score: peaks[n] ?? 0, attack: false })),
    ...benign.slice(0, 100).map((userId) => ({ userId, score: 5, attack: false })),
    { userId: 'x1', score: 10, attack: false },
    { userId: 'x1', score: 90, attack: true },
    { userId: 'x2', score: 59, attack: true },
  ];
  const calibration = calibrate(events, { benign, attacked: ['x1', 'x2'] }, 70, [
    ['medium', 30],
    ['high', 60],
  ]);

  it('finds the lowest integer threshold alerting at most 1% of benign users', () => {
    // 1% of 200 is 2 users: the third-highest peak, 58, must stay below the threshold.
    expect(calibration.calibrated.threshold).toBe(59);
    expect(calibration.calibrated.benignUsers).toEqual(share(2, 200));
    expect(calibration.calibrated.attackUsers).toEqual(share(2, 2));
  });

  it('gives the per-event false-positive rate at it and at the configured threshold', () => {
    // Benign events: 200 peaks, 100 fives and the victim's own 10.
    expect(calibration.calibrated.benignEvents).toEqual(share(2, 301));
    expect(calibration.configured).toEqual({
      threshold: 70,
      benignUsers: share(0, 200),
      benignEvents: share(0, 301),
      attackUsers: share(1, 2),
    });
  });

  it('gives each level floor its share of benign and attack events', () => {
    expect(calibration.levels).toEqual([
      { level: 'medium', floor: 30, benign: share(5, 301), attack: share(2, 2) },
      { level: 'high', floor: 60, benign: share(2, 301), attack: share(1, 2) },
    ]);
  });

  it('is 0 when even a threshold of 0 alerts few enough, and past 100 when no score would', () => {
    expect(
      calibrate([{ userId: 'a', score: 80, attack: false }], { benign: ['a', 'b'], attacked: [] }, 70).calibrated
        .threshold,
    ).toBe(81);
    expect(calibrate([], { benign: ['a'], attacked: [] }, 70).calibrated.threshold).toBe(0);
    const all = calibrate([{ userId: 'a', score: 100, attack: false }], { benign: ['a'], attacked: [] }, 70);
    expect(all.calibrated.threshold).toBe(101);
    expect(all.levels.map((l) => l.floor)).toEqual([80, 60, 30]);
  });
});

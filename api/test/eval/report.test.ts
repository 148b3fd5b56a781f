import { describe, expect, it } from 'vitest';
import { calibrate, checkTargets, type Quality, share } from '../../../bench/eval/metrics.ts';
import { type RunResult, renderReport } from '../../../bench/eval/report.ts';

const q = (auc: number, recallAt1Fpr: number): Quality => ({
  auc,
  recallAt1Fpr,
  precisionAtTop1: 0.1,
  thresholdAt1Fpr: 40,
});

/** Ten benign users whose peaks rise with the seed, and one attacked user. */
const calibration = (seed: number) =>
  calibrate(
    [
      ...Array.from({ length: 10 }, (_, n) => ({ userId: `b${n}`, score: 10 * n + seed, attack: false })),
      { userId: 'x', score: 95, attack: true },
    ],
    { benign: Array.from({ length: 10 }, (_, n) => `b${n}`), attacked: ['x'] },
    70,
  );

const run = (seed: number): RunResult => ({
  family: 'a',
  seed,
  events: 12_345,
  users: 100,
  replaySeconds: 10,
  eventsPerSecond: 1234.5,
  attacks: [
    {
      name: 'sharing',
      events: 50,
      v2: q(0.9, 0.5),
      legacy: q(0.7, 0),
      users: share(4, 4),
      alerted: share(2, 4),
      verdicts: null,
    },
  ],
  benign: [
    {
      name: 'traveller',
      users: 10,
      events: 900,
      v2: q(0.95, 0.6),
      legacy: q(0.6, 0),
      alerted: share(1, 10),
      noVerdict: null,
    },
  ],
  targets: checkTargets({
    overall: { v2: q(0.9, 0.5), legacy: q(0.7, 0) },
    byAttack: [{ attack: 'sharing', v2: q(0.9, 0.5), legacy: q(0.7, 0) }],
    benignAlerted: share(1, 10),
    incidentVerdicts: null,
    benignVerdicts: null,
  }),
  calibration: calibration(seed),
});

describe('renderReport', () => {
  const report = renderReport(
    {
      when: new Date('2026-12-02T04:00:00Z'),
      cores: 2,
      users: 100,
      days: 40,
      windowDays: 30,
      threshold: 70,
      totalSeconds: 120,
      families: [{ name: 'a', description: 'Europe' }],
      sensitiveKinds: ['password_change'],
      verdictField: false,
      engine: 'commit abc1234',
    },
    [run(1), run(2)],
  );

  it('gives each target a line with a column per seed, failing what misses', () => {
    const line = report.split('\n').find((l) => l.startsWith('| ROC AUC of v2'));
    expect(line).toBe('| ROC AUC of v2, all attack events vs benign ≥ 0.98 | FAIL: 0.900 | FAIL: 0.900 |');
    expect(report).toContain('| benign users with an alert in 30 days ≤ 2% | FAIL: 10.0% (1 of 10)');
    expect(report).toContain('—: no verdict field');
  });

  it('states the threshold, the engine measured, and a section per seed with attack and benign rows', () => {
    expect(report).toContain('configured alert threshold (70)');
    expect(report).toContain('commit abc1234');
    expect(report).toContain('## Family a, seed 2');
    expect(report).toContain('| sharing | 50 | 0.900 | 0.700 | 50.0% (≥ 40) |');
    expect(report).toContain('| traveller | 10 | 900 | 0.950 | 0.600 |');
  });

  it('states the calibrated threshold under the targets: the highest of the runs', () => {
    // 1% of 10 users is none: seed 1's top benign peak is 91, seed 2's 92.
    expect(report).toContain('calibrated alert threshold: 93 (');
    const targets = report.indexOf('## Targets');
    expect(report.indexOf('calibrated alert threshold')).toBeGreaterThan(targets);
    expect(report.indexOf('calibrated alert threshold')).toBeLessThan(report.indexOf('## Family a, seed 1'));
  });

  it('tabulates each run’s calibration and what each level floor means', () => {
    expect(report).toContain('| a seed 1 | 92 | 0 of 10 (0.0%) | 0.00% | 30.00% | 1 of 1 (100.0%) | 1 of 1 (100.0%) |');
    expect(report).toContain(
      '| run | critical (≥ 80): benign | attack | high (≥ 60): benign | attack | medium (≥ 30): benign | attack |',
    );
    expect(report).toContain('| a seed 2 | 20.00% | 100.00% | 40.00% | 100.00% | 70.00% | 100.00% |');
  });
});

import { describe, expect, it } from 'vitest';
import { checkTargets, type Quality, share } from '../../../bench/eval/metrics.ts';
import { type RunResult, renderReport } from '../../../bench/eval/report.ts';

const q = (auc: number, recallAt1Fpr: number): Quality => ({
  auc,
  recallAt1Fpr,
  precisionAtTop1: 0.1,
  thresholdAt1Fpr: 40,
});

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
});

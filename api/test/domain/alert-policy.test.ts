import { describe, expect, it } from 'vitest';
import {
  ALERT_STATUSES,
  alertSignals,
  DEFAULT_ALERT_THRESHOLD,
  extendAlert,
  isAlertStatus,
  openAlert,
  raisesAlert,
} from '../../src/domain/alert-policy.ts';
import type { Score } from '../../src/domain/risk/score.ts';
import type { Signal } from '../../src/domain/risk/signals.ts';

const signal = (name: Signal['name'], score: number): Signal => ({ name, score, message: name, evidence: {} });
const score = (risk: number, level: Score['level'], signals: Signal[]): Score => ({ risk, level, signals });

describe('alert policy', () => {
  it('raises an alert at the threshold and above, not below', () => {
    expect(raisesAlert(DEFAULT_ALERT_THRESHOLD - 1, DEFAULT_ALERT_THRESHOLD)).toBe(false);
    expect(raisesAlert(DEFAULT_ALERT_THRESHOLD, DEFAULT_ALERT_THRESHOLD)).toBe(true);
    expect(raisesAlert(100, 90)).toBe(true);
  });

  it("opens an alert with the event's score, level and signals", () => {
    const opened = openAlert(score(75, 'high', [signal('new_device', 0.5), signal('burst', 0.3)]));
    expect(opened.score).toBe(75);
    expect(opened.level).toBe('high');
    expect(alertSignals(opened).map((s) => s.name)).toEqual(['new_device', 'burst']);
  });

  it('escalates an extended alert to the highest score it has seen, never down', () => {
    const opened = openAlert(score(72, 'high', [signal('burst', 0.4)]));
    const higher = extendAlert(opened, score(95, 'critical', [signal('burst', 0.2)]));
    expect(higher).toMatchObject({ score: 95, level: 'critical' });
    const lower = extendAlert(higher, score(71, 'high', []));
    expect(lower).toMatchObject({ score: 95, level: 'critical' });
  });

  it('keeps the strongest signal of each name, strongest first, leaving the alert it extends as it was', () => {
    const opened = openAlert(score(72, 'high', [signal('burst', 0.4), signal('new_device', 0.2)]));
    const extended = extendAlert(opened, score(80, 'high', [signal('new_device', 0.6), signal('burst', 0.1)]));
    expect(alertSignals(extended).map((s) => [s.name, s.score])).toEqual([
      ['new_device', 0.6],
      ['burst', 0.4],
    ]);
    expect(opened.signals.get('new_device')?.score).toBe(0.2);
  });

  it('knows the triage statuses', () => {
    expect(ALERT_STATUSES.every(isAlertStatus)).toBe(true);
    expect(isAlertStatus('closed')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { USER_RISK_HALF_LIFE_MS } from '../../../src/domain/risk/score.ts';
import { attention, levelRank, NO_RISK_KEY, riskKey, severity } from '../../../src/domain/risk/standing.ts';

describe('standing', () => {
  it('ranks levels low 1 to critical 4', () => {
    expect(['low', 'medium', 'high', 'critical'].map((level) => levelRank(level as 'low'))).toEqual([1, 2, 3, 4]);
    expect(levelRank(null)).toBe(0);
  });

  it('takes the higher of the alert and the verdict as attention', () => {
    expect(attention({ alertLevel: 0, verdict: null })).toBe(0);
    expect(attention({ alertLevel: 3, verdict: 'sharing' })).toBe(3);
    expect(attention({ alertLevel: 0, verdict: 'takeover' })).toBe(4);
    expect(attention({ alertLevel: 0, verdict: 'stuffing' })).toBe(3);
  });

  it('orders decayed risk the same at every moment', () => {
    const users = [
      { score: 90, at: 0 },
      { score: 40, at: USER_RISK_HALF_LIFE_MS },
      { score: 12, at: 3 * USER_RISK_HALF_LIFE_MS },
      { score: 70, at: 2 * USER_RISK_HALF_LIFE_MS },
    ];
    const byKey = [...users].sort((a, b) => riskKey(b) - riskKey(a));
    for (const now of [3, 5, 40].map((days) => days * USER_RISK_HALF_LIFE_MS)) {
      const decayed = (u: { score: number; at: number }) => u.score * 2 ** (-(now - u.at) / USER_RISK_HALF_LIFE_MS);
      expect([...users].sort((a, b) => decayed(b) - decayed(a))).toEqual(byKey);
    }
    expect(riskKey(null)).toBe(NO_RISK_KEY);
    expect(riskKey({ score: 0.1, at: 0 })).toBeGreaterThan(NO_RISK_KEY);
  });

  it('never reads low while an alert or a verdict says more, and says what set the level', () => {
    expect(severity(3, { alertLevel: 4, verdict: null })).toEqual({
      level: 'critical',
      scoreLevel: 'low',
      basis: 'open_alert',
    });
    expect(severity(3, { alertLevel: 0, verdict: 'sharing' })).toEqual({
      level: 'medium',
      scoreLevel: 'low',
      basis: 'verdict',
    });
    expect(severity(85, { alertLevel: 3, verdict: 'sharing' })).toEqual({
      level: 'critical',
      scoreLevel: 'critical',
      basis: 'score',
    });
    expect(severity(20, { alertLevel: 0, verdict: null })).toEqual({ level: 'low', scoreLevel: 'low', basis: 'score' });
  });
});

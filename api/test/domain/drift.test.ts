import { describe, expect, it } from 'vitest';
import { type DriftFacts, legacyDrift } from '../../src/domain/drift.ts';

const steady: DriftFacts = {
  ipClassCount: 1,
  osCount: 1,
  browserCount: 1,
  deviceCount: 1,
  latestDevice: 'laptop',
  previousDevice: 'laptop',
};

describe('legacyDrift', () => {
  it('scores a steady user 0 with no reasons', () => {
    expect(legacyDrift(steady)).toEqual({ score: 0, reasons: [] });
  });

  it.each([
    [{ ipClassCount: 2 }, 20, 'Multiple IPs'],
    [{ osCount: 3 }, 5, 'Multiple OS'],
    [{ browserCount: 2 }, 5, 'Multiple Browsers'],
    [{ deviceCount: 2 }, 5, 'Multiple Device Types'],
    [{ latestDevice: 'phone' }, 10, 'Abrupt Device Switch'],
  ] as const)('weighs %j at %i (%s)', (change, weight, label) => {
    const drift = legacyDrift({ ...steady, ...change });
    expect(drift.score).toBe(weight);
    expect(drift.reasons.map((r) => r.label)).toEqual([label]);
    expect(drift.reasons[0]?.weight).toBe(weight);
  });

  it('adds every rule once, in the original order', () => {
    const drift = legacyDrift({
      ipClassCount: 9,
      osCount: 9,
      browserCount: 9,
      deviceCount: 9,
      latestDevice: 'phone',
      previousDevice: 'laptop',
    });
    expect(drift.score).toBe(45);
    expect(drift.reasons.map((r) => r.code)).toEqual([
      'MULTIPLE_IPS',
      'MULTIPLE_OS',
      'MULTIPLE_BROWSERS',
      'MULTIPLE_DEVICE_TYPES',
      'ABRUPT_DEVICE_SWITCH',
    ]);
  });

  it('sees no device switch when either of the two newest events names no device', () => {
    expect(legacyDrift({ ...steady, latestDevice: null }).score).toBe(0);
    expect(legacyDrift({ ...steady, previousDevice: null }).score).toBe(0);
  });

  it('reports IPs and browsers together as the seed example lists them', () => {
    const drift = legacyDrift({ ...steady, ipClassCount: 2, browserCount: 2 });
    expect(drift.reasons.map((r) => r.label)).toEqual(['Multiple IPs', 'Multiple Browsers']);
    expect(drift.score).toBe(25);
  });
});

import { describe, expect, it } from 'vitest';
import {
  type AdjustmentRule,
  Adjustments,
  type AdjustmentTarget,
  adjustScore,
  FEEDBACK_HALF_LIFE_MS,
  FEEDBACK_LIFETIME_MS,
  type Feedback,
  feedbackFactor,
  loweringsOf,
  parseAsn,
  parseClient,
  parseCountry,
  parseIpv4Cidr,
  parseIpv6Prefix,
  parseNetwork,
  ruleLabel,
  similarityKey,
} from '../../../src/domain/risk/adjustments.ts';
import { combine, riskLevel, type Score } from '../../../src/domain/risk/score.ts';
import type { Signal } from '../../../src/domain/risk/signals.ts';
import { DAY, observation, T0 } from './fixtures.ts';

function signal(name: Signal['name'], score: number, evidence: Signal['evidence'] = {}): Signal {
  return { name, score, message: name, evidence };
}

function scoreOf(...signals: Signal[]): Score {
  const risk = combine(signals);
  return { risk, level: riskLevel(risk), signals };
}

function rule(
  id: number,
  t: AdjustmentTarget,
  expiresAt = T0 + DAY,
  source: 'trust' | 'allow' = 'allow',
): AdjustmentRule {
  return { id, source, label: ruleLabel(source, id, 'corp', t), target: t, expiresAt };
}

function network(raw: string): AdjustmentTarget {
  const parsed = parseNetwork(raw);
  if (!parsed.ok) throw new Error(`bad fixture ${raw}`);
  return { kind: 'network', network: parsed.value };
}

const NOVEL_ASN = signal('new_asn', 0.25, { value: '3320' });
const NOVEL_COUNTRY = signal('new_country', 0.4, { value: 'DE' });
const STUFFING = signal('credential_stuffing', 0.85, { evidence: 'failing' });
const SENSITIVE = signal('sensitive_action', 0.5, {});
const FAILED = signal('failed_logins', 0.35, { failures: 4 });

describe('parsing entry values', () => {
  it('reads IPv4 CIDRs as their network, a bare address as /32', () => {
    expect(parseIpv4Cidr('10.1.2.3/8')).toMatchObject({ ok: true, value: { text: '10.0.0.0/8' } });
    expect(parseIpv4Cidr(' 81.2.69.142 ')).toMatchObject({ ok: true, value: { text: '81.2.69.142/32' } });
    for (const bad of ['10.0.0.0/33', '10.0.0/8', '10.0.0.0/8/1', '::1/64', 'AS1', '10.0.0.0/']) {
      expect(parseIpv4Cidr(bad).ok, bad).toBe(false);
    }
  });

  it('reads IPv6 prefixes, refusing IPv4-mapped ones', () => {
    expect(parseIpv6Prefix('2001:db8:1::5/32')).toMatchObject({ ok: true, value: { text: '2001:db8::/32' } });
    expect(parseIpv6Prefix('2001:db8::/129').ok).toBe(false);
    expect(parseIpv6Prefix('::ffff:10.0.0.0/104').ok).toBe(false);
    expect(parseIpv6Prefix('10.0.0.0/8').ok).toBe(false);
  });

  it('reads ASNs with or without AS', () => {
    expect(parseAsn('AS13335')).toMatchObject({ ok: true, value: { asn: 13335, text: 'AS13335' } });
    expect(parseAsn('as13335')).toMatchObject({ ok: true, value: { asn: 13335 } });
    expect(parseAsn('13335')).toMatchObject({ ok: true, value: { asn: 13335 } });
    for (const bad of ['AS0', 'AS', 'AS-1', '4294967296', 'ASX']) expect(parseAsn(bad).ok, bad).toBe(false);
  });

  it('tells a network by its shape', () => {
    expect(parseNetwork('10.0.0.0/8')).toMatchObject({ ok: true, value: { kind: 'cidr', version: 4 } });
    expect(parseNetwork('2001:db8::/48')).toMatchObject({ ok: true, value: { kind: 'cidr', version: 6 } });
    expect(parseNetwork('AS3320')).toMatchObject({ ok: true, value: { kind: 'asn', asn: 3320 } });
    expect(parseNetwork('DE').ok).toBe(false);
  });

  it('reads ISO alpha-2 countries the address data knows', () => {
    expect(parseCountry('de')).toEqual({ ok: true, value: 'DE' });
    for (const bad of ['DEU', 'D', 'ZZ', '12']) expect(parseCountry(bad).ok, bad).toBe(false);
  });

  it('reads client tokens, a device unless prefixed', () => {
    expect(parseClient('Laptop/Windows')).toEqual({
      ok: true,
      value: { dimension: 'device', value: 'laptop/windows' },
    });
    expect(parseClient('browser:chrome')).toEqual({ ok: true, value: { dimension: 'browser', value: 'chrome' } });
    expect(parseClient('os:ios')).toEqual({ ok: true, value: { dimension: 'os', value: 'ios' } });
    expect(parseClient('').ok).toBe(false);
    expect(parseClient('browser:').ok).toBe(false);
  });
});

describe('trust and allow-list entries', () => {
  const event = observation({ network: { ip: '10.20.30.40', asn: 3320, country: 'DE' } });

  it('keep the signals a matching network vouches for at 0, each naming the entry', () => {
    const score = scoreOf(NOVEL_ASN, NOVEL_COUNTRY, signal('anonymous_network', 0.6, { asn: 3320 }));
    const adjusted = adjustScore(score, event, { rules: [rule(12, network('10.0.0.0/8'))], feedback: [] }, T0);
    expect(adjusted.risk).toBe(0);
    expect(adjusted.level).toBe('low');
    expect(adjusted.signals).toHaveLength(3);
    for (const s of adjusted.signals) {
      expect(s.score).toBe(0);
      expect(s.evidence).toMatchObject({ loweredBy: 'allow:12 corp 10.0.0.0/8' });
      expect(s.message).toMatch(/lowered by allow:12 corp 10\.0\.0\.0\/8$/);
    }
    expect(adjusted.signals.find((s) => s.name === 'new_country')?.evidence.scoreBefore).toBe(0.4);
  });

  it('match an ASN, an IPv6 prefix and an IPv4-mapped address', () => {
    const score = scoreOf(NOVEL_ASN);
    const v6 = observation({ network: { ip: '2001:db8:5::1', asn: 64500 } });
    const mapped = observation({ network: { ip: '::ffff:10.1.1.1', asn: 64500 } });
    const only = (t: AdjustmentTarget) => ({ rules: [rule(1, t)], feedback: [] });
    expect(adjustScore(score, event, only(network('AS3320')), T0).risk).toBe(0);
    expect(adjustScore(score, event, only(network('AS3321')), T0)).toBe(score);
    expect(adjustScore(score, v6, only(network('2001:db8::/32')), T0).risk).toBe(0);
    expect(adjustScore(score, v6, only(network('2001:db9::/32')), T0)).toBe(score);
    expect(adjustScore(score, mapped, only(network('10.0.0.0/8')), T0).risk).toBe(0);
    expect(adjustScore(score, v6, only(network('10.0.0.0/8')), T0)).toBe(score);
  });

  it('lower a country only in its novelty', () => {
    const score = scoreOf(NOVEL_ASN, NOVEL_COUNTRY);
    const adjusted = adjustScore(
      score,
      event,
      { rules: [rule(3, { kind: 'country', country: 'DE' })], feedback: [] },
      T0,
    );
    expect(adjusted.signals.map((s) => [s.name, s.score])).toEqual([
      ['new_asn', 0.25],
      ['new_country', 0],
    ]);
    expect(adjusted.risk).toBe(25);
  });

  it('lower a trusted device, its OS and the new-device-on-new-network signal, not a new browser', () => {
    const score = scoreOf(
      signal('new_device', 0.3, { value: 'laptop' }),
      signal('new_os', 0.2, { value: 'windows' }),
      signal('new_browser', 0.12, { value: 'chrome' }),
      signal('new_device_on_new_network', 0.45, { device: 'laptop' }),
    );
    const device = { kind: 'client', dimension: 'device', value: 'laptop' } as const;
    const adjusted = adjustScore(score, event, { rules: [rule(4, device, T0 + DAY, 'trust')], feedback: [] }, T0);
    expect(Object.fromEntries(adjusted.signals.map((s) => [s.name, s.score]))).toEqual({
      new_browser: 0.12,
      new_device: 0,
      new_os: 0,
      new_device_on_new_network: 0,
    });
    const other = { kind: 'client', dimension: 'device', value: 'phone/ios' } as const;
    expect(adjustScore(score, event, { rules: [rule(5, other)], feedback: [] }, T0)).toBe(score);
  });

  it('never lower failed logins, stuffing or sensitive actions', () => {
    const score = scoreOf(STUFFING, SENSITIVE, FAILED, NOVEL_ASN);
    const adjusted = adjustScore(score, event, { rules: [rule(1, network('AS3320'))], feedback: [] }, T0);
    expect(adjusted.signals.filter((s) => s.score > 0).map((s) => s.name)).toEqual([
      'credential_stuffing',
      'sensitive_action',
      'failed_logins',
    ]);
  });

  it('do nothing once expired', () => {
    const score = scoreOf(NOVEL_ASN);
    const expired = { rules: [rule(1, network('AS3320'), T0)], feedback: [] };
    expect(adjustScore(score, event, expired, T0)).toBe(score);
    expect(adjustScore(score, event, expired, T0 - 1).risk).toBe(0);
  });
});

describe('false-positive feedback', () => {
  const alert = [
    signal('new_country', 0.4, { value: 'NG' }),
    signal('new_device_on_new_network', 0.45, { device: 'laptop/linux', country: 'NG' }),
    signal('impossible_travel', 0.7, { to: 'Lagos, NG' }),
    STUFFING,
    FAILED,
    signal('burst', 0.2, { events: 12 }),
  ];
  const feedback: Feedback = {
    id: 7,
    alertId: 3,
    label: 'feedback:7 false positive on alert 3: travelling',
    lowers: loweringsOf(alert),
    createdAt: T0,
    until: T0 + FEEDBACK_LIFETIME_MS,
  };

  it('lowers the alert signals that name a network, device or place, never attack evidence', () => {
    expect(feedback.lowers).toEqual([
      { signal: 'new_country', key: 'value:NG' },
      { signal: 'new_device_on_new_network', key: 'device:laptop/linux' },
      { signal: 'impossible_travel', key: 'to:Lagos, NG' },
    ]);
    expect(similarityKey(signal('session_sharing', 0.3, {}))).toBeNull();
    expect(similarityKey(signal('taken_over_account', 0.4, { network: 'AS1', country: 'FR' }))).toBe('network:AS1 FR');
  });

  it('halves a similar signal when marked and fades back over its half-life until it lapses', () => {
    expect(feedbackFactor(feedback, T0)).toBe(0.5);
    expect(feedbackFactor(feedback, T0 + FEEDBACK_HALF_LIFE_MS)).toBeCloseTo(0.75);
    expect(feedbackFactor(feedback, T0 + FEEDBACK_LIFETIME_MS)).toBe(1);
  });

  it('lowers only similar signals: same name, same value', () => {
    const event = observation();
    const similar = scoreOf(signal('new_country', 0.4, { value: 'NG' }), FAILED);
    const adjusted = adjustScore(similar, event, { rules: [], feedback: [feedback] }, T0);
    const country = adjusted.signals.find((s) => s.name === 'new_country');
    expect(country?.score).toBeCloseTo(0.2);
    expect(country?.evidence).toMatchObject({ loweredBy: feedback.label, scoreBefore: 0.4 });
    expect(adjusted.signals.find((s) => s.name === 'failed_logins')?.score).toBe(0.35);
    expect(adjusted.risk).toBeLessThan(similar.risk);

    const elsewhere = scoreOf(signal('new_country', 0.4, { value: 'GH' }));
    expect(adjustScore(elsewhere, event, { rules: [], feedback: [feedback] }, T0)).toBe(elsewhere);
    const stuffing = scoreOf(STUFFING);
    expect(adjustScore(stuffing, event, { rules: [], feedback: [feedback] }, T0)).toBe(stuffing);
  });

  it('does not compound: the strongest of several similar marks applies', () => {
    const older = { ...feedback, id: 8, createdAt: T0 - FEEDBACK_HALF_LIFE_MS, label: 'older' };
    const score = scoreOf(signal('new_country', 0.4, { value: 'NG' }));
    const adjusted = adjustScore(score, observation(), { rules: [], feedback: [older, feedback] }, T0);
    expect(adjusted.signals[0]?.score).toBeCloseTo(0.2);
    expect(adjusted.signals[0]?.evidence.loweredBy).toBe(feedback.label);
  });
});

describe('Adjustments (the in-memory index)', () => {
  it('is empty with no entries and hands each user their own and the organisation’s', () => {
    const index = new Adjustments();
    expect(index.empty).toBe(true);
    const allow = rule(1, network('AS1'));
    const trust = rule(2, network('AS2'), T0 + DAY, 'trust');
    index.addAllow(allow);
    index.addTrust('alice', trust);
    expect(index.empty).toBe(false);
    expect(index.forUser('alice').rules).toEqual([trust, allow]);
    expect(index.forUser('bob').rules).toEqual([allow]);
    index.removeAllow(1);
    expect(index.forUser('bob').rules).toEqual([]);
    index.removeTrust('alice', 2);
    expect(index.empty).toBe(true);
    index.addFeedback('alice', { id: 1, alertId: 1, label: 'x', lowers: [], createdAt: T0, until: T0 + 1 });
    expect(index.forUser('alice').feedback).toHaveLength(1);
    index.forgetUser('alice');
    expect(index.empty).toBe(true);
  });
});

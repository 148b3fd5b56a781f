import { describe, expect, it } from 'vitest';
import { ATTACK_TYPES, FAMILIES, type Family } from '../../../bench/eval/families.ts';
import { distanceKm, generatePopulation } from '../../../bench/eval/population.ts';
import { parseLegacyBatch } from '../../src/domain/event-input.ts';
import { ipScope } from '../../src/domain/risk/network.ts';

const familyA = FAMILIES.a as Family;
const familyB = FAMILIES.b as Family;
const options = { users: 1000, days: 21, seed: 1 };
const a = generatePopulation({ ...options, family: familyA });
const b = generatePopulation({ ...options, family: familyB });

describe('evaluation populations', () => {
  it('are the same for the same seed and differ between seeds', () => {
    const small = { users: 200, days: 21, family: familyA };
    const once = generatePopulation({ ...small, seed: 1 });
    expect(generatePopulation({ ...small, seed: 1 }).events.map((e) => e.body)).toEqual(once.events.map((e) => e.body));
    expect(generatePopulation({ ...small, seed: 2 }).events.length).not.toBe(once.events.length);
  });

  it('are valid ingest events with unique ids and public addresses, in time order across users', () => {
    for (const population of [a, b]) {
      const bodies = population.events.map((e) => e.body);
      // Validating is slow; every attack event and a sample of the rest is enough to catch a bad field.
      const sample = population.events.filter((e, i) => e.label !== 'benign' || i % 25 === 0).map((e) => e.body);
      const parsed = parseLegacyBatch(sample);
      expect(parsed.ok ? [] : parsed.issues).toEqual([]);
      expect(new Set(bodies.map((e) => e.event_id)).size).toBe(bodies.length);
      expect(bodies.every((e, i) => i === 0 || (bodies[i - 1]?.timestamp ?? 0) <= e.timestamp)).toBe(true);
      expect(bodies.every((e) => ipScope(String(e.meta.ip)) === 'public')).toBe(true);
      // Interleaved: the first hundred events come from many users, not one after another.
      expect(new Set(bodies.slice(0, 100).map((e) => e.user_id)).size).toBeGreaterThan(20);
    }
  });

  it('hold every attack type and the sensitive actions that follow takeovers', () => {
    for (const population of [a, b]) {
      const labels = new Set(population.events.map((e) => e.label));
      for (const attack of ATTACK_TYPES) expect(labels).toContain(attack);
      const takeoverKinds = population.events.filter((e) => e.label.startsWith('takeover')).map((e) => e.body.kind);
      expect(takeoverKinds).toContain('password_change');
    }
  });

  it('crowd shared networks: some /24 carries a hundred or more unrelated benign users', () => {
    for (const population of [a, b]) {
      const usersPerSubnet = new Map<string, Set<string>>();
      for (const { body, label } of population.events) {
        if (label !== 'benign') continue;
        const subnet = String(body.meta.ip).split('.').slice(0, 3).join('.');
        const users = usersPerSubnet.get(subnet) ?? new Set<string>();
        users.add(body.user_id);
        usersPerSubnet.set(subnet, users);
      }
      expect(Math.max(...[...usersPerSubnet.values()].map((u) => u.size))).toBeGreaterThanOrEqual(100);
    }
  });

  it('travellers fly at plausible speeds: no benign user is ever faster than a jet between cities', () => {
    // Family b's producers send coordinates for some users: check every move of theirs.
    const last = new Map<string, { lat: number; lon: number; at: number }>();
    let moves = 0;
    const tooFast: string[] = [];
    for (const { body, label } of b.events) {
      if (label !== 'benign' || typeof body.meta.lat !== 'number' || typeof body.meta.lon !== 'number') continue;
      const here = { lat: body.meta.lat, lon: body.meta.lon, at: body.timestamp };
      const before = last.get(body.user_id);
      last.set(body.user_id, here);
      if (before === undefined) continue;
      const km = distanceKm(before, here);
      if (km < 500) continue;
      moves += 1;
      const kmh = km / ((here.at - before.at) / 3_600_000);
      if (kmh > 900) tooFast.push(`${body.user_id}: ${Math.round(km)} km at ${Math.round(kmh)} km/h`);
    }
    expect(moves).toBeGreaterThan(5);
    expect(tooFast).toEqual([]);
  });

  it('stealth takeovers use the victim’s own user agent', () => {
    const agentsOf = new Map<string, Set<unknown>>();
    for (const { body, label } of a.events) {
      if (label !== 'benign') continue;
      const agents = agentsOf.get(body.user_id) ?? new Set();
      agents.add(body.meta.user_agent);
      agentsOf.set(body.user_id, agents);
    }
    const stealth = a.events.filter((e) => e.label === 'takeover: stealth VPN/hosting');
    expect(stealth.length).toBeGreaterThan(0);
    expect(stealth.every((e) => agentsOf.get(e.body.user_id)?.has(e.body.meta.user_agent))).toBe(true);
  });

  it('differ between families in device vocabulary and in what producers send', () => {
    const agents = (p: typeof a) => new Set(p.events.map((e) => e.body.meta.user_agent));
    const inB = agents(b);
    expect([...agents(a)].filter((ua) => inB.has(ua))).toEqual([]);
    expect(a.events.some((e) => 'browser' in e.body.meta)).toBe(true);
    expect(b.events.some((e) => 'browser' in e.body.meta)).toBe(false);
    expect(b.events.some((e) => 'lat' in e.body.meta)).toBe(true);
  });
});

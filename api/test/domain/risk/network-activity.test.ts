import { describe, expect, it } from 'vitest';
import { ATTACK_WINDOW_MS, NetworkActivityWindow } from '../../../src/domain/risk/network-activity.ts';
import { MINUTE, T0 } from './fixtures.ts';

const IP = '198.51.99.7';
const SUBNET = '198.51.99.0/24';

function login(
  userId: string,
  at: number,
  overrides: { ip?: string | null; subnet?: string | null; failed?: boolean } = {},
) {
  return { userId, at, ip: IP, subnet: SUBNET, failed: false, ...overrides };
}

describe('NetworkActivityWindow', () => {
  it('looks back 10 minutes by default', () => {
    expect(ATTACK_WINDOW_MS).toBe(10 * MINUTE);
    expect(new NetworkActivityWindow().windowMs).toBe(10 * MINUTE);
    expect(new NetworkActivityWindow(MINUTE).windowMs).toBe(MINUTE);
  });

  it('counts the event itself', () => {
    const window = new NetworkActivityWindow();
    expect(window.observe(login('u1', T0))).toEqual({
      usersOnIp: 1,
      usersOnSubnet: 1,
      failuresOnIp: 0,
      windowMs: ATTACK_WINDOW_MS,
    });
  });

  it('counts distinct users per IP and per subnet', () => {
    const window = new NetworkActivityWindow();
    window.observe(login('u1', T0));
    window.observe(login('u2', T0 + MINUTE));
    window.observe(login('u3', T0 + 2 * MINUTE, { ip: '198.51.99.8' }));
    const activity = window.observe(login('u4', T0 + 3 * MINUTE));
    expect(activity.usersOnIp).toBe(3);
    expect(activity.usersOnSubnet).toBe(4);
  });

  it('counts the same user twice once', () => {
    const window = new NetworkActivityWindow();
    window.observe(login('u1', T0));
    window.observe(login('u1', T0 + MINUTE));
    const activity = window.observe(login('u1', T0 + 2 * MINUTE));
    expect(activity.usersOnIp).toBe(1);
    expect(activity.usersOnSubnet).toBe(1);
  });

  it('keeps IPs and subnets apart', () => {
    const window = new NetworkActivityWindow();
    for (let index = 0; index < 6; index += 1) window.observe(login(`u${index}`, T0 + index));
    const elsewhere = window.observe(login('v1', T0 + 10, { ip: '203.0.114.1', subnet: '203.0.114.0/24' }));
    expect(elsewhere.usersOnIp).toBe(1);
    expect(elsewhere.usersOnSubnet).toBe(1);
  });

  it('forgets users whose last event left the window', () => {
    const window = new NetworkActivityWindow();
    window.observe(login('u1', T0));
    window.observe(login('u2', T0 + 5 * MINUTE));
    // Exactly at the edge u1 still counts.
    expect(window.observe(login('u3', T0 + ATTACK_WINDOW_MS)).usersOnIp).toBe(3);
    // One millisecond later it has expired.
    const later = window.observe(login('u3', T0 + ATTACK_WINDOW_MS + 1));
    expect(later.usersOnIp).toBe(2);
    expect(later.usersOnSubnet).toBe(2);
    // Much later only the newcomer is left.
    expect(window.observe(login('u4', T0 + 60 * MINUTE)).usersOnIp).toBe(1);
  });

  it('keeps a returning user alive from their latest event', () => {
    const window = new NetworkActivityWindow();
    window.observe(login('u1', T0));
    window.observe(login('u2', T0 + MINUTE));
    window.observe(login('u1', T0 + 8 * MINUTE));
    // At T0 + 12 min u1's first event has expired but their second has not; u2 is gone.
    const activity = window.observe(login('u3', T0 + 12 * MINUTE));
    expect(activity.usersOnIp).toBe(2);
  });

  it('counts failed logins on the IP within the window, across users', () => {
    const window = new NetworkActivityWindow();
    window.observe(login('u1', T0, { failed: true }));
    window.observe(login('u1', T0 + MINUTE, { failed: true }));
    window.observe(login('u2', T0 + 2 * MINUTE, { failed: true }));
    const success = window.observe(login('u2', T0 + 3 * MINUTE));
    expect(success.failuresOnIp).toBe(3);
    expect(success.usersOnIp).toBe(2);
    // Failures expire with the window too.
    expect(window.observe(login('u3', T0 + 11 * MINUTE + 30_000)).failuresOnIp).toBe(1);
    expect(window.observe(login('u3', T0 + 13 * MINUTE)).failuresOnIp).toBe(0);
  });

  it('does not count failures from another IP on the same subnet', () => {
    const window = new NetworkActivityWindow();
    window.observe(login('u1', T0, { ip: '198.51.99.9', failed: true }));
    expect(window.observe(login('u2', T0 + MINUTE)).failuresOnIp).toBe(0);
  });

  it('reports nothing for an event without an address', () => {
    const window = new NetworkActivityWindow();
    window.observe(login('u1', T0));
    expect(window.observe(login('u2', T0, { ip: null, subnet: null, failed: true }))).toEqual({
      usersOnIp: 0,
      usersOnSubnet: 0,
      failuresOnIp: 0,
      windowMs: ATTACK_WINDOW_MS,
    });
    const subnetOnly = window.observe(login('u3', T0 + 1, { ip: null }));
    expect(subnetOnly.usersOnIp).toBe(0);
    expect(subnetOnly.usersOnSubnet).toBe(2);
  });

  it('sees a credential-stuffing run: one IP, many accounts', () => {
    const window = new NetworkActivityWindow();
    const counts = Array.from(
      { length: 25 },
      (_, index) =>
        window.observe(login(`victim-${index}`, T0 + index * 10_000, { failed: index % 5 !== 0 })).usersOnIp,
    );
    expect(counts).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
    expect(window.observe(login('victim-25', T0 + 250_000, { failed: true })).failuresOnIp).toBe(21);
  });

  it('stays bounded under a flood of addresses, and a busy IP outlives the quiet ones', () => {
    const window = new NetworkActivityWindow();
    let busy = 0;
    for (let index = 0; index < 30_000; index += 1) {
      const at = T0 + index;
      // Within one window: nothing expires, so only the bound can drop keys.
      window.observe(login(`user-${index}`, at, { ip: `203.${(index >> 8) & 255}.${index & 255}.9`, subnet: null }));
      if (index % 100 === 0) busy = window.observe(login(`victim-${index / 100}`, at)).usersOnIp;
      expect(window.size).toBeLessThanOrEqual(10_000);
    }
    // The stuffing IP was seen all along: it was never the least recently seen, so its count is whole.
    expect(busy).toBe(300);
    expect(window.size).toBeGreaterThan(7_000);
  });

  it('prunes the least recently seen keys, even after an event from the far future', () => {
    const window = new NetworkActivityWindow();
    // A producer's clock is off by years: the key it touched is the newest by far.
    window.observe(login('skewed', T0 + 3 * 365 * 24 * 60 * MINUTE, { ip: '192.0.2.99', subnet: null }));
    window.observe(login('early', T0, { ip: '192.0.2.1', subnet: null }));
    for (let index = 0; index < 9_998; index += 1) {
      window.observe(
        login(`later-${index}`, T0 + 1 + index, { ip: `203.${index >> 8}.${index & 255}.9`, subnet: null }),
      );
    }
    // The 10,001st key triggers the prune: the 2,501 least recently seen go, the skewed key and the later ones stay.
    window.observe(login('new', T0 + 20_000, { ip: '192.0.2.2', subnet: null }));
    expect(window.size).toBe(7_500);
    expect(window.observe(login('again', T0 + 20_001, { ip: '192.0.2.1', subnet: null })).usersOnIp).toBe(1);
    expect(window.observe(login('late', T0 + 19_000, { ip: '203.38.255.9', subnet: null })).usersOnIp).toBe(2);
  });

  it('keeps failures in time order when they arrive late, so expired ones are dropped', () => {
    const window = new NetworkActivityWindow(MINUTE);
    window.observe(login('a', T0 + 30_000, { failed: true }));
    window.observe(login('b', T0, { failed: true }));
    // 70 s after the first: the late one (at T0) has expired and is dropped, the other is in.
    expect(window.observe(login('c', T0 + 70_000)).failuresOnIp).toBe(1);
    // Dropped, not merely out of range: an event back at T0 + 5 s no longer sees it.
    expect(window.observe(login('d', T0 + 5_000)).failuresOnIp).toBe(1);
  });

  it('honours a custom window', () => {
    const window = new NetworkActivityWindow(MINUTE);
    window.observe(login('u1', T0));
    expect(window.observe(login('u2', T0 + MINUTE)).usersOnIp).toBe(2);
    const later = window.observe(login('u3', T0 + 2 * MINUTE + 1));
    expect(later.usersOnIp).toBe(1);
    expect(later.windowMs).toBe(MINUTE);
  });
});

describe('NetworkActivityWindow with late events', () => {
  it('counts only accounts and failures within the window around each event', () => {
    const window = new NetworkActivityWindow();
    window.observe(login('A', T0 + 20 * MINUTE, { failed: true }));
    // B arrives late: twenty minutes before A.
    expect(window.observe(login('B', T0, { failed: true }))).toMatchObject({ usersOnIp: 1, failuresOnIp: 1 });
    const after = window.observe(login('C', T0 + 25 * MINUTE));
    expect(after).toMatchObject({ usersOnIp: 2, failuresOnIp: 1 });
  });
});

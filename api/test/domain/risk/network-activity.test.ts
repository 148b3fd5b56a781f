import { describe, expect, it } from 'vitest';
import {
  type ActivityEvent,
  ATTACK_WINDOW_MS,
  NetworkActivityWindow,
} from '../../../src/domain/risk/network-activity.ts';
import { DAY, MINUTE, T0 } from './fixtures.ts';

const IP = '198.51.99.7';
const SUBNET = '198.51.99.0/24';
const ASN = 64500;

/** A successful login from an account whose own network this is, unless told otherwise. */
function login(userId: string, at: number, overrides: Partial<ActivityEvent> = {}): ActivityEvent {
  return { userId, at, ip: IP, subnet: SUBNET, asn: ASN, failed: false, ownNetwork: true, ...overrides };
}
const stranger = { ownNetwork: false };
const failing = { ownNetwork: false, failed: true };

describe('NetworkActivityWindow', () => {
  it('looks back 10 minutes by default', () => {
    expect(ATTACK_WINDOW_MS).toBe(10 * MINUTE);
    expect(new NetworkActivityWindow().windowMs).toBe(10 * MINUTE);
    expect(new NetworkActivityWindow(MINUTE).windowMs).toBe(MINUTE);
  });

  it('counts the event itself, per IP, subnet and ASN', () => {
    const window = new NetworkActivityWindow();
    const one = { accounts: 1, newcomers: 0, failing: 0, failingNewcomers: 0, usual: 1 };
    expect(window.observe(login('u1', T0))).toEqual({
      ip: one,
      subnet: one,
      asn: one,
      ownNetwork: true,
      windowMs: ATTACK_WINDOW_MS,
    });
  });

  it('counts distinct accounts, each once, keeping IPs, subnets and ASNs apart', () => {
    const window = new NetworkActivityWindow();
    window.observe(login('u1', T0));
    window.observe(login('u2', T0 + MINUTE));
    window.observe(login('u1', T0 + MINUTE));
    window.observe(login('u3', T0 + 2 * MINUTE, { ip: '198.51.99.8' }));
    window.observe(login('u4', T0 + 2 * MINUTE, { ip: '203.0.114.1', subnet: '203.0.114.0/24' }));
    const activity = window.observe(login('u5', T0 + 3 * MINUTE));
    expect(activity.ip?.accounts).toBe(3);
    expect(activity.subnet?.accounts).toBe(4);
    expect(activity.asn?.accounts).toBe(5);
  });

  it('tells accounts new to the network, failing accounts and failing newcomers apart', () => {
    const window = new NetworkActivityWindow();
    window.observe(login('own-failing', T0, { failed: true }));
    window.observe(login('own', T0 + 1));
    window.observe(login('new', T0 + 2, stranger));
    window.observe(login('new-failing', T0 + 3, failing));
    // A failure stays counted for the account after a later success.
    const after = window.observe(login('new-failing', T0 + 4, stranger));
    expect(after.ip).toEqual({ accounts: 4, newcomers: 2, failing: 2, failingNewcomers: 1, usual: 2 });
  });

  it('judges whether the network is an account’s own as of its latest event', () => {
    const window = new NetworkActivityWindow();
    window.observe(login('u1', T0, stranger));
    expect(window.observe(login('u1', T0 + MINUTE)).ip?.newcomers).toBe(0);
  });

  it('forgets accounts whose latest event left the window', () => {
    const window = new NetworkActivityWindow();
    window.observe(login('u1', T0, failing));
    window.observe(login('u2', T0 + 5 * MINUTE));
    // Exactly at the edge u1 still counts; one millisecond later it has expired, with its failure.
    expect(window.observe(login('u3', T0 + ATTACK_WINDOW_MS)).ip).toMatchObject({ accounts: 3, failing: 1 });
    const later = window.observe(login('u3', T0 + ATTACK_WINDOW_MS + 1));
    expect(later.ip).toMatchObject({ accounts: 2, newcomers: 0, failing: 0, failingNewcomers: 0 });
    expect(window.observe(login('u4', T0 + 60 * MINUTE)).ip?.accounts).toBe(1);
  });

  it('keeps a returning account alive from its latest event', () => {
    const window = new NetworkActivityWindow();
    window.observe(login('u1', T0));
    window.observe(login('u2', T0 + MINUTE));
    window.observe(login('u1', T0 + 8 * MINUTE));
    expect(window.observe(login('u3', T0 + 12 * MINUTE)).ip?.accounts).toBe(2);
  });

  it('reports nothing for a network the event does not have', () => {
    const window = new NetworkActivityWindow();
    window.observe(login('u1', T0));
    const none = window.observe(login('u2', T0, { ip: null, subnet: null, asn: null, ...failing }));
    expect(none).toEqual({ ip: null, subnet: null, asn: null, ownNetwork: false, windowMs: ATTACK_WINDOW_MS });
    const subnetOnly = window.observe(login('u3', T0 + 1, { ip: null, asn: null }));
    expect(subnetOnly.ip).toBeNull();
    expect(subnetOnly.subnet?.accounts).toBe(2);
  });

  it('sees a credential-stuffing run: one IP failing across many accounts new to it', () => {
    const window = new NetworkActivityWindow();
    let last = window.observe(login('victim-0', T0, failing));
    for (let index = 1; index < 40; index += 1) {
      last = window.observe(login(`victim-${index}`, T0 + index * 5_000, index % 10 === 0 ? stranger : failing));
    }
    expect(last.ip).toEqual({ accounts: 40, newcomers: 40, failing: 37, failingNewcomers: 37, usual: 0 });
  });

  it('learns how many of its own accounts a crowded network carries, and that it fades over weeks', () => {
    const window = new NetworkActivityWindow();
    // An evening peak: 300 accounts whose own network this /24 is, within minutes.
    for (let index = 0; index < 300; index += 1) {
      window.observe(login(`home-${index}`, T0 + index * 1_000, { ip: `198.51.99.${index % 250}` }));
    }
    // The peak was reached at the 300th account; it fades with a week's half-life.
    const faded = (at: number) => Math.round(3000 * 2 ** (-(at - (T0 + 299_000)) / (7 * DAY))) / 10;
    const nextDay = window.observe(login('home-0', T0 + DAY, { ip: '198.51.99.0' }));
    expect(nextDay.subnet?.usual).toBe(faded(T0 + DAY));
    expect(nextDay.subnet?.usual).toBeCloseTo(272, 0);
    expect(nextDay.subnet?.accounts).toBe(1);
    const weekLater = window.observe(login('home-0', T0 + 8 * DAY, { ip: '198.51.99.0' }));
    expect(weekLater.subnet?.usual).toBe(faded(T0 + 8 * DAY));
    // Accounts new to it never raise it: an attack cannot make itself usual.
    for (let index = 0; index < 500; index += 1) {
      window.observe(login(`bot-${index}`, T0 + 8 * DAY + index, { ip: '198.51.99.66', ...failing }));
    }
    expect(window.observe(login('home-1', T0 + 8 * DAY + MINUTE)).subnet?.usual).toBe(faded(T0 + 8 * DAY + MINUTE));
  });

  it('caps the accounts held per network at 1,000, dropping the least recently seen', () => {
    const window = new NetworkActivityWindow();
    for (let index = 0; index < 1_200; index += 1) window.observe(login(`u${index}`, T0 + index, failing));
    expect(window.observe(login('u1199', T0 + 1_200, failing)).ip).toMatchObject({
      accounts: 1_000,
      failingNewcomers: 1_000,
    });
  });

  it('stays bounded under a flood of addresses, and a busy IP outlives the quiet ones', () => {
    const window = new NetworkActivityWindow();
    let busy = 0;
    let largest = 0;
    for (let index = 0; index < 40_000; index += 1) {
      const at = T0 + index;
      // Within one window: nothing expires, so only the bound can drop keys.
      window.observe(
        login(`user-${index}`, at, { ip: `203.${(index >> 8) & 255}.${index & 255}.9`, subnet: null, asn: null }),
      );
      if (index % 100 === 0) busy = window.observe(login(`victim-${index / 100}`, at, failing)).ip?.accounts ?? 0;
      largest = Math.max(largest, window.size);
    }
    expect(largest).toBe(15_000);
    expect(busy).toBe(400);
    expect(window.size).toBeGreaterThan(11_000);
  });

  it('keeps a crowded network’s usual count when its key is pruned', () => {
    const window = new NetworkActivityWindow();
    for (let index = 0; index < 50; index += 1) window.observe(login(`home-${index}`, T0 + index, { asn: null }));
    // Thousands of other addresses push the /24 and its IP out of the window.
    for (let index = 0; index < 20_000; index += 1) {
      window.observe(
        login(`user-${index}`, T0 + 100 + index, { ip: `203.${index >> 8}.${index & 255}.9`, subnet: null, asn: null }),
      );
    }
    const back = window.observe(login('home-0', T0 + 30 * MINUTE, { asn: null }));
    expect(back.subnet?.accounts).toBe(1);
    expect(back.subnet?.usual).toBeCloseTo(50, 0);
  });

  it('prunes the least recently seen keys, even after an event from the far future', () => {
    const window = new NetworkActivityWindow();
    const only = (ip: string) => ({ ip, subnet: null, asn: null });
    window.observe(login('skewed', T0 + 3 * 365 * DAY, only('192.0.2.99')));
    window.observe(login('early', T0, only('192.0.2.1')));
    for (let index = 0; index < 14_998; index += 1) {
      window.observe(login(`later-${index}`, T0 + 1 + index, only(`203.${index >> 8}.${index & 255}.9`)));
    }
    // The 15,001st key triggers the prune: the 3,751 least recently seen go, the skewed key and the later ones stay.
    window.observe(login('new', T0 + 20_000, only('192.0.2.2')));
    expect(window.size).toBe(11_250);
    expect(window.observe(login('again', T0 + 20_001, only('192.0.2.1'))).ip?.accounts).toBe(1);
    expect(window.observe(login('late', T0 + 19_000, only('203.58.149.9'))).ip?.accounts).toBe(2);
  });

  it('drops a deleted account from every network', () => {
    const window = new NetworkActivityWindow();
    window.observe(login('gone', T0, failing));
    window.observe(login('stays', T0 + 1));
    window.forget('gone');
    expect(window.observe(login('stays', T0 + 2)).ip).toMatchObject({ accounts: 1, failing: 0, newcomers: 0 });
  });
});

describe('NetworkActivityWindow with late events', () => {
  it('counts a late event against the window around its own time, without recording it', () => {
    const window = new NetworkActivityWindow();
    window.observe(login('A', T0 + 20 * MINUTE, failing));
    // B arrives late: twenty minutes before A, so A is outside B's window.
    expect(window.observe(login('B', T0, failing)).ip).toMatchObject({ accounts: 1, failingNewcomers: 1 });
    expect(window.observe(login('C', T0 + 25 * MINUTE)).ip).toMatchObject({ accounts: 2, failingNewcomers: 1 });
  });

  it('counts an event a little late as of the window it falls in', () => {
    const window = new NetworkActivityWindow();
    window.observe(login('A', T0 + 5 * MINUTE, failing));
    expect(window.observe(login('B', T0, failing)).ip).toMatchObject({ accounts: 2, failingNewcomers: 2 });
  });
});

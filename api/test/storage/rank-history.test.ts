import { describe, expect, it } from 'vitest';
import { RankHistory, type RankValues } from '../../src/storage/rank-history.ts';

const values = (driftScore: number): RankValues => ({
  attention: 0,
  riskKey: 0,
  driftScore,
  lastSeen: 0,
  eventCount: 1,
  verdict: null,
});

describe('RankHistory', () => {
  it('remembers nothing while no walk is going on', () => {
    const history = new RankHistory();
    history.record([['a', values(1)]], 0);
    const asOf = history.begin(0);
    expect(history.changedSince(asOf).size).toBe(0);
  });

  it('gives each user changed since a walk began the values they had then', () => {
    const history = new RankHistory();
    const asOf = history.begin(0);
    history.record(
      [
        ['a', values(1)],
        ['new', null],
      ],
      1,
    );
    history.record([['a', values(2)]], 2);
    expect(history.resume(asOf, 3)).toBe(true);
    expect(history.changedSince(asOf)).toEqual(
      new Map<string, RankValues | null>([
        ['a', values(1)],
        ['new', null],
      ]),
    );
  });

  it('lets a walk idle for fifteen minutes go, and a later walk cannot pretend to be it', () => {
    const history = new RankHistory();
    const old = history.begin(0);
    history.record([['a', values(1)]], 1);
    const minutes = 60_000;
    history.record([['b', values(1)]], 16 * minutes);
    expect(history.resume(old, 16 * minutes)).toBe(false);
    const fresh = history.begin(16 * minutes);
    history.record([['c', values(1)]], 17 * minutes);
    expect(history.resume(fresh, 17 * minutes)).toBe(true);
    expect([...history.changedSince(fresh).keys()]).toEqual(['c']);
  });

  it('keeps a walk that turned a page through ten idle minutes, an unturned first page for two', () => {
    const minutes = 60_000;
    const history = new RankHistory();
    const walk = history.begin(0);
    history.record([['a', values(1)]], 1 * minutes);
    expect(history.resume(walk, 1 * minutes)).toBe(true);
    history.record([['b', values(1)]], 11 * minutes);
    expect(history.resume(walk, 11 * minutes)).toBe(true);
    expect([...history.changedSince(walk).keys()]).toEqual(['a', 'b']);

    const glance = history.begin(11 * minutes);
    history.record([['c', values(1)]], 14 * minutes);
    expect(history.resume(glance, 14 * minutes)).toBe(false);
    expect(history.resume(walk, 14 * minutes)).toBe(true);
  });

  it('refuses sequence numbers it never handed out', () => {
    const history = new RankHistory();
    history.begin(0);
    expect(history.resume(5, 0)).toBe(false);
    expect(history.resume(-1, 0)).toBe(false);
  });
});

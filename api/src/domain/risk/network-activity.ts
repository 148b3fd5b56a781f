import type { NetworkActivity } from './signals.ts';

/** How far back "many accounts from one IP" looks. */
export const ATTACK_WINDOW_MS = 10 * 60 * 1000;
/**
 * IPs and subnets tracked at once. A flood of addresses cannot grow memory:
 * past this many, the least recently seen go, down to PRUNED_KEYS. A rig
 * hitting many accounts keeps its key recent; 10,000 bounded the window to a
 * few MB in the benchmark. Recency is relative, so one event with a far
 * future timestamp cannot make every other key look stale.
 */
const MAX_KEYS = 10_000;
/**
 * Pruning in one pass down to three quarters costs O(1) per new key. Keeping
 * the keys in least-recently-seen order instead (a delete and re-insert per
 * event) left the Map's start full of deleted slots, which every eviction
 * scan walked over: 12 µs per event once the window was full.
 */
const PRUNED_KEYS = 7_500;
/** Per key: enough to tell "many" apart from "a few", bounded under attack. */
const MAX_PER_KEY = 1000;

interface Seen {
  /** userId → last time seen from this key. */
  users: Map<string, number>;
  failures: number[];
  last: number;
}

/**
 * Which accounts each IP and subnet touched recently, across all users: the
 * one piece of v2 context that is not per user. Kept in memory by the single
 * writer and refilled from the newest stored events at start.
 */
export class NetworkActivityWindow {
  readonly #keys = new Map<string, Seen>();
  readonly windowMs: number;

  constructor(windowMs: number = ATTACK_WINDOW_MS) {
    this.windowMs = windowMs;
  }

  /** Records an event, then says what its IP and subnet have been up to around its time (this event included). */
  observe(event: {
    userId: string;
    at: number;
    ip: string | null;
    subnet: string | null;
    failed: boolean;
  }): NetworkActivity {
    const onIp = event.ip === null ? null : this.#touch(`ip:${event.ip}`, event);
    const onSubnet = event.subnet === null ? null : this.#touch(`net:${event.subnet}`, event);
    return {
      usersOnIp: onIp?.users ?? 0,
      usersOnSubnet: onSubnet?.users ?? 0,
      failuresOnIp: onIp?.failures ?? 0,
      windowMs: this.windowMs,
    };
  }

  /** Drops a user from every window (their data was deleted). */
  forget(userId: string): void {
    for (const seen of this.#keys.values()) seen.users.delete(userId);
  }

  /** IPs and subnets held (for tests of the bound). */
  get size(): number {
    return this.#keys.size;
  }

  #touch(key: string, event: { userId: string; at: number; failed: boolean }): { users: number; failures: number } {
    let seen = this.#keys.get(key);
    if (seen === undefined) {
      seen = { users: new Map<string, number>(), failures: [], last: event.at };
      this.#keys.set(key, seen);
      if (this.#keys.size > MAX_KEYS) this.#prune();
    }
    // Entries older than the window before the newest event seen can never count again.
    const expired = Math.max(seen.last, event.at) - this.windowMs;
    for (const [user, at] of seen.users) if (at < expired) seen.users.delete(user);
    // Failures are kept oldest first, so the expired ones are a prefix.
    if (seen.failures.length > 0 && (seen.failures[0] as number) < expired) {
      seen.failures = seen.failures.filter((at) => at >= expired);
    }
    const previous = seen.users.get(event.userId);
    // Re-inserting keeps this small map in least-recently-seen order for the cap below.
    seen.users.delete(event.userId);
    seen.users.set(event.userId, Math.max(event.at, previous ?? event.at));
    if (seen.users.size > MAX_PER_KEY) seen.users.delete(seen.users.keys().next().value as string);
    if (event.failed) {
      seen.failures.push(event.at);
      const count = seen.failures.length;
      if (count > 1 && (seen.failures[count - 2] as number) > event.at) seen.failures.sort((a, b) => a - b);
    }
    if (seen.failures.length > MAX_PER_KEY) seen.failures.shift();
    seen.last = Math.max(seen.last, event.at);
    // What counts is the window around this event's own time: a late event
    // must not see accounts from long after it, nor ones long before.
    const from = event.at - this.windowMs;
    const to = event.at + this.windowMs;
    let users = 0;
    for (const at of seen.users.values()) if (at >= from && at <= to) users += 1;
    let failures = 0;
    for (const at of seen.failures) if (at >= from && at <= to) failures += 1;
    return { users, failures };
  }

  /** Drops the least recently seen keys, down to PRUNED_KEYS. */
  #prune(): void {
    let excess = this.#keys.size - PRUNED_KEYS;
    const lasts = Array.from(this.#keys.values(), (seen) => seen.last).sort((a, b) => a - b);
    const cutoff = lasts[excess - 1] as number;
    for (const [key, seen] of this.#keys) {
      if (excess === 0) break;
      if (seen.last <= cutoff) {
        this.#keys.delete(key);
        excess -= 1;
      }
    }
  }
}

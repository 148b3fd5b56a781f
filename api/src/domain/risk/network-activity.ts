import type { NetworkActivity } from './signals.ts';

/** How far back "many accounts from one IP" looks. */
export const ATTACK_WINDOW_MS = 10 * 60 * 1000;
/**
 * IPs and subnets tracked at once; the least recently seen go first, so a
 * flood of addresses cannot grow memory. A rig hitting many accounts keeps
 * its key recent; 10,000 bounded the window to a few MB in the benchmark.
 */
const MAX_KEYS = 10_000;
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

  #touch(key: string, event: { userId: string; at: number; failed: boolean }): { users: number; failures: number } {
    const seen = this.#keys.get(key) ?? { users: new Map<string, number>(), failures: [], last: event.at };
    // Entries older than the window before the newest event seen can never count again.
    const expired = Math.max(seen.last, event.at) - this.windowMs;
    for (const [user, at] of seen.users) if (at < expired) seen.users.delete(user);
    seen.failures = seen.failures.filter((at) => at >= expired);
    const previous = seen.users.get(event.userId);
    seen.users.delete(event.userId);
    seen.users.set(event.userId, Math.max(event.at, previous ?? event.at));
    if (seen.users.size > MAX_PER_KEY) seen.users.delete(seen.users.keys().next().value as string);
    if (event.failed) seen.failures.push(event.at);
    if (seen.failures.length > MAX_PER_KEY) seen.failures.shift();
    seen.last = Math.max(seen.last, event.at);
    // Re-inserting keeps the Map in least-recently-touched order for eviction.
    this.#keys.delete(key);
    this.#keys.set(key, seen);
    // Least recently touched first: drop keys quiet for a whole window, and any over the cap.
    for (const [stale, other] of this.#keys) {
      if (this.#keys.size <= MAX_KEYS && other.last >= expired) break;
      this.#keys.delete(stale);
    }
    // What counts is the window around this event's own time: a late event
    // must not see accounts from long after it, nor ones long before.
    const near = (at: number) => Math.abs(at - event.at) <= this.windowMs;
    let users = 0;
    for (const at of seen.users.values()) if (near(at)) users += 1;
    let failures = 0;
    for (const at of seen.failures) if (near(at)) failures += 1;
    return { users, failures };
  }
}

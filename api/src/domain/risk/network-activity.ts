import { decayFactor } from './decay.ts';

/** How far back "many accounts from one network" looks. */
export const ATTACK_WINDOW_MS = 10 * 60 * 1000;
/**
 * Networks (IPs, subnets, ASNs) tracked at once. A flood of addresses cannot
 * grow memory: past this many, the least recently seen go, down to
 * PRUNED_KEYS. A rig hitting many accounts keeps its key recent. Recency is
 * relative, so one event with a far future timestamp cannot make every other
 * key look stale.
 */
const MAX_KEYS = 15_000;
/**
 * Pruning in one pass down to three quarters costs O(1) per new key. Keeping
 * the keys in least-recently-seen order instead (a delete and re-insert per
 * event) left the Map's start full of deleted slots, which every eviction
 * scan walked over: 12 µs per event once the window was full.
 */
const PRUNED_KEYS = 11_250;
/** Accounts per key: enough to tell "many" apart from "a few", bounded under attack. */
const MAX_PER_KEY = 1000;
/** A network's usual count fades by half in a week without a peak as high. */
const USUAL_HALF_LIFE_MS = 7 * 24 * 3600 * 1000;
/**
 * Usual counts of pruned networks kept aside, so a crowded network keeps its
 * history through a quiet night. Only networks shared by several accounts
 * are kept (a home IP's usual count is the default, one), the oldest go first.
 */
const MAX_REMEMBERED = 20_000;
const REMEMBERED_MIN_USUAL = 2;

/** What one network (an IP, its subnet or its ASN) has been up to in the window, this event included. */
export interface SourceActivity {
  /** Distinct accounts seen from it. */
  accounts: number;
  /** Accounts for which it is not one of their own networks. */
  newcomers: number;
  /** Accounts with a failed login from it. */
  failing: number;
  /** Failing accounts for which it is not one of their own networks. */
  failingNewcomers: number;
  /**
   * Its usual count: the peak of accounts that use it as their own within one
   * window, learned over days (fading by half in a week). Accounts new to it
   * never teach it, so an attack cannot make itself usual.
   */
  usual: number;
}

/** What other accounts' events say about the event's network (credential stuffing). */
export interface NetworkActivity {
  ip: SourceActivity | null;
  subnet: SourceActivity | null;
  asn: SourceActivity | null;
  /** The event's subnet or ASN is one of the user's own networks: evidence of safety. */
  ownNetwork: boolean;
  windowMs: number;
}

/** One event as the window records it. */
export interface ActivityEvent {
  userId: string;
  at: number;
  ip: string | null;
  subnet: string | null;
  asn: number | null;
  failed: boolean;
  /** Whether the network is one of the user's own (own-network.ts). */
  ownNetwork: boolean;
}

const NEWCOMER = 1;
const FAILED = 2;

interface Account {
  /** The account's latest event from this key. */
  at: number;
  flags: number;
}

/** One key's accounts in the window (least recently seen first) with their running counts, and its usual count. */
interface Source {
  accounts: Map<string, Account>;
  newcomers: number;
  failing: number;
  failingNewcomers: number;
  last: number;
  /** No account can expire before this: the oldest account's time plus the window, when last checked. */
  expiresAt: number;
  peak: number;
  peakAt: number;
}

/**
 * Which accounts each IP, subnet and ASN touched recently, across all users,
 * and how many accounts each network usually carries: the one piece of v2
 * context that is not per user. Kept in memory by each node's writer,
 * rebuilt from the newest stored events at start; with several nodes, each
 * also records the others' events (cluster/shared-activity.ts).
 */
export class NetworkActivityWindow {
  readonly #keys = new Map<string, Source>();
  readonly #remembered = new Map<string, { peak: number; peakAt: number }>();
  readonly windowMs: number;

  constructor(windowMs: number = ATTACK_WINDOW_MS) {
    this.windowMs = windowMs;
  }

  /** Records an event, then says what its IP, subnet and ASN have been up to around its time (this event included). */
  observe(event: ActivityEvent): NetworkActivity {
    return {
      ip: event.ip === null ? null : this.#touch(`ip:${event.ip}`, event),
      subnet: event.subnet === null ? null : this.#touch(`net:${event.subnet}`, event),
      asn: event.asn === null ? null : this.#touch(`asn:${event.asn}`, event),
      ownNetwork: event.ownNetwork,
      windowMs: this.windowMs,
    };
  }

  /** Drops a user from every window (their data was deleted). */
  forget(userId: string): void {
    for (const source of this.#keys.values()) {
      const account = source.accounts.get(userId);
      if (account === undefined) continue;
      count(source, account.flags, -1);
      source.accounts.delete(userId);
    }
  }

  /** Keys held (for tests of the bound). */
  get size(): number {
    return this.#keys.size;
  }

  #touch(key: string, event: ActivityEvent): SourceActivity {
    let source = this.#keys.get(key);
    if (source === undefined) {
      const remembered = this.#remembered.get(key);
      this.#remembered.delete(key);
      source = {
        accounts: new Map(),
        newcomers: 0,
        failing: 0,
        failingNewcomers: 0,
        last: event.at,
        expiresAt: event.at + this.windowMs,
        peak: remembered?.peak ?? 0,
        peakAt: remembered?.peakAt ?? event.at,
      };
      this.#keys.set(key, source);
      if (this.#keys.size > MAX_KEYS) this.#prune();
    }
    // An event older than the whole window is only counted against it, not recorded.
    if (event.at < source.last - this.windowMs) return this.#late(source, event);
    const newest = Math.max(source.last, event.at);
    if (newest > source.expiresAt) this.#expire(source, newest - this.windowMs);
    const flags = (event.ownNetwork ? 0 : NEWCOMER) | (event.failed ? FAILED : 0);
    let account = source.accounts.get(event.userId);
    if (account === undefined) {
      account = { at: event.at, flags };
      if (source.accounts.size === 0) source.expiresAt = event.at + this.windowMs;
    } else {
      count(source, account.flags, -1);
      // A failure stays counted for the window; whether the network is the account's own is as of now.
      account.flags = flags | (account.flags & FAILED);
      account.at = Math.max(account.at, event.at);
      // Re-inserting keeps the map in least-recently-seen order for expiry and the cap.
      source.accounts.delete(event.userId);
    }
    source.accounts.set(event.userId, account);
    count(source, account.flags, 1);
    if (source.accounts.size > MAX_PER_KEY) this.#evictOldest(source);
    source.last = Math.max(source.last, event.at);
    const habitual = source.accounts.size - source.newcomers;
    const usual = usualOf(source, event.at);
    if (habitual > usual) {
      source.peak = habitual;
      source.peakAt = Math.max(event.at, source.peakAt);
    }
    return {
      accounts: source.accounts.size,
      newcomers: source.newcomers,
      failing: source.failing,
      failingNewcomers: source.failingNewcomers,
      usual: Math.round(Math.max(usual, habitual) * 10) / 10,
    };
  }

  /** Accounts expire from the front (least recently seen) once their latest event left the window. */
  #expire(source: Source, cutoff: number): void {
    for (const [userId, account] of source.accounts) {
      if (account.at >= cutoff) {
        source.expiresAt = account.at + this.windowMs;
        return;
      }
      count(source, account.flags, -1);
      source.accounts.delete(userId);
    }
  }

  #evictOldest(source: Source): void {
    const [userId, account] = source.accounts.entries().next().value as [string, Account];
    count(source, account.flags, -1);
    source.accounts.delete(userId);
  }

  /** A late event's counts: the accounts within the window around its own time, and itself. */
  #late(source: Source, event: ActivityEvent): SourceActivity {
    const activity: SourceActivity = {
      accounts: 1,
      newcomers: event.ownNetwork ? 0 : 1,
      failing: event.failed ? 1 : 0,
      failingNewcomers: event.failed && !event.ownNetwork ? 1 : 0,
      usual: Math.round(usualOf(source, event.at) * 10) / 10,
    };
    const to = event.at + this.windowMs;
    for (const [userId, account] of source.accounts) {
      if (account.at > to || userId === event.userId) continue;
      activity.accounts += 1;
      if (account.flags & NEWCOMER) activity.newcomers += 1;
      if (account.flags & FAILED) activity.failing += 1;
      if ((account.flags & (NEWCOMER | FAILED)) === (NEWCOMER | FAILED)) activity.failingNewcomers += 1;
    }
    return activity;
  }

  /** Drops the least recently seen keys, down to PRUNED_KEYS, keeping crowded networks' usual counts aside. */
  #prune(): void {
    let excess = this.#keys.size - PRUNED_KEYS;
    const lasts = Array.from(this.#keys.values(), (source) => source.last).sort((a, b) => a - b);
    const cutoff = lasts[excess - 1] as number;
    for (const [key, source] of this.#keys) {
      if (excess === 0) break;
      if (source.last <= cutoff) {
        this.#keys.delete(key);
        excess -= 1;
        if (usualOf(source, source.last) >= REMEMBERED_MIN_USUAL) this.#remember(key, source);
      }
    }
  }

  #remember(key: string, source: Source): void {
    this.#remembered.set(key, { peak: source.peak, peakAt: source.peakAt });
    if (this.#remembered.size <= MAX_REMEMBERED) return;
    // Oldest remembered first: Map order is insertion order.
    for (const oldest of this.#remembered.keys()) {
      this.#remembered.delete(oldest);
      if (this.#remembered.size <= (MAX_REMEMBERED * 3) / 4) break;
    }
  }
}

/** The key's usual count at `at`: its peak, faded since. */
function usualOf(source: { peak: number; peakAt: number }, at: number): number {
  return source.peak === 0 ? 0 : source.peak * decayFactor(at - source.peakAt, USUAL_HALF_LIFE_MS);
}

function count(source: Source, flags: number, delta: 1 | -1): void {
  if (flags & NEWCOMER) source.newcomers += delta;
  if (flags & FAILED) source.failing += delta;
  if ((flags & (NEWCOMER | FAILED)) === (NEWCOMER | FAILED)) source.failingNewcomers += delta;
}

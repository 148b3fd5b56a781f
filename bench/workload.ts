import { seededRandom } from '../scripts/seeded-random.ts';

/**
 * The events the benchmark sends: realistic login events in the original
 * engine's shape, deterministic for a seed. Users have a home network and a
 * habitual browser/OS/device, and sometimes stray from them, so the write
 * path does its real work (new tokens, habit and drift changes).
 */

export interface LegacyEvent {
  user_id: string;
  kind: string;
  event_id?: string;
  timestamp?: number;
  meta: { browser: string; os: string; ip: string; device: string };
}

const BROWSERS = ['chrome', 'firefox', 'safari', 'edge', 'opera'];
const SYSTEMS = ['windows', 'macos', 'linux', 'ios', 'android'];
const DEVICES = ['laptop', 'desktop', 'phone', 'tablet'];
const KINDS = ['login', 'login', 'login', 'logout', 'password_change'];

export const userName = (n: number): string => `user-${n}`;

export class Workload {
  readonly #random: () => number;
  #clock = Date.UTC(2026, 0, 1);

  constructor(seed: number) {
    this.#random = seededRandom(seed);
  }

  #pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.#random() * list.length)] as T;
  }

  /** One event for user `n`; strays from the user's habits one time in ten. */
  event(n: number, eventId?: string): LegacyEvent {
    const stray = this.#random() < 0.1;
    const habit = (list: readonly string[], salt: number): string =>
      stray && this.#random() < 0.5 ? this.#pick(list) : (list[(n * 7 + salt) % list.length] as string);
    // A home /24 per user; a stray event comes from anywhere.
    const home = `${20 + ((n >> 16) & 63)}.${(n >> 8) & 0xff}.${n & 0xff}`;
    const ip = stray
      ? `${100 + Math.floor(this.#random() * 100)}.${this.#octet()}.${this.#octet()}.${this.#octet()}`
      : `${home}.${1 + (n % 250)}`;
    this.#clock += 1000;
    const event: LegacyEvent = {
      user_id: userName(n),
      kind: this.#pick(KINDS),
      timestamp: this.#clock,
      meta: { browser: habit(BROWSERS, 1), os: habit(SYSTEMS, 2), ip, device: habit(DEVICES, 3) },
    };
    if (eventId !== undefined) event.event_id = eventId;
    return event;
  }

  #octet(): number {
    return Math.floor(this.#random() * 256);
  }

  /** An event for a user drawn uniformly from `users` users. */
  anyUser(users: number, eventId?: string): LegacyEvent {
    return this.event(Math.floor(this.#random() * users), eventId);
  }

  /** `size` events for users drawn from `users` users. */
  batch(size: number, users: number): LegacyEvent[] {
    return Array.from({ length: size }, () => this.anyUser(users));
  }
}

/** The GraphQL mutation carrying the same events as a REST batch. */
export const INGEST_EVENTS_MUTATION =
  'mutation Bench($inputs: [EventInput!]!) { ingestEvents(inputs: $inputs) { __typename ... on IngestEventsPayload { stored } } }';

/** A REST event in the GraphQL input's names. */
export function toEventInput(event: LegacyEvent): Record<string, unknown> {
  const input: Record<string, unknown> = { userId: event.user_id, kind: event.kind, meta: event.meta };
  if (event.timestamp !== undefined) input.timestamp = event.timestamp;
  if (event.event_id !== undefined) input.eventId = event.event_id;
  return input;
}

/** What the SIEM-style read asks: the user's drift and fingerprint. */
export const USER_DRIFT_QUERY =
  'query Bench($id: ID!) { user(id: $id) { drift { score reasons { code label } } fingerprint { hash stability } } }';

/** 1, 2, 3, … on each call. */
export function counter(): () => number {
  let n = 0;
  return () => {
    n += 1;
    return n;
  };
}

import { EMPTY_CONTEXT, type NormalizedEvent } from '../../src/domain/event-input.ts';

/** A validated login from a Linux laptop on a documentation network, as the writer receives it. */
export function loginEvent(userId: string, eventId: string | null, at: number, browser = 'chrome'): NormalizedEvent {
  return {
    userId,
    kind: 'login',
    eventId,
    timestamp: at,
    ip: null,
    tokens: { browser, os: 'linux', device: 'laptop', ipClass: '203.0.113.0/24' },
    meta: {},
    context: EMPTY_CONTEXT,
  };
}

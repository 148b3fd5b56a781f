import type { NoveltyDimension } from './profile.ts';

export type Evidence = Record<string, string | number | boolean | null>;

/** One reason an event looks risky: its contribution (0–1) to the event's risk and what it saw. */
export interface Signal {
  name: SignalName;
  score: number;
  message: string;
  evidence: Evidence;
}

export type SignalName =
  | `new_${NoveltyDimension}`
  | 'new_device_on_new_network'
  | 'impossible_travel'
  | 'anonymous_network'
  | 'sensitive_action'
  | 'shared_account'
  | 'taken_over_account'
  | 'burst'
  | 'session_sharing'
  | 'unusual_hour'
  | 'failed_logins'
  | 'credential_stuffing';

/** What other users' events say about the observation's network (credential stuffing). */
export type { NetworkActivity, SourceActivity } from './network-activity.ts';

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

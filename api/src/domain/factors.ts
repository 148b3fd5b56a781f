import { type EventPointer, isNewer, type UserAggregate } from './aggregate.ts';
import type { DriftReasonCode } from './drift.ts';
import { DIMENSIONS, type Dimension, type TokenSet } from './tokens.ts';

/**
 * The legacy risk factors one event raised, kept with the event so risk can be
 * charted over time: a value never seen before for a user who already had one
 * in that dimension (what makes a "Multiple …" rule fire), and a device switch
 * against the newest event before it. A user's first values are not risk.
 */
const NEW_VALUE_CODE: Record<Dimension, DriftReasonCode> = {
  ipClass: 'MULTIPLE_IPS',
  os: 'MULTIPLE_OS',
  browser: 'MULTIPLE_BROWSERS',
  device: 'MULTIPLE_DEVICE_TYPES',
};

/** Bit positions in the stored `factors` integer. */
export const FACTOR_BITS: Record<DriftReasonCode, number> = {
  MULTIPLE_IPS: 1,
  MULTIPLE_OS: 2,
  MULTIPLE_BROWSERS: 4,
  MULTIPLE_DEVICE_TYPES: 8,
  ABRUPT_DEVICE_SWITCH: 16,
};

export function eventFactors(
  before: UserAggregate,
  event: { at: number; id: number; tokens: TokenSet; valueCounts: Partial<Record<Dimension, number>> },
): number {
  let bits = 0;
  for (const dimension of DIMENSIONS) {
    if (event.valueCounts[dimension] === 1 && before.distinct[dimension] >= 1) {
      bits |= FACTOR_BITS[NEW_VALUE_CODE[dimension]];
    }
  }
  const newest: EventPointer | null = before.latest;
  const becomesLatest = newest === null || isNewer(event, newest);
  const device = event.tokens.device;
  if (
    becomesLatest &&
    newest !== null &&
    device !== null &&
    newest.tokens.device !== null &&
    device !== newest.tokens.device
  ) {
    bits |= FACTOR_BITS.ABRUPT_DEVICE_SWITCH;
  }
  return bits;
}

export function decodeFactors(bits: number): DriftReasonCode[] {
  return (Object.keys(FACTOR_BITS) as DriftReasonCode[]).filter((code) => (bits & FACTOR_BITS[code]) !== 0);
}

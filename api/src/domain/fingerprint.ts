import { blake3 } from '@noble/hashes/blake3.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { DIMENSIONS, type TokenSet, tokenStrings } from './tokens.ts';

/**
 * blake3 (hex, 32 bytes) over the habitual tokens in canonical order, one per
 * line. It changes only when a habit changes (another browser, OS, device or
 * network becomes the most frequent), not with each event.
 */
export function fingerprintHash(habitual: TokenSet): string {
  return bytesToHex(blake3(utf8ToBytes(tokenStrings(habitual).join('\n'))));
}

/**
 * How closely the latest event matches the habits, 0–100: the Jaccard overlap
 * |latest ∩ habitual| / |latest ∪ habitual| of the two token sets, times 100,
 * rounded to one decimal. A dimension missing from both sides does not count;
 * missing from one side counts as a difference. Two empty sets are a match (100).
 */
export function stability(latest: TokenSet, habitual: TokenSet): number {
  let union = 0;
  let shared = 0;
  for (const dimension of DIMENSIONS) {
    const a = latest[dimension];
    const b = habitual[dimension];
    if (a === null && b === null) continue;
    if (a === b) {
      shared += 1;
      union += 1;
    } else {
      union += a === null || b === null ? 1 : 2;
    }
  }
  return union === 0 ? 100 : Math.round((shared / union) * 1000) / 10;
}

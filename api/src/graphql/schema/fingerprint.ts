import { habitTokens } from '../../domain/aggregate.ts';
import { tokenStrings } from '../../domain/tokens.ts';
import { fromUserRow, type UserRow } from '../../storage/user-row.ts';
import { builder } from '../builder.ts';

export interface FingerprintShape {
  hash: string;
  stability: number;
  tokens: string[];
  latestTokens: string[];
}

export function fingerprintOf(row: UserRow): FingerprintShape {
  const aggregate = fromUserRow(row);
  return {
    hash: aggregate.fingerprint,
    stability: aggregate.stability,
    tokens: tokenStrings(habitTokens(aggregate.habitual)),
    latestTokens: aggregate.latest === null ? [] : tokenStrings(aggregate.latest.tokens),
  };
}

export const FingerprintRef = builder.objectRef<FingerprintShape>('Fingerprint').implement({
  description: "The user's habitual persona and how closely the latest event matches it.",
  fields: (t) => ({
    hash: t.exposeString('hash', {
      description: 'blake3 (hex) of the habitual tokens, one per line; changes only when a habit changes.',
    }),
    stability: t.exposeFloat('stability', {
      description: 'Jaccard overlap of the latest tokens with the habitual ones, 0–100 (100 = matches the habits).',
    }),
    tokens: t.exposeStringList('tokens', {
      description: 'The habitual tokens: the most frequent browser, os, device and ipClass, as `dimension:value`.',
    }),
    latestTokens: t.exposeStringList('latestTokens', { description: "The latest event's tokens." }),
  }),
});

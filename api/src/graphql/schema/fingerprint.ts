import type { FingerprintView } from '../../reads/persona.ts';
import { builder } from '../builder.ts';

export const FingerprintRef = builder.objectRef<FingerprintView>('Fingerprint').implement({
  description: "The user's habitual persona and how closely the latest event matches it.",
  fields: (t) => ({
    hash: t.exposeString('hash', {
      description: 'blake3 (hex) of the habitual tokens, one per line; changes only when a habit changes.',
    }),
    stability: t.exposeFloat('stability', {
      description: 'Jaccard overlap of the latest tokens with the habitual ones, 0–100 (100 = matches the habits).',
    }),
    tokens: t.stringList({
      description: 'The habitual tokens: the most frequent browser, os, device and ipClass, as `dimension:value`.',
      resolve: (f) => f.habitualTokens,
    }),
    latestTokens: t.exposeStringList('latestTokens', { description: "The latest event's tokens." }),
  }),
});

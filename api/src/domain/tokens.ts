/** The behavioural dimensions a persona is learned on, in canonical order. */
export const DIMENSIONS = ['browser', 'os', 'device', 'ipClass'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** One value per dimension, null where the event (or habit) says nothing. */
export type TokenSet = Record<Dimension, string | null>;

export const EMPTY_TOKENS: TokenSet = { browser: null, os: null, device: null, ipClass: null };

/** Tokens as the strings the API shows and the fingerprint hashes: `browser:chrome`, `ipClass:1.2.3.0/24`. */
export function tokenStrings(tokens: TokenSet): string[] {
  const out: string[] = [];
  for (const dimension of DIMENSIONS) {
    const value = tokens[dimension];
    if (value !== null) out.push(`${dimension}:${value}`);
  }
  return out;
}

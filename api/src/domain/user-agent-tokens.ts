import { cachedUserAgent } from './risk/user-agent.ts';
import type { TokenSet } from './tokens.ts';

/**
 * The legacy tokens with the user agent's browser, OS and device type filling
 * the ones the producer left out, so an event that sends only `user_agent`
 * shows the same client to legacy drift, the fingerprint, timelines and
 * GraphQL as to the v2 model. The producer's own tokens win.
 */
export function withUserAgentTokens(tokens: TokenSet, userAgent: string | null): TokenSet {
  if (userAgent === null || (tokens.browser !== null && tokens.os !== null && tokens.device !== null)) return tokens;
  const agent = cachedUserAgent(userAgent);
  return {
    ...tokens,
    browser: tokens.browser ?? agent.browser,
    os: tokens.os ?? agent.os,
    device: tokens.device ?? agent.device,
  };
}

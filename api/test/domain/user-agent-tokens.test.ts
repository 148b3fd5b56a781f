import { describe, expect, it } from 'vitest';
import { parseLegacyEvent } from '../../src/domain/event-input.ts';
import { withUserAgentTokens } from '../../src/domain/user-agent-tokens.ts';

const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const none = { browser: null, os: null, device: null, ipClass: null };

describe('withUserAgentTokens', () => {
  it('fills browser, OS and device type from a user agent alone', () => {
    expect(withUserAgentTokens(none, CHROME_WINDOWS)).toEqual({
      browser: 'chrome',
      os: 'windows',
      device: 'desktop',
      ipClass: null,
    });
    expect(withUserAgentTokens(none, SAFARI_IPHONE)).toMatchObject({
      browser: 'mobile safari',
      os: 'ios',
      device: 'mobile',
    });
  });

  it('lets the producer’s own tokens win, filling only what they leave out', () => {
    const sent = { browser: 'edge', os: null, device: 'laptop', ipClass: '81.2.69.0/24' };
    expect(withUserAgentTokens(sent, CHROME_WINDOWS)).toEqual({ ...sent, os: 'windows' });
    const complete = { browser: 'edge', os: 'macos', device: 'laptop', ipClass: null };
    expect(withUserAgentTokens(complete, CHROME_WINDOWS)).toBe(complete);
  });

  it('leaves tokens as they are without a user agent, or with one that says nothing', () => {
    expect(withUserAgentTokens(none, null)).toBe(none);
    expect(withUserAgentTokens(none, 'curl-ish/1')).toEqual(none);
  });

  it('is applied when an event is parsed, for both spellings of the user agent', () => {
    for (const key of ['user_agent', 'userAgent']) {
      const parsed = parseLegacyEvent({ user_id: 'u', kind: 'login', meta: { [key]: CHROME_WINDOWS, os: 'Linux' } });
      expect(parsed.ok && parsed.value.tokens).toEqual({
        browser: 'chrome',
        os: 'linux',
        device: 'desktop',
        ipClass: null,
      });
    }
  });
});

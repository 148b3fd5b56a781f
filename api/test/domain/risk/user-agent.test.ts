import { describe, expect, it } from 'vitest';
import { cachedUserAgent, parseUserAgent } from '../../../src/domain/risk/user-agent.ts';

const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const SAFARI_IPAD =
  'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const FIREFOX_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7; rv:125.0) Gecko/20100101 Firefox/125.0';
const CHROME_ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';

describe('parseUserAgent', () => {
  it('reads Chrome on Windows as a desktop', () => {
    expect(parseUserAgent(CHROME_WINDOWS)).toEqual({
      browser: 'chrome',
      browserMajor: '124',
      os: 'windows',
      osVersion: '10',
      device: 'desktop',
    });
  });

  it('reads Safari on an iPhone as mobile iOS', () => {
    expect(parseUserAgent(SAFARI_IPHONE)).toEqual({
      browser: 'mobile safari',
      browserMajor: '17',
      os: 'ios',
      osVersion: '17.4',
      device: 'mobile',
    });
  });

  it('reads an iPad as a tablet', () => {
    expect(parseUserAgent(SAFARI_IPAD)).toMatchObject({ os: 'ios', device: 'tablet' });
  });

  it('reads Firefox on a Mac and Chrome on Android', () => {
    expect(parseUserAgent(FIREFOX_MAC)).toEqual({
      browser: 'firefox',
      browserMajor: '125',
      os: 'mac os',
      osVersion: '10.15.7',
      device: 'desktop',
    });
    expect(parseUserAgent(CHROME_ANDROID)).toEqual({
      browser: 'chrome',
      browserMajor: '124',
      os: 'android',
      osVersion: '14',
      device: 'mobile',
    });
  });

  it.each(['garbage', '', '!!!', '12345'])('says nothing about %j', (userAgent) => {
    expect(parseUserAgent(userAgent)).toEqual({
      browser: null,
      browserMajor: null,
      os: null,
      osVersion: null,
      device: null,
    });
  });

  it('lower-cases families', () => {
    const facts = parseUserAgent(CHROME_WINDOWS);
    for (const value of [facts.browser, facts.os, facts.device]) expect(value).toBe(value?.toLowerCase());
  });
});

describe('cachedUserAgent', () => {
  it('returns the same facts as the parser, the same object on a repeat', () => {
    const first = cachedUserAgent(FIREFOX_MAC);
    expect(first).toEqual(parseUserAgent(FIREFOX_MAC));
    expect(cachedUserAgent(FIREFOX_MAC)).toBe(first);
  });

  it('forgets the oldest string once 2048 are cached', () => {
    const first = cachedUserAgent(`${CHROME_WINDOWS} probe`);
    expect(cachedUserAgent(`${CHROME_WINDOWS} probe`)).toBe(first);
    for (let index = 0; index < 2048; index += 1) cachedUserAgent(`filler-${index}`);
    const again = cachedUserAgent(`${CHROME_WINDOWS} probe`);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});

import { UAParser } from 'ua-parser-js';
import { rememberRecent } from '../remember-recent.ts';
import type { ClientFacts } from './observation.ts';

/** Browser, OS and device type from a User-Agent string; fields the parser cannot tell are null. */
export function parseUserAgent(userAgent: string): ClientFacts {
  const { browser, os, device } = new UAParser(userAgent).getResult();
  const lower = (value: string | undefined) => (value ? value.toLowerCase() : null);
  const known = browser.name !== undefined || os.name !== undefined;
  return {
    browser: lower(browser.name),
    browserMajor: browser.major ?? null,
    os: lower(os.name),
    osVersion: os.version ?? null,
    // ua-parser leaves the type empty for desktops; an unparseable string says nothing.
    device: device.type ?? (known ? 'desktop' : null),
  };
}

/** parseUserAgent with recent answers remembered: a population sends a few hundred distinct strings, over and over. */
export const cachedUserAgent = rememberRecent(parseUserAgent, 2048);

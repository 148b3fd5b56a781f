import { isIP } from 'node:net';
import { isPublicAddress } from './ip.ts';

/** The URL's host when it is an IP literal that is not public; null for names and public addresses. */
export function refusedLiteral(url: URL): string | null {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return isIP(host) !== 0 && !isPublicAddress(host) ? host : null;
}

/** Checks a webhook URL's form: http(s), no credentials in it. */
export function parseWebhookUrl(raw: string): URL {
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`${raw}: only http and https`);
  if (url.username !== '' || url.password !== '') throw new Error(`${raw}: no credentials in the URL`);
  return url;
}

/**
 * Checks a configured webhook URL when the server starts: its form, and an
 * internal IP literal unless allowed (names are checked when they resolve).
 */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): URL {
  const url = parseWebhookUrl(raw);
  const refused = allowPrivate ? null : refusedLiteral(url);
  if (refused !== null) {
    throw new Error(`${raw}: ${refused} is not a public address (WEBHOOK_ALLOW_PRIVATE=true allows it)`);
  }
  return url;
}

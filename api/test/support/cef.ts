import { isIPv4, isIPv6 } from 'node:net';

/**
 * A strict parser for one ArcSight CEF line, written to "Implementing
 * ArcSight Common Event Format (CEF)" (revision 25): it refuses what a
 * lenient collector would guess at, so a line it reads is one every
 * collector reads the same way.
 *
 * - Header: `CEF:Version|Vendor|Product|Version|Signature ID|Name|Severity|`;
 *   in header fields only `\|` and `\\` are escapes, and a line break is not allowed.
 * - Extension: `key=value` pairs separated by one space; in values only `\=`,
 *   `\\`, `\n` and `\r` are escapes, and `=` must be escaped (a pipe needs none).
 * - Keys are the spec's (those below), each at most once, with the spec's type
 *   and length; a custom field comes with its label.
 */

type KeyType = 'string' | 'time' | 'ipv4' | 'ipv6' | 'long' | 'double';

/** The spec's extension keys this parser knows, with their types and, for strings, maximum lengths. */
const DICTIONARY: Record<string, [KeyType, number?]> = {
  act: ['string', 63],
  app: ['string', 31],
  cat: ['string', 1023],
  cnt: ['long'],
  dhost: ['string', 1023],
  dpt: ['long'],
  dst: ['ipv4'],
  duser: ['string', 1023],
  end: ['time'],
  externalId: ['string', 40],
  msg: ['string', 1023],
  outcome: ['string', 63],
  reason: ['string', 1023],
  request: ['string', 1023],
  requestClientApplication: ['string', 1023],
  rt: ['time'],
  shost: ['string', 1023],
  slat: ['double'],
  slong: ['double'],
  spt: ['long'],
  src: ['ipv4'],
  start: ['time'],
  suid: ['string', 1023],
  suser: ['string', 1023],
};
for (const n of [1, 2, 3]) {
  DICTIONARY[`cn${n}`] = ['long'];
  DICTIONARY[`cn${n}Label`] = ['string', 1023];
}
for (const n of [1, 2, 3, 4, 5, 6]) {
  DICTIONARY[`cs${n}`] = ['string', 4000];
  DICTIONARY[`cs${n}Label`] = ['string', 1023];
}
for (const n of [1, 2, 3, 4]) {
  DICTIONARY[`c6a${n}`] = ['ipv6'];
  DICTIONARY[`c6a${n}Label`] = ['string', 1023];
}

const SEVERITIES = new Set(['Unknown', 'Low', 'Medium', 'High', 'Very-High']);

export interface CefEvent {
  version: string;
  vendor: string;
  product: string;
  productVersion: string;
  signatureId: string;
  name: string;
  severity: string;
  extensions: Record<string, string>;
}

export class CefError extends Error {}

/** Parses one CEF line (no syslog prefix, no trailing line break); throws CefError on anything the spec does not allow. */
export function parseCef(line: string): CefEvent {
  if (/[\r\n]/.test(line)) throw new CefError('a raw line break inside the line');
  if (!line.startsWith('CEF:')) throw new CefError('does not start with CEF:');
  const header: string[] = [];
  let field = '';
  let i = 4;
  while (header.length < 7) {
    const c = line[i];
    if (c === undefined) throw new CefError(`header ends after ${header.length} fields`);
    if (c === '\\') {
      const next = line[i + 1];
      if (next !== '|' && next !== '\\') throw new CefError(`header escape \\${next ?? ''} is not \\| or \\\\`);
      field += next;
      i += 2;
    } else if (c === '|') {
      header.push(field);
      field = '';
      i += 1;
    } else {
      field += c;
      i += 1;
    }
  }
  const [version, vendor, product, productVersion, signatureId, name, severity] = header as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (version !== '0' && version !== '1') throw new CefError(`version ${version}`);
  if (!(/^(10|[0-9])$/.test(severity) || SEVERITIES.has(severity))) throw new CefError(`severity ${severity}`);
  return {
    version,
    vendor,
    product,
    productVersion,
    signatureId,
    name,
    severity,
    extensions: parseExtension(line.slice(i)),
  };
}

function parseExtension(text: string): Record<string, string> {
  const extensions: Record<string, string> = Object.create(null) as Record<string, string>;
  if (text === '') return extensions;
  // Every unescaped `=` ends a key: the word before it, at the start or after one space.
  const pairs: Array<{ key: string; keyStart: number; valueStart: number }> = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      i += 1;
      continue;
    }
    if (text[i] !== '=') continue;
    const key = /[A-Za-z0-9_]+$/.exec(text.slice(0, i))?.[0];
    const keyStart = i - (key?.length ?? 0);
    if (key === undefined || (keyStart > 0 && text[keyStart - 1] !== ' '))
      throw new CefError(`an unescaped = at ${i} of the extension`);
    pairs.push({ key, keyStart, valueStart: i + 1 });
  }
  if (pairs[0]?.keyStart !== 0) throw new CefError('the extension does not start with a key');
  pairs.forEach((pair, index) => {
    const end = (pairs[index + 1]?.keyStart ?? text.length + 1) - 1;
    const raw = text.slice(pair.valueStart, end);
    if (pair.key in extensions) throw new CefError(`${pair.key} twice`);
    extensions[pair.key] = checkValue(pair.key, unescapeValue(raw));
  });
  for (const key of Object.keys(extensions)) {
    const custom = /^(cs|cn|c6a)\d$/.test(key);
    if (custom && !(`${key}Label` in extensions)) throw new CefError(`${key} without ${key}Label`);
  }
  return extensions;
}

function unescapeValue(raw: string): string {
  let value = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c !== '\\') {
      value += c;
      continue;
    }
    const next = raw[i + 1];
    if (next === '\\' || next === '=') value += next;
    else if (next === 'n') value += '\n';
    else if (next === 'r') value += '\r';
    else throw new CefError(`extension escape \\${next ?? ''} is not \\=, \\\\, \\n or \\r`);
    i += 1;
  }
  return value;
}

function checkValue(key: string, value: string): string {
  const spec = DICTIONARY[key];
  if (spec === undefined) throw new CefError(`${key} is not a CEF key`);
  const [type, max] = spec;
  const bad = (what: string) => new CefError(`${key}=${JSON.stringify(value)} is not ${what}`);
  if (type === 'string' && max !== undefined && value.length > max) throw bad(`at most ${max} characters`);
  if (type === 'time' && !/^\d{1,15}$/.test(value)) throw bad('milliseconds since the epoch');
  if (type === 'long' && !/^-?\d+$/.test(value)) throw bad('a long');
  if (type === 'double' && !/^-?\d+(\.\d+)?$/.test(value)) throw bad('a double');
  if (type === 'ipv4' && !isIPv4(value)) throw bad('an IPv4 address');
  if (type === 'ipv6' && !isIPv6(value)) throw bad('an IPv6 address');
  return value;
}

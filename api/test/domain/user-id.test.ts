import { describe, expect, it } from 'vitest';
import { parseUserId, userIdForLookup } from '../../src/domain/user-id.ts';

describe('parseUserId', () => {
  it.each([
    ['alice', 'alice'],
    ['  alice ', 'alice'],
    ['ops/łukasz@example.com', 'ops/łukasz@example.com'],
    ['Jose\u0301', 'José'],
    ['Jos\u00e9', 'José'],
    ['anna maria', 'anna maria'],
    ['..', '..'],
    ['用户42', '用户42'],
    ['مريم', 'مريم'],
  ])('takes %j as %j', (raw, id) => {
    expect(parseUserId(raw)).toEqual({ ok: true, id });
  });

  it.each([
    ['full-width letters', '\uff41\uff4c\uff49\uff43\uff45', "'alice'"],
    ['a ligature', '\ufb01le', "'file'"],
    ['a no-break space inside', 'anna\u00a0maria', "'anna maria'"],
    ['a superscript', 'user\u00b2', "'user2'"],
  ])('refuses %s, naming the plain form', (_, raw, plain) => {
    const parsed = parseUserId(raw);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toContain(plain);
  });

  it.each([
    ['NUL', 'nul\u0000id', 'U+0000'],
    ['an ANSI escape', 'esc\u001b[31mred', 'U+001B'],
    ['a C1 control', 'a\u0085b', 'U+0085'],
    ['DEL', 'a\u007fb', 'U+007F'],
    ['a zero-width space', 'alice\u200b', 'U+200B'],
    ['a zero-width joiner', 'al\u200dice', 'U+200D'],
    ['a word joiner', 'alice\u2060', 'U+2060'],
    ['a BOM inside', 'ali\ufeffce', 'U+FEFF'],
    ['a soft hyphen', 'ali\u00adce', 'U+00AD'],
    ['a right-to-left override', 'mallory\u202eevil', 'U+202E'],
    ['a bidi isolate', '\u2066alice\u2069', 'U+2066'],
    ['a left-to-right mark', 'alice\u200e', 'U+200E'],
    ['a line separator', 'a\u2028b', 'U+2028'],
    ['a paragraph separator', 'a\u2029b', 'U+2029'],
    ['a private-use character', 'a\ue000', 'U+E000'],
    ['an unassigned code point', 'a\u0378', 'U+0378'],
    ['a noncharacter', 'a\ufdd0', 'U+FDD0'],
    ['a lone high surrogate', 'a\ud800', 'U+D800'],
    ['a lone low surrogate', 'a\udc00b', 'U+DC00'],
    ['a variation selector', 'alice\ufe0f', 'U+FE0F'],
    ['a Hangul filler', 'alice\u3164', 'U+3164'],
    ['a tag character', 'alice\u{e0041}', 'U+E0041'],
    ['the replacement character', 'ali\ufffdce', 'U+FFFD'],
  ])('refuses %s, naming the code point', (_, raw, codePoint) => {
    const parsed = parseUserId(raw);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toContain(codePoint);
  });

  it.each([
    [undefined, 'is required'],
    [7, 'must be a string'],
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    ['x'.repeat(257), 'at most 256'],
  ])('refuses %j: %s', (raw, message) => {
    const parsed = parseUserId(raw);
    expect(!parsed.ok && parsed.message).toContain(message);
  });
});

describe('userIdForLookup', () => {
  it('looks a valid id up in its stored form, and any other id as given', () => {
    expect(userIdForLookup('Jose\u0301')).toBe('José');
    expect(userIdForLookup(' alice ')).toBe('alice');
    expect(userIdForLookup('alice\u200b')).toBe('alice\u200b');
    expect(userIdForLookup('\uff41\uff4c\uff49\uff43\uff45')).toBe('\uff41\uff4c\uff49\uff43\uff45');
  });
});

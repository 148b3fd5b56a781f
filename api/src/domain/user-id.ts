/** Longest user id, in UTF-16 code units after normalisation. */
const MAX_USER_ID_LENGTH = 256;

export type UserIdParse = { ok: true; id: string } | { ok: false; message: string };

/**
 * Characters an analyst cannot see or tell apart in an id: controls (C0, C1,
 * DEL), format characters (zero-width spaces and joiners, bidi overrides and
 * isolates, BOM, tags), other default-ignorables (variation selectors, Hangul
 * fillers), line and paragraph separators, private-use, unassigned and
 * noncharacter code points, lone surrogates, and U+FFFD, which stands for bytes
 * that were lost before the id reached us.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Cs}\p{Default_Ignorable_Code_Point}\uFFFD]/u;

function codePointName(char: string): string {
  return `U+${(char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The one place a user id is read. Surrounding whitespace is trimmed and the
 * id is normalised to NFC, so canonically equivalent spellings (a composed or
 * a decomposed é) are one user. An id that would look like another one is
 * refused rather than stored: one with a hidden character (see HIDDEN), or
 * one whose NFKC form differs (full-width letters, ligatures, no-break spaces,
 * superscripts), whose plain form the message names.
 */
export function parseUserId(value: unknown): UserIdParse {
  if (value === undefined || value === null) return { ok: false, message: 'is required' };
  if (typeof value !== 'string') return { ok: false, message: 'must be a string' };
  const id = value.trim().normalize('NFC');
  if (id === '') return { ok: false, message: 'must not be empty' };
  if (id.length > MAX_USER_ID_LENGTH) {
    return { ok: false, message: `must be at most ${MAX_USER_ID_LENGTH} characters` };
  }
  const hidden = HIDDEN.exec(id)?.[0];
  if (hidden !== undefined) {
    return {
      ok: false,
      message: `must not contain ${codePointName(hidden)}: control, invisible, unassigned and private-use characters are refused`,
    };
  }
  const plain = id.normalize('NFKC');
  if (plain !== id) {
    return {
      ok: false,
      message: `must be written in its plain form '${plain}' (no full-width or compatibility characters)`,
    };
  }
  return { ok: true, id };
}

/**
 * The id a read looks up: a valid id in its stored form, anything else as
 * given. An id the rule refuses can only name a user stored before the rule
 * existed, and such a user stays readable and deletable.
 */
export function userIdForLookup(raw: string): string {
  const parsed = parseUserId(raw);
  return parsed.ok ? parsed.id : raw;
}

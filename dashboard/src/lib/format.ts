/** A timestamp as analysts read it: date and time to the second, in UTC. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/**
 * A user's page. The id rides in the query string, which carries any id:
 * a path segment cannot (browsers resolve `..` and `.` segments away, even
 * percent-encoded).
 */
export function userHref(id: string): string {
  return `/user?id=${encodeURIComponent(id)}`;
}

// Characters that show as nothing, or as something else: controls, format
// characters (zero-width, bidi overrides), other invisible code points,
// unassigned and private-use ones, lone surrogates, and every space but the
// ASCII one.
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]|[^\P{Zs} ]/gu;

/**
 * A user id as it is shown: each hidden character written as its code point
 * (`alice⟨U+200B⟩`), so ids that would look alike look different.
 */
export function visibleId(id: string): string {
  return id.replace(HIDDEN, (char) => `⟨U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

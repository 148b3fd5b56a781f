/** A timestamp as analysts read it: date and time to the second, in UTC. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

export type DriftLevel = 'steady' | 'low' | 'elevated' | 'high';

/** Bands of the legacy score (0–100; the rules can reach 45). */
export function driftLevel(score: number): DriftLevel {
  if (score === 0) return 'steady';
  if (score < 20) return 'low';
  if (score < 35) return 'elevated';
  return 'high';
}

export function userHref(id: string): string {
  return `/user/${encodeURIComponent(id)}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

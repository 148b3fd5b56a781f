const DAY = 86_400_000;

/** Expiry choices for a trust or allow-list entry; '' leaves it to the API's default. */
export const EXPIRY_DAYS = ['', '1', '7', '30', '90', '365', '730'] as const;
export type ExpiryChoice = (typeof EXPIRY_DAYS)[number];

export function expiryLabel(days: ExpiryChoice, defaultDays: number): string {
  if (days === '') return `${durationOf(defaultDays)} (default)`;
  return durationOf(Number(days));
}

function durationOf(days: number): string {
  if (days === 1) return 'a day';
  if (days === 365) return 'a year';
  if (days === 730) return 'two years';
  return `${days} days`;
}

/** The `expiresAt` to send: null for the API's default. Two years is a minute short of the API's limit. */
export function expiresAt(days: ExpiryChoice, now = Date.now()): string | null {
  if (days === '') return null;
  const ms = Number(days) * DAY - (days === '730' ? 60_000 : 0);
  return new Date(now + ms).toISOString();
}

const DAY = 86_400_000;
export const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
export const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
export const HOME = { ip: '81.2.69.10', country: 'DE', asn: 3320, lat: 52.52, lon: 13.405, city: 'Berlin' };
export const AWAY = { ip: '102.89.3.7', country: 'NG', asn: 37148, lat: 6.45, lon: 3.39, city: 'Lagos' };

/**
 * Logins that place users in the rankings: a steady history, a takeover (an
 * alert), a new browser (some risk, no alert). Event ids are `prefix` and a
 * running number, so the same logins are never sent twice by mistake.
 */
export function rankingLogins(prefix: string) {
  let sequence = 0;
  const event = (userId: string, at: number, meta: Record<string, unknown>) => {
    sequence += 1;
    return { user_id: userId, kind: 'login', event_id: `${prefix}${sequence}`, timestamp: at, meta };
  };
  return {
    event,
    /** `days` daily logins from one laptop at home, ending at `end`. */
    history: (userId: string, end: number, days = 20) =>
      Array.from({ length: days }, (_, day) =>
        event(userId, end - (days - 1 - day) * DAY, { ...HOME, user_agent: CHROME_WINDOWS, success: true }),
      ),
    /** Failed guesses from another country, then a login on a new device there: an alert. */
    takeover: (userId: string, at: number) => [
      ...[0, 1, 2, 3].map((n) =>
        event(userId, at + n * 60_000, { ...AWAY, user_agent: FIREFOX_LINUX, success: false }),
      ),
      event(userId, at + 5 * 60_000, { ...AWAY, user_agent: FIREFOX_LINUX, success: true }),
    ],
    /** A new browser on the home network: some risk, no alert. */
    newBrowser: (userId: string, at: number) => [
      event(userId, at, { ...HOME, user_agent: FIREFOX_LINUX, success: true }),
    ],
  };
}

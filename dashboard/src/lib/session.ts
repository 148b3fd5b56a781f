import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { SignedOutSessions } from './signed-out';

/**
 * The dashboard's sign-in session: the analyst's or admin's API key, sealed
 * (AES-256-GCM) into an httpOnly cookie. Browser code never sees the key; the
 * dashboard's own /graphql route unseals it and forwards requests to the API
 * with it. The sealing secret is DASHBOARD_SESSION_SECRET, or a random one
 * per process (then a restart signs everybody out). Signing out ends the
 * session on the server too: its id is refused until it would have expired.
 */
export const SESSION_COOKIE = 'pd_session';
/** A session lasts a working day; signing in again is one paste. */
export const SESSION_SECONDS = 8 * 3600;

const SECRET = Symbol.for('persona-drift.dashboard-session-secret');
const SIGNED_OUT = Symbol.for('persona-drift.dashboard-signed-out');

export interface Session {
  /** Random, per sign-in: what signing out revokes. */
  id: string;
  key: string;
  role: 'analyst' | 'admin';
  prefix: string;
  /** Epoch ms after which the session is void, whatever the cookie's own expiry. */
  expires: number;
}

const secret: Buffer = (() => {
  const configured = process.env.DASHBOARD_SESSION_SECRET;
  if (configured !== undefined && configured !== '') {
    if (configured.length < 32) throw new Error('DASHBOARD_SESSION_SECRET must be at least 32 characters');
    return createHash('sha256').update(configured).digest();
  }
  // One per process, not per module instance: Next.js bundles route handlers
  // and pages separately, and each bundle evaluates this module on its own.
  const shared = globalThis as { [SECRET]?: Buffer };
  shared[SECRET] ??= randomBytes(32);
  return shared[SECRET];
})();

/** One list per process, read on first use (pages and route handlers are bundled, and load this module, apart). */
function signedOut(): SignedOutSessions {
  const shared = globalThis as { [SIGNED_OUT]?: SignedOutSessions };
  shared[SIGNED_OUT] ??= new SignedOutSessions(process.env.DASHBOARD_SIGNED_OUT_FILE || 'data/dashboard-signed-out');
  return shared[SIGNED_OUT];
}

/** A new session for a key the API accepted. */
export function newSession(fields: Omit<Session, 'id' | 'expires'>, now = Date.now()): Session {
  return { id: randomBytes(16).toString('base64url'), ...fields, expires: now + SESSION_SECONDS * 1000 };
}

/** Signs the session out for good: any copy of its cookie is refused from now on. */
export function endSession(session: Session): void {
  signedOut().add(session.id, session.expires);
}

export function sealSession(session: Session): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secret, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(session), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The session in a cookie value, or null if it is forged, damaged, sealed by another secret, expired or signed out. */
export function unsealSession(value: string | undefined, now = Date.now()): Session | null {
  if (value === undefined || value === '') return null;
  try {
    const raw = Buffer.from(value, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', secret, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    const session = JSON.parse(text) as Session;
    // A session sealed without an id predates sign-out on the server: it cannot be ended, so it is not taken.
    if (typeof session.id !== 'string' || session.expires <= now) return null;
    return signedOut().has(session.id) ? null : session;
  } catch {
    return null;
  }
}

// Next.js inlines any `NEXT_PUBLIC_…` name it can see in the code with its
// build-time value; a name assembled at run time is read per request.
const API_URL_VARIABLE = ['NEXT', 'PUBLIC', 'API', 'URL'].join('_');

/** The API's GraphQL endpoint, as the dashboard's server reaches it. */
export function apiGraphqlUrl(): string {
  const env: Record<string, string | undefined> = process.env;
  return env.API_URL ?? env[API_URL_VARIABLE] ?? 'http://127.0.0.1:8080/graphql';
}

/**
 * A request another site made the browser send (a form, a fetch): refused
 * wherever the session is used or changed, on top of the SameSite=Strict
 * cookie, which a sibling subdomain would get past.
 */
export function crossSite(request: Request): boolean {
  const origin = request.headers.get('origin');
  if (origin === null) return false;
  if (origin === 'null') return true;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  try {
    return host === null || new URL(origin).host !== host;
  } catch {
    return true;
  }
}

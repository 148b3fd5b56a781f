import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the signature
 * is HMAC-SHA256 over `${id}.${timestamp}.${body}` with the secret's bytes,
 * sent as `v1,<base64>` in `webhook-signature`. Secrets are `whsec_<base64>`.
 */
export const SECRET_PREFIX = 'whsec_';

export function secretBytes(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error(`a webhook secret starts with ${SECRET_PREFIX}`);
  const bytes = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  if (bytes.length < 24) throw new Error('a webhook secret holds at least 24 bytes (base64 after whsec_)');
  return bytes;
}

export function sign(secret: Buffer, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${id}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** Checks a `webhook-signature` header (space-separated `v1,<sig>` entries), as a receiver would. */
export function verify(secret: Buffer, id: string, timestampSeconds: number, body: string, header: string): boolean {
  const expected = Buffer.from(sign(secret, id, timestampSeconds, body));
  return header.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

import { describe, expect, it } from 'vitest';
import { EMPTY_CONTEXT, parseLegacyBatch, parseLegacyEvent } from '../../src/domain/event-input.ts';

const seed = {
  user_id: 'alice',
  kind: 'login',
  meta: { browser: 'chrome', os: 'windows', ip: '12.34.56.78', device: 'laptop' },
};

function issuesOf(body: unknown) {
  const parsed = parseLegacyEvent(body);
  if (parsed.ok) throw new Error('expected a validation failure');
  return parsed.issues;
}

describe('parseLegacyEvent', () => {
  it('normalizes the seed event', () => {
    const parsed = parseLegacyEvent(seed);
    expect(parsed).toEqual({
      ok: true,
      value: {
        userId: 'alice',
        kind: 'login',
        eventId: null,
        timestamp: null,
        ip: '12.34.56.78',
        tokens: { browser: 'chrome', os: 'windows', device: 'laptop', ipClass: '12.34.56.0/24' },
        meta: seed.meta,
        metaJson: JSON.stringify(seed.meta),
        context: EMPTY_CONTEXT,
      },
    });
  });

  it('accepts the device as dev_type, and prefers device when both are sent', () => {
    const devType = parseLegacyEvent({ ...seed, meta: { dev_type: 'Phone' } });
    expect(devType.ok && devType.value.tokens.device).toBe('phone');
    const both = parseLegacyEvent({ ...seed, meta: { device: 'laptop', dev_type: 'phone' } });
    expect(both.ok && both.value.tokens.device).toBe('laptop');
  });

  it('trims and lower-cases tokens, treating blank ones as absent', () => {
    const parsed = parseLegacyEvent({ ...seed, user_id: '  alice ', meta: { browser: '  Chrome ', os: '   ' } });
    expect(parsed.ok && parsed.value.userId).toBe('alice');
    expect(parsed.ok && parsed.value.tokens).toEqual({ browser: 'chrome', os: null, device: null, ipClass: null });
  });

  it('keeps unknown meta keys and the meta as sent', () => {
    const meta = { browser: 'Chrome', geo: { city: 'Oslo' }, risk: 3 };
    const parsed = parseLegacyEvent({ ...seed, meta });
    expect(parsed.ok && parsed.value.meta).toEqual(meta);
  });

  it('accepts a missing or null meta as empty, and optional timestamp and event_id', () => {
    const parsed = parseLegacyEvent({ user_id: 'a', kind: 'k', timestamp: '2024-05-01T00:00:00Z', event_id: 'e-1' });
    expect(parsed.ok && parsed.value).toMatchObject({
      eventId: 'e-1',
      timestamp: Date.parse('2024-05-01T00:00:00Z'),
      meta: {},
    });
    expect(parseLegacyEvent({ user_id: 'a', kind: 'k', meta: null }).ok).toBe(true);
  });

  it.each([
    [{ kind: 'login' }, 'user_id', 'is required'],
    [{ user_id: '', kind: 'login' }, 'user_id', 'must not be empty'],
    [{ user_id: '   ', kind: 'login' }, 'user_id', 'must not be empty'],
    [{ user_id: 7, kind: 'login' }, 'user_id', 'must be a string'],
    [{ user_id: 'x'.repeat(257), kind: 'login' }, 'user_id', 'at most 256'],
    [{ user_id: 'a' }, 'kind', 'is required'],
    [{ user_id: 'a', kind: ['login'] }, 'kind', 'must be a string'],
    [{ user_id: 'a', kind: 'k', meta: 'chrome' }, 'meta', 'must be a JSON object'],
    [{ user_id: 'a', kind: 'k', meta: [] }, 'meta', 'must be a JSON object'],
    [{ user_id: 'a', kind: 'k', meta: { ip: '300.1.1.1' } }, 'meta.ip', 'not a valid IPv4 or IPv6'],
    [{ user_id: 'a', kind: 'k', meta: { ip: 1234 } }, 'meta.ip', 'must be a string'],
    [{ user_id: 'a', kind: 'k', meta: { browser: { name: 'x' } } }, 'meta.browser', 'must be a string'],
    [{ user_id: 'a', kind: 'k', meta: { dev_type: 3 } }, 'meta.dev_type', 'must be a string'],
    [{ user_id: 'a', kind: 'k', timestamp: 'soon' }, 'timestamp', 'ISO-8601'],
    [{ user_id: 'a', kind: 'k', event_id: 5 }, 'event_id', 'must be a string'],
  ])('rejects %j at %s', (body, field, message) => {
    const issues = issuesOf(body);
    expect(issues.map((i) => i.field)).toContain(field);
    expect(issues.find((i) => i.field === field)?.message).toContain(message);
  });

  it('rejects a body that is not an object', () => {
    for (const body of [null, 42, 'alice', [seed]]) {
      expect(issuesOf(body)).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
    }
  });

  it('reports every bad field at once', () => {
    expect(issuesOf({ meta: { ip: 'nope' } }).map((i) => i.field)).toEqual(['user_id', 'kind', 'meta.ip']);
  });

  it('does not let a __proto__ key in meta change any prototype', () => {
    const body = JSON.parse('{"user_id":"a","kind":"k","meta":{"__proto__":{"polluted":true}}}');
    const parsed = parseLegacyEvent(body);
    expect(parsed.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(parsed.ok && JSON.stringify(parsed.value.meta)).toBe('{"__proto__":{"polluted":true}}');
  });
});

describe('parseLegacyBatch', () => {
  it('names the failing event by its index', () => {
    const parsed = parseLegacyBatch([seed, { ...seed, meta: { ip: 'bad' } }, { kind: 'x' }]);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.issues.map((i) => i.field)).toEqual(['[1].meta.ip', '[2].user_id']);
  });
});

import { describe, expect, it } from 'vitest';
import { validateBatch, validateEvent } from '../../src/ingest/validate.ts';

const LIMITS = { maxBatchEvents: 3, maxMetaBytes: 200 };
const login = { user_id: 'alice', kind: 'login', meta: { browser: ' Chrome ', ip: '12.34.56.78' } };

describe('validateEvent', () => {
  it('normalises one event by the domain rules', () => {
    const result = validateEvent(login, LIMITS);
    expect(result.ok).toBe(true);
    const [event] = result.ok ? result.events : [];
    expect(event).toMatchObject({
      userId: 'alice',
      kind: 'login',
      ip: '12.34.56.78',
      tokens: { browser: 'chrome', ipClass: '12.34.56.0/24' },
      meta: login.meta,
    });
  });

  it('names every bad field by its path in the body', () => {
    const result = validateEvent({ kind: '', meta: { ip: 'nope', country: 'Norway' } }, LIMITS);
    expect(result).toMatchObject({ ok: false, tooLarge: false });
    expect(!result.ok && result.issues.map((issue) => issue.field).sort()).toEqual([
      'kind',
      'meta.country',
      'meta.ip',
      'user_id',
    ]);
  });

  it('calls a body that is no object `body`, and a meta over the byte limit `meta`', () => {
    expect(validateEvent('login', LIMITS)).toMatchObject({ ok: false, issues: [{ field: 'body' }] });
    const big = validateEvent({ ...login, meta: { note: 'x'.repeat(300) } }, LIMITS);
    expect(big).toMatchObject({ ok: false, issues: [{ field: 'meta', message: expect.stringMatching(/200 bytes/) }] });
  });
});

describe('validateBatch', () => {
  it('normalises every event, in order', () => {
    const result = validateBatch([login, { ...login, user_id: 'bob' }], LIMITS);
    expect(result.ok && result.events.map((event) => event.userId)).toEqual(['alice', 'bob']);
  });

  it('refuses an empty batch as invalid and one over the limit as too large', () => {
    expect(validateBatch([], LIMITS)).toEqual({
      ok: false,
      tooLarge: false,
      issues: [{ field: 'body', message: 'a batch must contain at least one event' }],
    });
    expect(validateBatch([login, login, login, login], LIMITS)).toEqual({
      ok: false,
      tooLarge: true,
      issues: [{ field: 'body', message: 'at most 3 events per request' }],
    });
  });

  it('reports every bad field of every event under its index, and no events', () => {
    const result = validateBatch([login, { ...login, meta: { ip: 'bad' } }, { kind: 'x' }], LIMITS);
    expect(result).toMatchObject({ ok: false, tooLarge: false });
    expect(!result.ok && result.issues.map((issue) => issue.field)).toEqual(['[1].meta.ip', '[2].user_id']);
  });
});

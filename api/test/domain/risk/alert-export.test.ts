import { describe, expect, it } from 'vitest';
import { type AlertRecord, toCef, toEcs, toOcsf } from '../../../src/domain/risk/alert-export.ts';
import type { Signal } from '../../../src/domain/risk/signals.ts';

const VERSION = '2.3.1';
const FIRST_AT = Date.parse('2024-05-01T12:00:00.000Z');
const LAST_AT = Date.parse('2024-05-01T12:30:00.000Z');
const CREATED_AT = Date.parse('2024-05-01T12:00:01.000Z');
const UPDATED_AT = Date.parse('2024-05-01T12:30:01.000Z');

const TRAVEL: Signal = {
  name: 'impossible_travel',
  score: 0.7,
  message: '6385 km from Berlin, DE to New York, US in 1 h (6385 km/h)',
  evidence: { km: 6385, hours: 1, kmh: 6385, from: 'Berlin, DE', to: 'New York, US' },
};
const COUNTRY: Signal = {
  name: 'new_country',
  score: 0.39,
  message: 'First country US (1 known)',
  evidence: { value: 'US', known: 1, seenWeight: 0, baseline: 0.97 },
};

const ALERT: AlertRecord = {
  id: 42,
  userId: 'alice',
  status: 'open',
  score: 82,
  level: 'critical',
  signals: [TRAVEL, COUNTRY],
  firstEventId: 1001,
  lastEventId: 1001,
  firstAt: FIRST_AT,
  lastAt: LAST_AT,
  events: 1,
  createdAt: CREATED_AT,
  updatedAt: UPDATED_AT,
};

const SUMMARY = `${TRAVEL.message}; ${COUNTRY.message}`;

describe('toEcs', () => {
  it('writes an ECS alert document', () => {
    expect(toEcs(ALERT, VERSION)).toEqual({
      '@timestamp': '2024-05-01T12:30:00.000Z',
      ecs: { version: '8.11.0' },
      message: `Persona drift: critical risk for user alice: ${SUMMARY}`,
      event: {
        kind: 'alert',
        category: ['authentication', 'iam'],
        type: ['info'],
        id: '42',
        dataset: 'persona_drift.alert',
        provider: 'persona-drift',
        module: 'persona_drift',
        created: '2024-05-01T12:00:01.000Z',
        start: '2024-05-01T12:00:00.000Z',
        end: '2024-05-01T12:30:00.000Z',
        risk_score: 82,
        risk_score_norm: 82,
        severity: 82,
        reason: SUMMARY,
      },
      user: {
        id: 'alice',
        name: 'alice',
        risk: { calculated_score: 82, calculated_score_norm: 82, calculated_level: 'critical' },
      },
      related: { user: ['alice'] },
      rule: {
        id: 'persona-drift-risk-v2/impossible_travel',
        name: 'impossible_travel',
        ruleset: 'persona-drift-risk-v2',
        category: 'Account behaviour',
        description: SUMMARY,
      },
      observer: { product: 'Persona Drift', vendor: 'Persona Drift', version: VERSION },
      labels: { status: 'open' },
      persona_drift: {
        alert: {
          id: 42,
          status: 'open',
          events: 1,
          first_event_id: 1001,
          last_event_id: 1001,
          signals: [TRAVEL, COUNTRY],
        },
      },
    });
  });

  it('names the rule after the threshold when there are no signals', () => {
    const ecs = toEcs({ ...ALERT, signals: [] }, VERSION) as {
      rule: { id: string; name: string };
      event: { reason: string };
    };
    expect(ecs.rule.id).toBe('persona-drift-risk-v2/risk_threshold');
    expect(ecs.rule.name).toBe('risk_threshold');
    expect(ecs.event.reason).toBe('risk above the alert threshold');
  });
});

describe('toOcsf', () => {
  it('writes a new single-event open alert as a Detection Finding: Create', () => {
    expect(toOcsf(ALERT, VERSION)).toEqual({
      class_uid: 2004,
      class_name: 'Detection Finding',
      category_uid: 2,
      category_name: 'Findings',
      activity_id: 1,
      activity_name: 'Create',
      type_uid: 200401,
      type_name: 'Detection Finding: Create',
      severity_id: 5,
      severity: 'Critical',
      status_id: 1,
      status: 'New',
      time: LAST_AT,
      timezone_offset: 0,
      message: `Persona drift: critical risk for user alice: ${SUMMARY}`,
      risk_score: 82,
      risk_level: 'Critical',
      risk_level_id: 4,
      metadata: {
        version: '1.3.0',
        uid: '42',
        product: { name: 'Persona Drift', vendor_name: 'Persona Drift', version: VERSION },
      },
      finding_info: {
        uid: '42',
        title: 'Persona drift: critical risk for user alice',
        desc: SUMMARY,
        types: ['impossible_travel', 'new_country'],
        created_time: CREATED_AT,
        modified_time: UPDATED_AT,
        first_seen_time: FIRST_AT,
        last_seen_time: LAST_AT,
        analytic: {
          uid: 'persona-drift-risk-v2/impossible_travel',
          name: 'persona-drift-risk-v2',
          type_id: 1,
          type: 'Rule',
        },
      },
      resources: [{ type: 'User', uid: 'alice', name: 'alice' }],
      observables: [{ name: 'resources.uid', type_id: 10, type: 'Resource UID', value: 'alice' }],
      evidences: [{ data: TRAVEL }, { data: COUNTRY }],
      unmapped: { events: 1, first_event_id: 1001, last_event_id: 1001 },
    });
  });

  it('updates (200402) once the alert has more than one event', () => {
    const ocsf = toOcsf({ ...ALERT, events: 3, lastEventId: 1003 }, VERSION);
    expect(ocsf).toMatchObject({ activity_id: 2, activity_name: 'Update', type_uid: 200402 });
    expect(ocsf.type_name).toBe('Detection Finding: Update');
  });

  it('closes (200403) a resolved alert, whatever its event count', () => {
    for (const events of [1, 5]) {
      expect(toOcsf({ ...ALERT, status: 'resolved', events }, VERSION)).toMatchObject({
        activity_id: 3,
        activity_name: 'Close',
        type_uid: 200403,
        status_id: 4,
        status: 'Resolved',
      });
    }
  });

  it.each([
    ['low', 2, 'Low', 1],
    ['medium', 3, 'Medium', 2],
    ['high', 4, 'High', 3],
    ['critical', 5, 'Critical', 4],
  ] as const)('maps level %s to severity %i (%s), risk level %i', (level, severityId, severity, riskLevelId) => {
    expect(toOcsf({ ...ALERT, level }, VERSION)).toMatchObject({
      severity_id: severityId,
      severity,
      risk_level: severity,
      risk_level_id: riskLevelId,
    });
  });

  it.each([
    ['open', 1, 'New'],
    ['acknowledged', 2, 'In Progress'],
    ['resolved', 4, 'Resolved'],
  ] as const)('maps status %s to %i (%s)', (status, statusId, name) => {
    expect(toOcsf({ ...ALERT, status }, VERSION)).toMatchObject({ status_id: statusId, status: name });
  });

  it('keeps an acknowledged single-event alert as Create', () => {
    expect(toOcsf({ ...ALERT, status: 'acknowledged' }, VERSION)).toMatchObject({ activity_id: 1, type_uid: 200401 });
  });
});

describe('toCef', () => {
  it('writes one CEF line with header and extensions', () => {
    expect(toCef(ALERT, VERSION)).toBe(
      'CEF:0|Persona Drift|Persona Drift|2.3.1|persona-drift-risk-v2/impossible_travel|' +
        'Persona drift: critical risk for user alice (impossible_travel)|8|' +
        `rt=${LAST_AT} start=${FIRST_AT} end=${LAST_AT} suser=alice externalId=42 cat=persona-drift/alert ` +
        `msg=${SUMMARY} cn1Label=riskScore cn1=82 cs1Label=riskLevel cs1=critical cs2Label=status cs2=open ` +
        'cs3Label=signals cs3=impossible_travel,new_country cn2Label=events cn2=1',
    );
  });

  it('starts with the product, version and the top signal as the signature id', () => {
    expect(toCef({ ...ALERT, signals: [COUNTRY, TRAVEL] }, '9.9.9')).toMatch(
      /^CEF:0\|Persona Drift\|Persona Drift\|9\.9\.9\|persona-drift-risk-v2\/new_country\|/,
    );
    expect(toCef({ ...ALERT, signals: [] }, VERSION)).toContain(
      '|persona-drift-risk-v2/risk_threshold|Persona drift: critical risk for user alice (risk_threshold)|',
    );
  });

  it.each([
    [0, 0],
    [4, 0],
    [5, 1],
    [44, 4],
    [45, 5],
    [95, 10],
    [100, 10],
  ])('maps score %i to severity %i', (score, severity) => {
    const header = toCef({ ...ALERT, score }, VERSION).split('|');
    expect(header[6]).toBe(String(severity));
  });

  it('escapes | and \\ in the header, and =, \\ and line breaks in extension values', () => {
    const alert: AlertRecord = {
      ...ALERT,
      userId: 'a=b\\c|d',
      signals: [{ ...COUNTRY, message: 'First country US\nsecond line' }],
    };
    const line = toCef(alert, '1.0|beta\\x');
    expect(
      line.startsWith('CEF:0|Persona Drift|Persona Drift|1.0\\|beta\\\\x|persona-drift-risk-v2/new_country|'),
    ).toBe(true);
    expect(line).toContain('|Persona drift: critical risk for user a=b\\\\c\\|d (new_country)|8|');
    expect(line).toContain(' suser=a\\=b\\\\c|d ');
    expect(line).toContain(' msg=First country US\\nsecond line ');
    expect(line).not.toContain('\n');
  });

  it('writes \\r\\n and \\r as \\n and blanks other control characters in extension values', () => {
    const alert: AlertRecord = { ...ALERT, signals: [{ ...COUNTRY, message: 'one\r\ntwo\rthree\tfour' }] };
    const line = toCef(alert, VERSION);
    expect(line).toContain(' msg=one\\ntwo\\nthree four ');
    expect(line).not.toMatch(/[\r\t]/);
  });

  it('turns line breaks and other control characters in the header into spaces', () => {
    const line = toCef({ ...ALERT, userId: 'eve\r\nmallory' }, VERSION);
    expect(line).toContain('|Persona drift: critical risk for user eve  mallory (impossible_travel)|');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
    expect(toCef({ ...ALERT, userId: 'a\tb\u0000c' }, VERSION)).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(line).toContain(' suser=eve\\nmallory ');
    expect(line).not.toMatch(/[\r\n]/);
  });

  it('leaves = unescaped in the header and | unescaped in extension values', () => {
    const line = toCef({ ...ALERT, userId: 'x=y|z' }, VERSION);
    expect(line).toContain('for user x=y\\|z (impossible_travel)|');
    expect(line).toContain(' suser=x\\=y|z ');
  });
});

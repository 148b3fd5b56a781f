import { describe, expect, it } from 'vitest';
import { type AlertRecord, toCef } from '../../../src/domain/risk/alert-export.ts';
import { CefError, parseCef } from '../../support/cef.ts';

const AWKWARD = 'a|b=c\\d\ne\r\nf';

const ALERT: AlertRecord = {
  id: 7,
  userId: `user|=\\`,
  status: 'acknowledged',
  score: 91,
  level: 'critical',
  signals: [
    { name: 'new_country', score: 0.5, message: `First country ${AWKWARD}`, evidence: {} },
    { name: 'failed_logins', score: 0.3, message: 'x=1 | y\\2', evidence: {} },
  ],
  firstEventId: 1,
  lastEventId: 9,
  firstAt: Date.parse('2026-10-25T10:00:00Z'),
  lastAt: Date.parse('2026-10-25T10:05:00Z'),
  events: 3,
  createdAt: Date.parse('2026-10-25T10:00:01Z'),
  updatedAt: Date.parse('2026-10-25T10:05:01Z'),
  source: {
    ip: '102.89.3.7',
    userAgent: `Mozilla/5.0 ${AWKWARD}`,
    outcome: 'failure',
    country: 'NG',
    city: `La=gos|\\`,
    location: { lat: 6.45, lon: 3.39 },
    asn: 37148,
    asnOrganization: 'Globacom = Ltd | NG\\',
  },
};

/** Line breaks in an extension value come back as \n (the spec has one escape for them). */
const asSent = (text: string) => text.replace(/\r\n|\r/g, '\n');

describe('CEF round trip through a strict parser', () => {
  it('reads back every header field and extension value, escapes included', () => {
    const line = toCef(ALERT, '1.2.3');
    const event = parseCef(line);
    expect(event).toMatchObject({
      version: '0',
      vendor: 'Persona Drift',
      product: 'Persona Drift',
      productVersion: '1.2.3',
      signatureId: 'persona-drift-risk-v2/new_country',
      // Line breaks cannot be escaped in the header: they become spaces.
      name: 'Persona drift: critical risk for user user|=\\ (new_country)',
      severity: '9',
    });
    expect(event.extensions).toEqual({
      rt: String(ALERT.lastAt),
      start: String(ALERT.firstAt),
      end: String(ALERT.lastAt),
      suser: 'user|=\\',
      externalId: '7',
      cat: 'persona-drift/alert',
      msg: asSent(ALERT.signals.map((s) => s.message).join('; ')),
      cn1Label: 'riskScore',
      cn1: '91',
      cs1Label: 'riskLevel',
      cs1: 'critical',
      cs2Label: 'status',
      cs2: 'acknowledged',
      cs3Label: 'signals',
      cs3: 'new_country,failed_logins',
      cn2Label: 'events',
      cn2: '3',
      src: '102.89.3.7',
      requestClientApplication: asSent(`Mozilla/5.0 ${AWKWARD}`),
      outcome: 'failure',
      slat: '6.45',
      slong: '3.39',
      cs4Label: 'sourceCountry',
      cs4: 'NG',
      cs5Label: 'sourceCity',
      cs5: 'La=gos|\\',
      cs6Label: 'sourceAsOrganization',
      cs6: 'Globacom = Ltd | NG\\',
      cn3Label: 'sourceAsn',
      cn3: '37148',
    });
  });

  it('puts an IPv6 source in c6a2 (src is IPv4 only) and leaves out what is unknown', () => {
    const source = { ...ALERT.source, ip: '2001:db8::7', location: null, city: null } as AlertRecord['source'];
    const { extensions } = parseCef(toCef({ ...ALERT, source }, '1.2.3'));
    expect(extensions).toMatchObject({ c6a2Label: 'sourceIPv6Address', c6a2: '2001:db8::7' });
    expect(Object.keys(extensions)).not.toContain('src');
    expect(Object.keys(extensions)).not.toContain('slat');
    expect(Object.keys(extensions)).not.toContain('cs5');
  });

  it('the parser is strict: it refuses what the spec does not allow', () => {
    const head = 'CEF:0|V|P|1|sig|name|5|';
    expect(() => parseCef(`${head}msg=a=b`)).toThrow(CefError);
    expect(() => parseCef(`${head}msg=a\\|b`)).toThrow(/escape/);
    expect(() => parseCef(`${head}msg=a\nb`)).toThrow(/line break/);
    expect(() => parseCef('CEF:0|V|P\\x|1|sig|name|5|')).toThrow(/header escape/);
    expect(() => parseCef(`${head}src=::1`)).toThrow(/IPv4/);
    expect(() => parseCef(`${head}cs1=x`)).toThrow(/Label/);
    expect(() => parseCef(`${head}madeUp=1`)).toThrow(/not a CEF key/);
    expect(parseCef(`${head}msg=a\\=b|c d\\\\ act=x`).extensions).toEqual({ msg: 'a=b|c d\\', act: 'x' });
  });
});

import { describe, expect, it } from 'vitest';
import { bitCount } from '../../../src/domain/risk/day-mask.ts';
import { emptyProfile } from '../../../src/domain/risk/profile.ts';
import { together, VERDICT_MIN_CONFIDENCE, verdictOf, verdictsOf } from '../../../src/domain/risk/verdict.ts';
import {
  at,
  byTime,
  CARRIER,
  HOME,
  habitual,
  LAPTOP,
  live,
  MUNICH_HOME,
  NEW_YORK_HOME,
  OFFICE,
  OTHER_LAPTOP,
  PARIS_HOTEL,
  PHONE,
  type Step,
  step,
  VPN_EXIT,
} from './life.ts';

/** Someone else in another city, on their own laptop and home line, most evenings from `from` on. */
function sharer(from: number, to: number, network: object = MUNICH_HOME): Step[] {
  const steps: Step[] = [];
  for (let day = from; day < to; day += 1) if (day % 4 !== 1) steps.push(step(day, 20.5, OTHER_LAPTOP, network));
  return steps;
}

describe('verdicts', () => {
  it('none for a new account or an empty profile', () => {
    expect(verdictOf(emptyProfile())).toBeNull();
    expect(verdictOf(live(habitual(2)))).toBeNull();
  });

  it('none for a habitual user: a laptop at home and a phone on mobile data, every day for weeks', () => {
    expect(verdictOf(live(habitual(35)))).toBeNull();
  });

  it('sharing: two people in two cities, alternating daily over three weeks', () => {
    const verdict = verdictOf(live(byTime([...habitual(35), ...sharer(14, 35)])));
    expect(verdict).toMatchObject({ kind: 'sharing' });
    expect(verdict?.confidence).toBeGreaterThanOrEqual(0.6);
    expect(verdict?.since).toBe(at(14, 20.5));
    const messages = verdict?.evidence.map((evidence) => evidence.message).join('\n');
    expect(messages).toMatch(/Used from two places: .*Berlin.* and .*Munich/);
    expect(messages).toMatch(/Both active over the same \d+ days/);
    expect(verdict?.evidence.find((evidence) => evidence.message.startsWith('Used from'))?.values).toMatchObject({
      firstNetwork: 'AS3320',
      secondNetwork: 'AS6805',
      secondCountry: 'DE',
    });
  });

  it('sharing across countries, even on the same kind of device, when they switch within hours day after day', () => {
    const other: Step[] = [];
    for (let day = 10; day < 35; day += 1) if (day % 3 !== 0) other.push(step(day, 23, LAPTOP, NEW_YORK_HOME));
    expect(verdictOf(live(byTime([...habitual(35), ...other])))?.kind).toBe('sharing');
  });

  it('none for one person at home and at the office with the same laptop, and the phone on mobile data', () => {
    const steps = habitual(35);
    for (let day = 0; day < 35; day += 1) if (day % 7 < 5) steps.push(step(day, 10, LAPTOP, OFFICE));
    expect(verdictOf(live(byTime(steps)))).toBeNull();
  });

  it('none for a work laptop at the office beside a personal one at home (different hours, an office network)', () => {
    const steps = habitual(35);
    for (let day = 0; day < 35; day += 1) if (day % 7 < 5) steps.push(step(day, 10, OTHER_LAPTOP, OFFICE));
    expect(verdictOf(live(byTime(steps)))).toBeNull();
  });

  it('none for an account that starts on a trip: the laptop in Paris, the phone roaming on the home carrier', () => {
    // In an account's first days every device is new: the phone is not one the account never had.
    const steps: Step[] = [];
    for (let day = 0; day < 8; day += 1) {
      if (day % 2 === 0) steps.push(step(day, 9, LAPTOP, PARIS_HOTEL));
      else steps.push(step(day, 13, PHONE, CARRIER));
    }
    expect(verdictOf(live(byTime(steps)))).toBeNull();
  });

  it('none for a traveller: a week in Paris on the own laptop and phone, then home again', () => {
    const steps = [...habitual(20), ...habitual(10, 27)];
    for (let day = 20; day < 27; day += 1) {
      steps.push(step(day, 9, LAPTOP, PARIS_HOTEL), step(day, 19, PHONE, PARIS_HOTEL));
      // The phone roams on the home carrier, whose addresses stay German.
      steps.push(step(day, 13, PHONE, CARRIER));
    }
    expect(verdictOf(live(byTime(steps)))).toBeNull();
  });

  it('none for a traveller back in the same country twice, the phone roaming on its home carrier meanwhile', () => {
    const steps: Step[] = [];
    for (let day = 0; day < 35; day += 1) {
      const away = (day >= 8 && day < 13) || (day >= 20 && day < 25);
      steps.push(step(day, 8, PHONE, CARRIER), step(day, 19, LAPTOP, away ? PARIS_HOTEL : HOME));
    }
    expect(verdictOf(live(byTime(steps)))).toBeNull();
  });

  it('sharing beside an owner who only ever uses a phone on mobile data, when the other comes and goes for weeks', () => {
    const steps: Step[] = [];
    for (let day = 0; day < 35; day += 1) steps.push(step(day, 8, PHONE, CARRIER), step(day, 21, PHONE, CARRIER));
    const verdict = verdictOf(live(byTime([...steps, ...sharer(12, 35, PARIS_HOTEL)])));
    expect(verdict?.kind).toBe('sharing');
  });

  it('none for a new phone: a new device on the home networks, the old one gone', () => {
    const newPhone = { device: 'mobile/android', browser: 'chrome', os: 'android' };
    const steps = habitual(20).concat(
      habitual(15, 20).map((s) => (s.client === PHONE ? { ...s, client: newPhone } : s)),
    );
    expect(verdictOf(live(byTime(steps)))).toBeNull();
  });

  it('none for a user who always uses a VPN, whatever exit country it picks', () => {
    const steps: Step[] = [];
    for (let day = 0; day < 35; day += 1) {
      const exit = day % 3 === 0 ? { ...VPN_EXIT, asn: 9009, country: 'NL', city: 'Amsterdam' } : VPN_EXIT;
      steps.push(step(day, 19, LAPTOP, exit), step(day, 8, PHONE, exit));
    }
    expect(verdictOf(live(steps))).toBeNull();
  });

  it('sharing beside an owner who only uses a VPN: a device they never used, on an ordinary line, for weeks', () => {
    // The exits are placed by their country alone, which says nothing of where the owner is.
    const unplaced = { lat: null, lon: null, placeSource: 'country' };
    const steps: Step[] = [];
    for (let day = 0; day < 35; day += 1) {
      const exit =
        day % 3 === 0
          ? { ...VPN_EXIT, ...unplaced, asn: 9009, country: 'NL', city: 'Amsterdam' }
          : { ...VPN_EXIT, ...unplaced };
      steps.push(step(day, 19, LAPTOP, exit), step(day, 8, PHONE, exit));
    }
    const verdict = verdictOf(live(byTime([...steps, ...sharer(14, 35)])));
    expect(verdict).toMatchObject({ kind: 'sharing', since: at(14, 20.5) });
    const beside = verdict?.evidence.find((evidence) => evidence.message.startsWith('A device the owner never used'));
    expect(beside?.message).toMatch(
      /laptop\/macos .* on AS6805 .* beside the owner's anonymous networks \(4 personas\)/,
    );
    expect(beside?.values).toMatchObject({ secondNetwork: 'AS6805', anonymousShareBefore: 1 });
    expect(verdict?.evidence.find((evidence) => evidence.values.spanDays !== undefined)?.values).toMatchObject({
      spanDays: 21,
      secondActiveDays: 16,
    });
  });

  it('sharing beside a VPN owner on the same kind of device, when producer coordinates put them far apart', () => {
    const steps: Step[] = [];
    for (let day = 0; day < 35; day += 1)
      steps.push(step(day, 19, OTHER_LAPTOP, VPN_EXIT), step(day, 8, PHONE, VPN_EXIT));
    const verdict = verdictOf(live(byTime([...steps, ...sharer(14, 35)])));
    expect(verdict?.kind).toBe('sharing');
    const far = verdict?.evidence.find((evidence) => evidence.values.distanceKm !== undefined);
    expect(far?.message).toMatch(/far from where the owner's .* is/);
    expect(far?.values.distanceKm).toBeGreaterThan(450);
  });

  it('none for a VPN user whose new phone, off the VPN, replaced the old one', () => {
    const newPhone = { device: 'mobile/android', browser: 'chrome', os: 'android' };
    const steps: Step[] = [];
    for (let day = 0; day < 35; day += 1) {
      steps.push(step(day, 19, LAPTOP, VPN_EXIT));
      steps.push(day < 14 ? step(day, 8, PHONE, VPN_EXIT) : step(day, 8, newPhone, CARRIER));
    }
    expect(verdictOf(live(steps))).toBeNull();
  });

  it('sharing across countries on the same kind of device, the other coming back in many separate runs', () => {
    const other: Step[] = [];
    // Two or three days on, one or two off, for three weeks: never a trip, and the owner's line stays busy.
    for (let day = 12; day < 35; day += 1)
      if (day % 4 !== 0 && day % 7 !== 3) other.push(step(day, 14, LAPTOP, PARIS_HOTEL));
    const verdict = verdictOf(live(byTime([...habitual(35), ...other])));
    expect(verdict?.kind).toBe('sharing');
    expect(verdict?.evidence.map((evidence) => evidence.message).join('\n')).toMatch(/Used from two places/);
  });

  it('counts a second person’s days on their home line and their carrier together', () => {
    // Their own laptop, two evenings at home and two on another network: each alone is too few days.
    const otherNetwork = { ...MUNICH_HOME, ip: '81.200.3.3', subnet: '81.200.3.0/24', asn: 13184 };
    const other = [28, 32].map((day) => step(day, 20.5, OTHER_LAPTOP, MUNICH_HOME));
    other.push(...[30, 34].map((day) => step(day, 20.5, OTHER_LAPTOP, otherNetwork)));
    const profile = live(byTime([...habitual(35), ...other]));
    const days = (network: string) => profile.personas.find((persona) => persona.network === network)?.days ?? 0;
    expect([days('AS6805'), days('AS13184')].map(bitCount)).toEqual([2, 2]);
    const verdict = verdictOf(profile);
    expect(verdict?.kind).toBe('sharing');
    expect(verdict?.evidence.find((evidence) => evidence.values.spanDays !== undefined)?.values).toMatchObject({
      secondActiveDays: 4,
    });
  });

  it('decides again only when the personas or the day change, and gives the same answer as deciding afresh', () => {
    const profile = live(byTime([...habitual(35), ...sharer(14, 35)]));
    const first = verdictOf(profile);
    expect(verdictOf(profile)).toBe(first);
    expect(verdictOf({ ...profile, personas: [...profile.personas] })).toEqual(first);
    // The next day is a new day for every persona: decided again, same shape.
    const later = live([step(35, 20.5, OTHER_LAPTOP, MUNICH_HOME)], profile);
    const next = verdictOf(later);
    expect(next).not.toBe(first);
    expect(next?.kind).toBe('sharing');
  });

  it('none for a home line whose /24 rotates (no ASN known)', () => {
    const steps: Step[] = [];
    for (let day = 0; day < 35; day += 1) {
      const subnet = `81.2.${60 + Math.floor(day / 3)}.0/24`;
      steps.push(step(day, 19, LAPTOP, { ...HOME, asn: null, type: null, subnet, ip: subnet.replace('0/24', '9') }));
      steps.push(step(day, 8, PHONE, { ...HOME, asn: null, type: null, subnet, ip: subnet.replace('0/24', '9') }));
    }
    expect(verdictOf(live(steps))).toBeNull();
  });

  describe('a second household on the owner’s provider', () => {
    /** The owner's home line on AS3320, moved to a new address by the provider every `every` days. */
    const homeOn = (day: number, every = 6) => ({ ...HOME, ip: `81.2.69.${10 + Math.floor(day / every)}` });
    const neighbour = { ...HOME, ip: '81.2.69.200' };
    function owner(days: number): Step[] {
      const steps: Step[] = [];
      for (let day = 0; day < days; day += 1) {
        steps.push(step(day, 19, LAPTOP, homeOn(day)));
        if (day % 3 === 0) steps.push(step(day, 20, PHONE, homeOn(day)));
      }
      return steps;
    }
    /** Evenings on one fixed address of the same provider, three days in four from `from` on. */
    function household(from: number, to: number, client: object, network: object = neighbour): Step[] {
      const steps: Step[] = [];
      for (let day = from; day < to; day += 1)
        if (day % 4 !== 1) steps.push(step(day, day % 2 === 0 ? 20.5 : 19.5, client, network));
      return steps;
    }

    it('sharing: a fixed address that keeps coming back at the same hours while the owner’s moves on, with its own device', () => {
      const verdict = verdictOf(live(byTime([...owner(35), ...household(12, 35, OTHER_LAPTOP)])));
      expect(verdict).toMatchObject({ kind: 'sharing', since: at(12, 20.5) });
      expect(verdict?.evidence.map((evidence) => evidence.message).join('\n')).toMatch(/Both active over the same/);
      expect(verdict?.confidence).toBeGreaterThanOrEqual(VERDICT_MIN_CONFIDENCE);
      const line = verdict?.evidence.find((evidence) => evidence.message.startsWith('A second home line'));
      expect(line?.values).toMatchObject({
        network: 'AS3320',
        secondAddress: '81.2.69.200',
        secondDevices: 'laptop/macos safari',
      });
    });

    it('tells a device the account never had sooner: a week of taking turns, where one it had needs ten days', () => {
      const week = byTime([...owner(20), ...household(12, 20, OTHER_LAPTOP)]);
      expect(verdictOf(live(week))).toMatchObject({ kind: 'sharing' });
      // The same laptop known to the account before the second line came (once, elsewhere): not a newcomer's.
      const known = step(3, 12, OTHER_LAPTOP, CARRIER);
      expect(verdictOf(live(byTime([known, ...week])))).toBeNull();
    });

    it('none for one household whose address the provider reassigns every few days', () => {
      expect(verdictOf(live(byTime(owner(35))))).toBeNull();
      // A second device of the household's own joins it: still one address at a time.
      const tablet = { device: 'tablet/android', browser: 'chrome', os: 'android' };
      expect(
        verdictOf(live(byTime([...owner(35), ...household(12, 35, tablet, undefined).map(onOwnersLine)]))),
      ).toBeNull();
    });

    it('none for the owner’s own laptop on a second line of the provider (a partner’s flat), nothing of its own there', () => {
      expect(verdictOf(live(byTime([...owner(35), ...household(12, 35, LAPTOP)])))).toBeNull();
    });

    it('none for a second line used at other hours, as an office on a residential line is', () => {
      const office: Step[] = [];
      for (let day = 0; day < 35; day += 1) if (day % 7 < 5) office.push(step(day, 10, OTHER_LAPTOP, neighbour));
      expect(verdictOf(live(byTime([...owner(35), ...office])))).toBeNull();
    });

    /** The step moved onto the owner's address of its day. */
    function onOwnersLine(one: Step): Step {
      const day = Math.floor(((one.at as number) - at(0, 0)) / 86_400_000);
      return { ...one, network: homeOn(day) };
    }
  });

  it('takeover: a first-seen persona abroad changes the password within the hour', () => {
    const steps = [
      ...habitual(30),
      step(30, 2, OTHER_LAPTOP, NEW_YORK_HOME),
      { ...step(30, 2.3, OTHER_LAPTOP, NEW_YORK_HOME), kind: 'password_change' },
    ];
    const verdict = verdictOf(live(byTime(steps)));
    expect(verdict).toMatchObject({ kind: 'takeover', since: at(30, 2) });
    expect(verdict?.confidence).toBeGreaterThanOrEqual(0.7);
    expect(verdict?.evidence[0]?.message).toMatch(/Sensitive actions \(password_change\) 0\.3 h after/);
    expect(verdict?.evidence.map((evidence) => evidence.message)).toContainEqual(
      expect.stringMatching(/First login from US/),
    );
  });

  it('takeover: the owner’s own browser through a VPN, on an account that never used one', () => {
    const verdict = verdictOf(live(byTime([...habitual(30), step(30, 3, LAPTOP, VPN_EXIT)])));
    expect(verdict).toMatchObject({ kind: 'takeover' });
    expect(verdict?.evidence[0]?.values).toMatchObject({ anonymousShareBefore: 0, personaNetworkType: 'vpn' });
  });

  it('takeover: a device, a network and a country all new to the account, with no sensitive action', () => {
    const steps = [...habitual(30), step(30, 2, OTHER_LAPTOP, NEW_YORK_HOME), step(30, 9, OTHER_LAPTOP, NEW_YORK_HOME)];
    const verdict = verdictOf(live(byTime(steps)));
    expect(verdict).toMatchObject({ kind: 'takeover', since: at(30, 2) });
    expect(verdict?.evidence.map((evidence) => evidence.message)).toContain(
      'A device, a network and a country all new to the account',
    );
    // The owner's own laptop in the same place is a trip.
    const trip = [...habitual(30), step(30, 2, LAPTOP, NEW_YORK_HOME), step(30, 9, LAPTOP, NEW_YORK_HOME)];
    expect(verdictOf(live(byTime(trip)))).toBeNull();
    // Taking turns with the owner for weeks, the stranger is a second user.
    const shared = [...habitual(30), ...sharer(10, 30, NEW_YORK_HOME)];
    const verdicts = verdictsOf(live(byTime(shared)));
    expect(verdicts[0]?.kind).toBe('sharing');
    expect(verdicts.flatMap((verdict) => verdict.evidence.map((evidence) => evidence.message))).not.toContain(
      'A device, a network and a country all new to the account',
    );
  });

  it('takeover: the owner’s own laptop abroad by a trip no airliner could make, even with no sensitive action', () => {
    const travelled = ['impossible_travel'] as const;
    const steps = [
      ...habitual(30),
      { ...step(30, 2, LAPTOP, NEW_YORK_HOME), signals: [...travelled] },
      step(30, 9, LAPTOP, NEW_YORK_HOME),
    ];
    const verdict = verdictOf(live(byTime(steps)));
    expect(verdict).toMatchObject({ kind: 'takeover', since: at(30, 2) });
    expect(verdict?.evidence.map((evidence) => evidence.values.signal)).toContain('impossible_travel');
    // A second user switching in from far away day after day is sharing, not an impossible arrival.
    const shared = [
      ...habitual(30),
      ...sharer(10, 30, NEW_YORK_HOME).map((event) => ({ ...event, signals: [...travelled] })),
    ];
    const verdicts = verdictsOf(live(byTime(shared)));
    expect(verdicts[0]?.kind).toBe('sharing');
    expect(verdicts.flatMap((v) => v.evidence.map((evidence) => evidence.values.signal))).not.toContain(
      'impossible_travel',
    );
  });

  it('no takeover from a password change on a known persona, or on a young account', () => {
    const own = [...habitual(30), { ...step(30, 19.1, LAPTOP, HOME), kind: 'password_change' }];
    expect(verdictOf(live(byTime(own)))).toBeNull();
    const young = [
      ...habitual(2),
      step(2, 2, OTHER_LAPTOP, NEW_YORK_HOME),
      { ...step(2, 2.2, OTHER_LAPTOP, NEW_YORK_HOME), kind: 'password_change' },
    ];
    expect(verdictOf(live(byTime(young)))).toBeNull();
  });

  it('stuffing: a login from a source failing across many accounts, on a network new to the account', () => {
    const steps = [
      ...habitual(20),
      { ...step(20, 4, OTHER_LAPTOP, VPN_EXIT), signals: ['credential_stuffing'] as const },
    ];
    const verdict = verdictOf(live(byTime(steps as Step[])));
    expect(verdict).toMatchObject({ kind: 'stuffing', since: at(20, 4) });
    expect(verdict?.confidence).toBeGreaterThanOrEqual(0.8);
    expect(verdict?.evidence[0]?.values).toMatchObject({ signal: 'credential_stuffing', personaNetwork: 'AS39351' });
    // The user's own network crowded at peak time is not stuffing.
    const own = [...habitual(20), { ...step(20, 19.5, LAPTOP, HOME), signals: ['credential_stuffing'] as const }];
    expect(verdictOf(live(byTime(own as Step[])))).toBeNull();
  });

  it('leads with takeover when a stuffing source that got in then acted like an intruder', () => {
    const steps = [
      ...habitual(20),
      { ...step(20, 4, OTHER_LAPTOP, VPN_EXIT), signals: ['credential_stuffing'] as const },
      { ...step(20, 4.1, OTHER_LAPTOP, VPN_EXIT), kind: 'password_change' },
    ];
    const verdicts = verdictsOf(live(byTime(steps as Step[])));
    expect(verdicts.map((verdict) => verdict.kind)).toEqual(['takeover', 'stuffing']);
    // The stuffing verdict is the more confident; it stays, second.
    expect(verdicts[1]?.confidence).toBeGreaterThan(verdicts[0]?.confidence ?? 1);
  });

  it(`never gives a verdict under ${VERDICT_MIN_CONFIDENCE}`, () => {
    // A first trip abroad alone is weak evidence.
    const verdict = verdictOf(live(byTime([...habitual(30), step(30, 12, LAPTOP, PARIS_HOTEL)])));
    expect(verdict).toBeNull();
  });
});

describe('together', () => {
  it('measures the days two personas share: span, active days in it, switches', () => {
    // Bit d = d days ago. a: days 9..0 every other day; b: days 8..1 every other day.
    const a = 0b1010101010 >> 1;
    const b = 0b0101010101 << 1;
    expect(together(a, b)).toEqual({ span: 8, ownerDays: 4, otherDays: 4, switches: 7 });
    expect(together(0b1100000, 0b11)).toBeNull();
  });
});

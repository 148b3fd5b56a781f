import type { Baseline } from '../baseline.ts';
import type { Observation } from '../observation.ts';
import { isAnonymous } from '../personas.ts';
import type { NetworkActivity, Signal, SourceActivity } from '../signals.ts';

type Scope = 'ip' | 'subnet' | 'asn';

/**
 * Accounts new to a network that failed to log in from it within the window:
 * attack evidence (Auth0 and Okta count failures across accounts, not heads).
 * ASNs are broad, so they need more.
 */
const FAILING_NEWCOMERS: Record<Scope, number> = { ip: 5, subnet: 10, asn: 20 };
/**
 * The first accounts of a run from a hosting, VPN or Tor address: a few
 * accounts new to it failing within minutes of each other. People mistype
 * one account at a time, and few log in from a data centre; on an office or
 * home network (everyone's is new to them on their first days) a few failing
 * at once is ordinary. Scored at EARLY_FACTOR.
 */
const EARLY_FAILING_NEWCOMERS: Record<Scope, number> = { ip: 2, subnet: 3, asn: 4 };
/**
 * An account never seen before failing from such an address is the run's
 * first guess at a name, before any other has failed beside it: an owner's
 * first login is their own, and a mistyped name is typed from home.
 */
const UNSEEN_ACCOUNT_FAILING_NEWCOMERS = 1;
const EARLY_FACTOR = 0.6;
/** In a stuffing run most newcomers fail; on a busy network a few mistypes are among many successes. */
const FAILING_SHARE = 0.5;
/** Accounts new to an IP or subnet, far above what it usually carries: a surge without failures. */
const SURGE_NEWCOMERS: Record<Exclude<Scope, 'asn'>, number> = { ip: 10, subnet: 20 };
const SURGE_FACTOR = 4;

/** A stuffing success scores high; the failures and unknown outcomes around it less. */
const FAILING_SCORES = { success: 0.85, unknown: 0.6, failure: 0.5 };
const SURGE_SCORE = 0.3;

const LABELS: Record<Scope, string> = { ip: 'IP', subnet: 'subnet', asn: 'ASN' };

/**
 * A network failing across many accounts new to it (or carrying far more new
 * accounts than it usually does), for an account to which it is new too.
 * Head count alone is never evidence: an ISP's /24 or a carrier's CGNAT
 * address carries hundreds of accounts at its evening peak, each on its own
 * usual network, and the event's own network is evidence of safety.
 */
export function credentialStuffingSignal(
  activity: NetworkActivity,
  observation: Observation,
  baseline: Baseline,
): Signal | null {
  if (activity.ownNetwork) return null;
  let early: Scope | null = null;
  const anonymised = isAnonymous(observation.network.type);
  const unseen = baseline.events === 0 && observation.outcome === 'failure';
  for (const scope of ['ip', 'subnet', 'asn'] as const) {
    const source = activity[scope];
    if (source === null) continue;
    const { failingNewcomers, newcomers } = source;
    if (failingNewcomers < FAILING_SHARE * newcomers) continue;
    if (failingNewcomers >= FAILING_NEWCOMERS[scope]) return stuffing(scope, source, activity, observation, 'failing');
    const needed = unseen ? UNSEEN_ACCOUNT_FAILING_NEWCOMERS : EARLY_FAILING_NEWCOMERS[scope];
    if (early === null && anonymised && failingNewcomers >= needed) early = scope;
  }
  if (early !== null) return stuffing(early, activity[early] as SourceActivity, activity, observation, 'early');
  // An account without a baseline has no network of its own yet, so no network is new to it.
  if (!baseline.complete) return null;
  for (const scope of ['ip', 'subnet'] as const) {
    const source = activity[scope];
    if (source === null) continue;
    if (source.newcomers >= SURGE_NEWCOMERS[scope] && source.newcomers >= SURGE_FACTOR * Math.max(1, source.usual)) {
      return stuffing(scope, source, activity, observation, 'surge');
    }
  }
  return null;
}

function stuffing(
  scope: Scope,
  source: SourceActivity,
  activity: NetworkActivity,
  observation: Observation,
  kind: 'failing' | 'early' | 'surge',
): Signal {
  const { network, outcome } = observation;
  const address = scope === 'ip' ? network.ip : scope === 'subnet' ? network.subnet : `AS${network.asn}`;
  const minutes = activity.windowMs / 60_000;
  const accounts = (count: number) => `${count} account${count === 1 ? '' : 's'} new to it`;
  const what =
    kind === 'surge'
      ? `${accounts(source.newcomers)} logged in`
      : `${accounts(source.failingNewcomers)} failed to log in`;
  const failing = FAILING_SCORES[outcome ?? 'unknown'];
  const login = outcome === 'success' ? 'Login succeeded' : outcome === 'failure' ? 'Failed login' : 'Login';
  return {
    name: 'credential_stuffing',
    score: kind === 'surge' ? SURGE_SCORE : kind === 'early' ? EARLY_FACTOR * failing : failing,
    message: `${login} from ${LABELS[scope]} ${address}, where ${what} within ${minutes} minutes (it usually carries ${source.usual} accounts of its own)`,
    evidence: {
      source: scope,
      network: address,
      evidence: kind,
      outcome,
      accounts: source.accounts,
      newAccounts: source.newcomers,
      failingAccounts: source.failing,
      failingNewAccounts: source.failingNewcomers,
      usualAccounts: source.usual,
      windowMinutes: minutes,
    },
  };
}

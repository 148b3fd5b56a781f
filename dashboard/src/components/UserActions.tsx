'use client';

import { useEffect, useId, useState } from 'react';
import {
  type TrustKind,
  type UserActions_UserQuery,
  useUserActions_RemoveTrustMutation,
  useUserActions_TrustMutation,
  useUserActions_UndoFalsePositiveMutation,
  useUserActions_UserQuery,
} from '../generated/graphql';
import { formErrors } from '../lib/api-errors';
import { EXPIRY_DAYS, type ExpiryChoice, expiresAt, expiryLabel } from '../lib/expiry';
import { formatTime, visibleId } from '../lib/format';
import { fieldErrors, OtherError } from './FieldErrors';
import { loweringsText, signalName } from './Lowerings';

/** The API's default lifetime of a trust entry, in days (`trustForUser`). */
const TRUST_DAYS = 90;

type Latest = NonNullable<NonNullable<UserActions_UserQuery['user']>['latestEvent']>;

/** What the latest event offers to trust, most specific first: value as the API accepts it, and why. */
function choicesFor(kind: TrustKind, latest: Latest | null): Array<{ value: string; text: string }> {
  if (latest === null) return [];
  if (kind === 'NETWORK') {
    const out: Array<{ value: string; text: string }> = [];
    if (latest.ipClass) out.push({ value: latest.ipClass, text: `${latest.ipClass}, the latest event’s network` });
    if (latest.network.asn !== null && latest.network.asn !== undefined)
      out.push({
        value: `AS${latest.network.asn}`,
        text: `AS${latest.network.asn}${latest.network.asnOrganization ? ` ${latest.network.asnOrganization}` : ''}, its operator`,
      });
    if (latest.ip) out.push({ value: latest.ip, text: `${latest.ip}, that address alone` });
    return out;
  }
  const out: Array<{ value: string; text: string }> = [];
  if (latest.device) {
    const device = latest.os ? `${latest.device}/${latest.os}` : latest.device;
    out.push({ value: `device:${device}`, text: `${device}, the latest event’s device` });
  }
  if (latest.browser) out.push({ value: `browser:${latest.browser}`, text: `${latest.browser}, its browser` });
  if (latest.os) out.push({ value: `os:${latest.os}`, text: `${latest.os}, its OS` });
  return out;
}

/**
 * The analyst's corrections for one user: trust the latest event's network or
 * device (prefilled from it), and the user's trust entries and false
 * positives with what each lowers and until when, each removable. Refreshed
 * whenever the page's `refreshKey` moves (new events, triage) and after each
 * action here.
 */
export function UserActions({
  userId,
  refreshKey,
  onChanged,
}: {
  userId: string;
  refreshKey: number;
  onChanged?: () => void;
}) {
  const [includeInactive, setIncludeInactive] = useState(false);
  const [{ data, error }, reexecute] = useUserActions_UserQuery({
    variables: { id: userId, includeInactive },
    requestPolicy: 'network-only',
  });
  useEffect(() => {
    if (refreshKey > 0) reexecute({ requestPolicy: 'network-only' });
  }, [refreshKey, reexecute]);
  const [kind, setKind] = useState<TrustKind | null>(null);
  const [removing, removeTrust] = useUserActions_RemoveTrustMutation();
  const [undoing, undoFalsePositive] = useUserActions_UndoFalsePositiveMutation();
  const refresh = () => {
    reexecute({ requestPolicy: 'network-only' });
    onChanged?.();
  };
  const user = data?.user;
  const factors = new Map((user?.adjustments ?? []).map((a) => [`${a.source}:${a.id}`, a]));
  const listErrors = formErrors(removing.error ?? undoing.error);
  return (
    <section className="card user-actions" aria-labelledby="actions-title">
      <div className="card-head">
        <h2 id="actions-title">Trust and false positives</h2>
        <div className="alert-actions">
          <button type="button" aria-pressed={kind === 'NETWORK'} onClick={() => setKind('NETWORK')}>
            Trust this network
          </button>
          <button type="button" aria-pressed={kind === 'DEVICE'} onClick={() => setKind('DEVICE')}>
            Trust this device
          </button>
        </div>
      </div>
      {error && !data ? <p role="alert">{error.message}</p> : null}
      {kind && user ? (
        <TrustForm
          key={`${kind}:${user.latestEvent?.id ?? ''}`}
          userId={userId}
          kind={kind}
          latest={user.latestEvent ?? null}
          onDone={(made) => {
            if (made) refresh();
            setKind(null);
          }}
        />
      ) : null}
      {listErrors.other ? (
        <p className="field-error" role="alert">
          {listErrors.other}
        </p>
      ) : null}
      {user ? (
        <>
          <h3>Trusted for {visibleId(userId)}</h3>
          {user.trustEntries.length === 0 ? (
            <p className="muted">No trust entries{includeInactive ? '' : ' in force'}.</p>
          ) : (
            <ul className="entries" data-testid="trust-entries">
              {user.trustEntries.map((entry) => {
                const now = factors.get(`TRUST:${entry.id}`);
                return (
                  <li key={entry.id} data-testid="trust-entry" data-entry-id={entry.id} data-active={entry.active}>
                    <div>
                      <strong>
                        trust #{entry.id}: {entry.value}
                      </strong>{' '}
                      <span className="muted">“{entry.reason}”</span>
                    </div>
                    <div className="entry-facts">
                      {entry.kind === 'NETWORK' ? 'Network' : 'Device'}, by {entry.createdBy} on{' '}
                      {formatTime(entry.createdAt)}.{' '}
                      {entry.active
                        ? `Lowers ${now ? loweringsText(now.lowers) : entry.lowers.map(signalName).join(', ')} until ${formatTime(entry.expiresAt)}.`
                        : entry.removedAt
                          ? `Removed by ${entry.removedBy ?? '—'} on ${formatTime(entry.removedAt)}.`
                          : `Expired ${formatTime(entry.expiresAt)}.`}
                    </div>
                    {entry.active ? (
                      <button
                        type="button"
                        className="secondary"
                        disabled={removing.fetching}
                        aria-label={`Remove trust #${entry.id} (${entry.value})`}
                        onClick={async () => {
                          const result = await removeTrust({ id: entry.id });
                          if (result.data) refresh();
                        }}
                      >
                        Remove
                      </button>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          )}
          <h3>False positives</h3>
          {user.falsePositives.length === 0 ? (
            <p className="muted">No alerts marked false positives{includeInactive ? '' : ' in force'}.</p>
          ) : (
            <ul className="entries" data-testid="false-positives">
              {user.falsePositives.map((fp) => {
                const now = factors.get(`FALSE_POSITIVE:${fp.id}`);
                const lowers = now?.lowers ?? fp.lowers;
                return (
                  <li key={fp.id} data-testid="false-positive-entry" data-entry-id={fp.id} data-active={fp.active}>
                    <div>
                      <strong>
                        false positive #{fp.id} on alert {fp.alertId}
                      </strong>{' '}
                      <span className="muted">“{fp.reason}”</span>
                    </div>
                    <div className="entry-facts">
                      By {fp.createdBy} on {formatTime(fp.createdAt)}.{' '}
                      {fp.active
                        ? lowers.length > 0
                          ? `Lowers ${loweringsText(lowers)} until ${formatTime(fp.until)}.`
                          : 'Lowers nothing: the alert had no signal a false positive lowers.'
                        : fp.undoneAt
                          ? `Undone by ${fp.undoneBy ?? '—'} on ${formatTime(fp.undoneAt)}.`
                          : `Lapsed ${formatTime(fp.until)}.`}
                    </div>
                    {fp.active ? (
                      <button
                        type="button"
                        className="secondary"
                        disabled={undoing.fetching}
                        aria-label={`Undo false positive #${fp.id}`}
                        onClick={async () => {
                          const result = await undoFalsePositive({ id: fp.id });
                          if (result.data) refresh();
                        }}
                      >
                        Undo
                      </button>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          )}
          <label className="show-inactive">
            <input type="checkbox" checked={includeInactive} onChange={(e) => setIncludeInactive(e.target.checked)} />{' '}
            Show removed, expired and undone entries
          </label>
        </>
      ) : null}
    </section>
  );
}

/** Trusting a network or a device: what (prefilled from the latest event), why, until when, then a confirmation. */
function TrustForm({
  userId,
  kind,
  latest,
  onDone,
}: {
  userId: string;
  kind: TrustKind;
  latest: Latest | null;
  onDone: (made: boolean) => void;
}) {
  const choices = choicesFor(kind, latest);
  const [value, setValue] = useState(choices[0]?.value ?? '');
  const [reason, setReason] = useState('');
  const [days, setDays] = useState<ExpiryChoice>('');
  const [confirming, setConfirming] = useState(false);
  const [trusting, trust] = useUserActions_TrustMutation();
  const id = useId();
  const errors = formErrors(trusting.error);
  const what = kind === 'NETWORK' ? 'network' : 'device';
  const { fieldError, described } = fieldErrors(errors, id);
  return (
    <form
      className="trust-form"
      aria-label={`Trust a ${what} for ${visibleId(userId)}`}
      onSubmit={async (e) => {
        e.preventDefault();
        if (!confirming) {
          setConfirming(true);
          return;
        }
        const result = await trust({ userId, kind, value, reason, expiresAt: expiresAt(days) });
        setConfirming(false);
        if (result.data?.trustForUser) onDone(true);
      }}
    >
      {choices.length > 1 ? (
        <label>
          Prefill from the latest event{' '}
          <select
            value={choices.some((c) => c.value === value) ? value : ''}
            onChange={(e) => setValue(e.target.value)}
          >
            {choices.some((c) => c.value === value) ? null : <option value="">(edited)</option>}
            {choices.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.text}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label htmlFor={`${id}-value`}>
        {kind === 'NETWORK'
          ? 'Network: an IPv4 CIDR, an IPv6 prefix or an ASN (81.2.69.0/24, 2001:db8::/48, AS3320)'
          : 'Device: laptop/windows, browser:chrome or os:ios'}
      </label>
      <input
        id={`${id}-value`}
        value={value}
        required
        onChange={(e) => {
          setValue(e.target.value);
          setConfirming(false);
        }}
        {...described('value')}
      />
      {fieldError('value')}
      <label htmlFor={`${id}-reason`}>Reason</label>
      <input
        id={`${id}-reason`}
        value={reason}
        required
        maxLength={500}
        placeholder={kind === 'NETWORK' ? 'Home office' : 'Issued by IT'}
        onChange={(e) => {
          setReason(e.target.value);
          setConfirming(false);
        }}
        {...described('reason')}
      />
      {fieldError('reason')}
      <label htmlFor={`${id}-expiry`}>Expires after</label>
      <select
        id={`${id}-expiry`}
        value={days}
        onChange={(e) => {
          setDays(e.target.value as ExpiryChoice);
          setConfirming(false);
        }}
        {...described('expiresAt')}
      >
        {EXPIRY_DAYS.map((d) => (
          <option key={d} value={d}>
            {expiryLabel(d, TRUST_DAYS)}
          </option>
        ))}
      </select>
      {fieldError('expiresAt')}
      {fieldError('userId')}
      <OtherError errors={errors} />
      {confirming ? (
        <p role="status" className="confirm">
          Trust {value.trim()} for {visibleId(userId)} for {expiryLabel(days, TRUST_DAYS).replace(' (default)', '')}?
          Their events from it will score 0 on the signals it vouches for, from the next event on.
        </p>
      ) : null}
      <div className="alert-actions">
        <button type="submit" disabled={trusting.fetching}>
          {confirming ? 'Confirm' : `Trust this ${what}`}
        </button>
        <button type="button" className="secondary" onClick={() => (confirming ? setConfirming(false) : onDone(false))}>
          {confirming ? 'Back' : 'Cancel'}
        </button>
      </div>
    </form>
  );
}

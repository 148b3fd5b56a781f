'use client';

import { useId, useState } from 'react';
import {
  type AllowListKind,
  useAllowList_CreateMutation,
  useAllowList_EntriesQuery,
  useAllowList_RemoveMutation,
} from '../generated/graphql';
import { formErrors } from '../lib/api-errors';
import { EXPIRY_DAYS, type ExpiryChoice, expiresAt, expiryLabel } from '../lib/expiry';
import { formatTime } from '../lib/format';
import { fieldErrors, OtherError } from './FieldErrors';
import { signalName } from './Lowerings';

/** The API's default lifetime of an allow-list entry, in days (`createAllowListEntry`). */
const ALLOW_DAYS = 365;

const KINDS: ReadonlyArray<readonly [AllowListKind, string, string]> = [
  ['IPV4_CIDR', 'IPv4 CIDR', '10.0.0.0/8'],
  ['IPV6_PREFIX', 'IPv6 prefix', '2001:db8::/32'],
  ['ASN', 'ASN', 'AS13335'],
  ['COUNTRY', 'Country', 'DE'],
];

/**
 * The organisation allow-list: networks, operators and countries whose
 * novelty signals score 0 for every user. Listed (removed and expired ones on
 * demand), added and removed here; the API lets only admins change it.
 */
export function AllowList({ onChanged }: { onChanged?: () => void }) {
  const [includeInactive, setIncludeInactive] = useState(false);
  const [{ data, error }, reexecute] = useAllowList_EntriesQuery({
    variables: { includeInactive },
    requestPolicy: 'network-only',
  });
  const [creating, create] = useAllowList_CreateMutation();
  const [removing, remove] = useAllowList_RemoveMutation();
  const [kind, setKind] = useState<AllowListKind>('IPV4_CIDR');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [days, setDays] = useState<ExpiryChoice>('');
  const id = useId();
  const errors = formErrors(creating.error);
  const removeErrors = formErrors(removing.error);
  const refresh = () => {
    reexecute({ requestPolicy: 'network-only' });
    onChanged?.();
  };
  const { fieldError, described } = fieldErrors(errors, id);
  return (
    <section className="card" aria-labelledby="allow-title">
      <h2 id="allow-title">Allow-list</h2>
      <p className="muted">
        For every user, events from these networks, operators or countries score 0 on the signals each vouches for (new
        network, operator or country, and the like); failed logins, stuffing and sensitive actions are never lowered.
      </p>
      <form
        className="allow-form"
        aria-label="Add to the allow-list"
        onSubmit={async (e) => {
          e.preventDefault();
          const result = await create({ kind, value, reason, expiresAt: expiresAt(days) });
          if (result.data?.createAllowListEntry) {
            setValue('');
            setReason('');
            refresh();
          }
        }}
      >
        <div>
          <label htmlFor={`${id}-kind`}>Kind</label>
          <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as AllowListKind)}>
            {KINDS.map(([k, text]) => (
              <option key={k} value={k}>
                {text}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-value`}>Value</label>
          <input
            id={`${id}-value`}
            value={value}
            required
            placeholder={KINDS.find(([k]) => k === kind)?.[2]}
            onChange={(e) => setValue(e.target.value)}
            {...described('value')}
          />
          {fieldError('value')}
        </div>
        <div>
          <label htmlFor={`${id}-reason`}>Reason</label>
          <input
            id={`${id}-reason`}
            value={reason}
            required
            maxLength={500}
            placeholder="Corporate VPN"
            onChange={(e) => setReason(e.target.value)}
            {...described('reason')}
          />
          {fieldError('reason')}
        </div>
        <div>
          <label htmlFor={`${id}-expiry`}>Expires after</label>
          <select
            id={`${id}-expiry`}
            value={days}
            onChange={(e) => setDays(e.target.value as ExpiryChoice)}
            {...described('expiresAt')}
          >
            {EXPIRY_DAYS.map((d) => (
              <option key={d} value={d}>
                {expiryLabel(d, ALLOW_DAYS)}
              </option>
            ))}
          </select>
          {fieldError('expiresAt')}
        </div>
        <button type="submit" disabled={creating.fetching}>
          Add to the allow-list
        </button>
      </form>
      <OtherError errors={errors} />
      {removeErrors.other ? (
        <p className="field-error" role="alert">
          {removeErrors.other}
        </p>
      ) : null}
      {error && !data ? <p role="alert">{error.message}</p> : null}
      {data && data.allowList.length === 0 ? (
        <p className="muted">No entries{includeInactive ? '' : ' in force'}.</p>
      ) : null}
      {data && data.allowList.length > 0 ? (
        <div className="table-wrap">
          <table data-testid="allow-list" className="cards-on-phone">
            <caption className="visually-hidden">Allow-list entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Entry</th>
                <th scope="col">Reason</th>
                <th scope="col">Lowers</th>
                <th scope="col">Added</th>
                <th scope="col">Until</th>
              </tr>
            </thead>
            <tbody>
              {data.allowList.map((entry) => (
                <tr key={entry.id} data-testid="allow-entry" data-entry-id={entry.id} data-active={entry.active}>
                  <th scope="row">
                    allow-list #{entry.id}: <code>{entry.value}</code>{' '}
                    <span className="muted">{KINDS.find(([k]) => k === entry.kind)?.[1]}</span>
                  </th>
                  <td data-label="Reason">{entry.reason}</td>
                  <td data-label="Lowers">{entry.lowers.map(signalName).join(', ')}</td>
                  <td data-label="Added">
                    {formatTime(entry.createdAt)} <span className="muted">by {entry.createdBy}</span>
                  </td>
                  <td data-label="Until">
                    {entry.active ? (
                      <>
                        {formatTime(entry.expiresAt)}{' '}
                        <button
                          type="button"
                          className="secondary"
                          disabled={removing.fetching}
                          aria-label={`Remove allow-list #${entry.id} (${entry.value})`}
                          onClick={async () => {
                            const result = await remove({ id: entry.id });
                            if (result.data) refresh();
                          }}
                        >
                          Remove
                        </button>
                      </>
                    ) : entry.removedAt ? (
                      `removed ${formatTime(entry.removedAt)} by ${entry.removedBy ?? '—'}`
                    ) : (
                      `expired ${formatTime(entry.expiresAt)}`
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <label className="show-inactive">
        <input type="checkbox" checked={includeInactive} onChange={(e) => setIncludeInactive(e.target.checked)} /> Show
        removed and expired entries
      </label>
    </section>
  );
}

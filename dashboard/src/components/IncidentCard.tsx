'use client';

import Link from 'next/link';
import type { IncidentCard_IncidentFragment, IncidentKind } from '../generated/graphql';
import { formatTime, plural, userHref, visibleId } from '../lib/format';
import { RiskBadge } from './RiskBadge';

/** Accounts listed before "and N more"; the alerts page lists them all. */
const LISTED = 12;

const KIND: Record<IncidentKind, string> = {
  STUFFING: 'Credential stuffing',
};

/**
 * One campaign across many accounts (credential stuffing from one source) as
 * one item: its severity, source, time span and the accounts it reached.
 */
export function IncidentCard({
  incident,
  listAll = false,
  selection,
}: {
  incident: IncidentCard_IncidentFragment;
  listAll?: boolean;
  selection?: { checked: boolean; onChange: (checked: boolean) => void };
}) {
  const users = listAll ? incident.users : incident.users.slice(0, LISTED);
  const more = incident.users.length - users.length;
  const title = `${KIND[incident.kind]} from ${incident.source}`;
  return (
    <article className="alert-card incident-card" data-testid="incident" data-kind={incident.kind.toLowerCase()}>
      <div className="alert-head">
        {selection ? (
          <input
            type="checkbox"
            checked={selection.checked}
            onChange={(e) => selection.onChange(e.target.checked)}
            aria-label={`Select the ${plural(incident.alerts.length, 'alert')} of this incident`}
          />
        ) : null}
        <RiskBadge level={incident.level} />
        <strong>{title}</strong>
        <span className="alert-status" data-testid="incident-accounts">
          {plural(incident.accounts, 'account')}
        </span>
      </div>
      <p className="muted alert-when">
        {plural(incident.alerts.length, 'alert')}, {formatTime(incident.firstAt)}
        {incident.lastAt === incident.firstAt ? '' : ` to ${formatTime(incident.lastAt)}`}
      </p>
      <ul className="incident-accounts">
        {users.map((user) => (
          <li key={user.id}>
            <Link href={userHref(user.id)}>{visibleId(user.id)}</Link>
          </li>
        ))}
        {more > 0 ? (
          <li>
            <Link href="/alerts">and {more} more</Link>
          </li>
        ) : null}
      </ul>
    </article>
  );
}

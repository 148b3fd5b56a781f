'use client';

import Link from 'next/link';
import { useId, useState } from 'react';
import {
  type AlertCard_AlertFragment,
  type AlertStatus,
  useAlertCard_SetStatusMutation,
  useAlertCard_UpdateMutation,
} from '../generated/graphql';
import { formatTime, plural, userHref, visibleId } from '../lib/format';
import { EventFacts } from './EventFacts';
import { RiskBadge } from './RiskBadge';
import { VerdictBadge } from './VerdictBadge';

/** Signal messages shown per alert; the rest are on the user's page. */
const REASONS = 3;

export interface AlertCardProps {
  alert: AlertCard_AlertFragment;
  /** Hidden on a user's own page, where the user is the page. */
  showUser?: boolean;
  /** The note editor and assignment (the alerts page); elsewhere they are only shown. */
  editable?: boolean;
  /** A checkbox for bulk actions. */
  selection?: { checked: boolean; onChange: (checked: boolean) => void };
  /** Called after this card changed the alert. */
  onChanged?: () => void;
}

/**
 * One alert: its severity, user and verdict, why it was raised, the last
 * event's place, network and client, its note and assignee, and triage.
 */
export function AlertCard({ alert, showUser = true, editable = false, selection, onChanged }: AlertCardProps) {
  const [triage, setStatus] = useAlertCard_SetStatusMutation();
  const [updating, update] = useAlertCard_UpdateMutation();
  const busy = triage.fetching || updating.fetching;
  const act = async (status: AlertStatus) => {
    await setStatus({ id: alert.id, status });
    onChanged?.();
  };
  const error = triage.error ?? updating.error;
  const status = alert.status.toLowerCase();
  return (
    <article className="alert-card" data-testid="alert" data-status={status} data-alert-id={alert.id}>
      <div className="alert-head">
        {selection ? (
          <input
            type="checkbox"
            checked={selection.checked}
            onChange={(e) => selection.onChange(e.target.checked)}
            aria-label={`Select the alert on ${visibleId(alert.user.id)}`}
          />
        ) : null}
        <RiskBadge score={alert.score} level={alert.level} />
        {showUser ? (
          <Link href={userHref(alert.user.id)} className="alert-user">
            {visibleId(alert.user.id)}
          </Link>
        ) : null}
        <VerdictBadge verdict={alert.user.verdict} />
        <span className="alert-status" data-testid="alert-status">
          {status}
        </span>
      </div>
      <ul className="alert-reasons">
        {alert.signals.slice(0, REASONS).map((signal) => (
          <li key={signal.name}>{signal.message}</li>
        ))}
      </ul>
      {alert.lastEvent ? <EventFacts event={alert.lastEvent} label="Last:" /> : null}
      <p className="muted alert-when">
        {plural(alert.events, 'risky event')}, {formatTime(alert.firstAt)}
        {alert.lastAt === alert.firstAt ? '' : ` to ${formatTime(alert.lastAt)}`}
        {alert.assignee ? (
          <>
            {' · '}
            <span data-testid="alert-assignee">assigned to {alert.assignee}</span>
          </>
        ) : null}
      </p>
      {alert.note ? (
        <p className="alert-note" data-testid="alert-note">
          Note: {alert.note}
        </p>
      ) : null}
      {error ? <p role="alert">Could not update the alert: {error.message}</p> : null}
      <div className="alert-actions">
        {alert.status === 'OPEN' ? (
          <button type="button" disabled={busy} onClick={() => act('ACKNOWLEDGED')}>
            Acknowledge
          </button>
        ) : null}
        {alert.status === 'RESOLVED' ? (
          <button type="button" className="secondary" disabled={busy} onClick={() => act('OPEN')}>
            Reopen
          </button>
        ) : (
          <button type="button" className="secondary" disabled={busy} onClick={() => act('RESOLVED')}>
            Resolve
          </button>
        )}
        {editable ? (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={async () => {
              await update({ id: alert.id, input: { assignToMe: true } });
              onChanged?.();
            }}
          >
            Assign to me
          </button>
        ) : null}
      </div>
      {editable ? (
        <NoteEditor key={alert.note ?? ''} alertId={alert.id} note={alert.note} onChanged={onChanged} />
      ) : null}
    </article>
  );
}

/** The note, behind a disclosure until asked for: most alerts are triaged without one. */
function NoteEditor({ alertId, note, onChanged }: { alertId: string; note: string | null; onChanged?: () => void }) {
  const [updating, update] = useAlertCard_UpdateMutation();
  const [text, setText] = useState(note ?? '');
  const id = useId();
  return (
    <details className="alert-note-editor">
      <summary>{note ? 'Edit the note' : 'Add a note'}</summary>
      <form
        className="alert-note-form"
        onSubmit={async (e) => {
          e.preventDefault();
          await update({ id: alertId, input: { note: text.trim() || null } });
          onChanged?.();
        }}
      >
        <label htmlFor={id}>Note</label>
        <textarea
          id={id}
          value={text}
          rows={3}
          maxLength={4000}
          onChange={(e) => setText(e.target.value)}
          placeholder="What you found, what you did"
        />
        <button type="submit" className="secondary" disabled={updating.fetching || text === (note ?? '')}>
          Save note
        </button>
      </form>
    </details>
  );
}

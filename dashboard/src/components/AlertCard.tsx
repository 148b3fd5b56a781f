'use client';

import Link from 'next/link';
import { useCallback, useId, useState } from 'react';
import {
  type AlertCard_AlertFragment,
  type AlertCard_FalsePositiveFragment,
  type AlertStatus,
  useAlertCard_MarkFalsePositiveMutation,
  useAlertCard_SetStatusMutation,
  useAlertCard_UndoFalsePositiveMutation,
  useAlertCard_UpdateMutation,
} from '../generated/graphql';
import { formErrors } from '../lib/api-errors';
import { formatTime, plural, userHref, visibleId } from '../lib/format';
import { EventFacts } from './EventFacts';
import { OtherError } from './FieldErrors';
import { loweringsText } from './Lowerings';
import { RiskBadge } from './RiskBadge';
import { Signals } from './Signals';
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
  /** The false positive this card marked (then it offers undo instead of triage); else the alert's own, while active. */
  mark?: AlertCard_FalsePositiveFragment;
  /** Called when the card marks its alert a false positive or undoes that. */
  onMarked?: (alert: AlertCard_AlertFragment, mark: AlertCard_FalsePositiveFragment) => void;
}

/** A false positive as a card shows it: marked on this page (all of it), or the alert's own as listed. */
type ShownMark = AlertCard_FalsePositiveFragment | NonNullable<AlertCard_AlertFragment['falsePositive']>;

/**
 * One alert: its severity, user and verdict, why it was raised, the last
 * event's place, network and client, its note and assignee, and triage.
 */
export function AlertCard({
  alert,
  showUser = true,
  editable = false,
  selection,
  onChanged,
  mark: markedHere,
  onMarked,
}: AlertCardProps) {
  // A mark made on this page, else the alert's own while it is in force.
  const mark: ShownMark | undefined = markedHere ?? (alert.falsePositive?.active ? alert.falsePositive : undefined);
  // Marking resolves the alert, and the list may not have fetched it again yet.
  const resolved = markedHere !== undefined || alert.status === 'RESOLVED';
  // A mark in force holds the alert resolved: undo it before triage (reopened since, triage is back).
  const held = mark?.active === true && resolved;
  const [triage, setStatus] = useAlertCard_SetStatusMutation();
  const [updating, update] = useAlertCard_UpdateMutation();
  const busy = triage.fetching || updating.fetching;
  const act = async (status: AlertStatus) => {
    await setStatus({ id: alert.id, status });
    onChanged?.();
  };
  const error = triage.error ?? updating.error;
  const status = (resolved ? 'RESOLVED' : alert.status).toLowerCase();
  return (
    <article
      className={held ? 'alert-card alert-marked' : 'alert-card'}
      data-testid="alert"
      data-status={status}
      data-alert-id={alert.id}
      data-false-positive={mark ? (mark.active ? 'marked' : 'undone') : undefined}
    >
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
      <Signals signals={alert.signals.slice(0, REASONS)} className="alert-reasons" />
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
      {mark ? (
        <MarkedFalsePositive alert={alert} mark={mark} resolved={resolved} onMarked={onMarked} onChanged={onChanged} />
      ) : null}
      {held ? null : (
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
          {mark?.active ? null : <FalsePositiveForm alert={alert} onMarked={onMarked} onChanged={onChanged} />}
        </div>
      )}
      {editable && !held ? (
        <NoteEditor key={alert.note ?? ''} alertId={alert.id} note={alert.note} onChanged={onChanged} />
      ) : null}
    </article>
  );
}

/**
 * "False positive": asks why, then marks the alert (which also resolves it)
 * so that the user's similar events weigh less.
 */
function FalsePositiveForm({
  alert,
  onMarked,
  onChanged,
}: {
  alert: AlertCard_AlertFragment;
  onMarked?: AlertCardProps['onMarked'];
  onChanged?: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [marking, markAlert] = useAlertCard_MarkFalsePositiveMutation();
  const id = useId();
  const errors = formErrors(marking.error);
  const reasonError = errors.byField.reason;
  if (!open) {
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        False positive
      </button>
    );
  }
  return (
    <form
      className="fp-form"
      aria-label={`Mark the alert on ${visibleId(alert.user.id)} a false positive`}
      onSubmit={async (e) => {
        e.preventDefault();
        const result = await markAlert({ alertId: alert.id, reason });
        const mark = result.data?.markAlertFalsePositive;
        if (mark) {
          onMarked?.({ ...alert, status: 'RESOLVED' }, mark);
          onChanged?.();
        }
      }}
    >
      <label htmlFor={id}>Why is it a false positive?</label>
      <input
        id={id}
        value={reason}
        required
        maxLength={500}
        onChange={(e) => setReason(e.target.value)}
        placeholder="The user is travelling"
        aria-invalid={reasonError ? true : undefined}
        aria-describedby={reasonError ? `${id}-error` : undefined}
      />
      {reasonError ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {reasonError}
        </p>
      ) : null}
      <p className="muted fp-hint">
        Marks it a false positive and resolves it: the user’s similar events weigh half as much, fading back over 120
        days.
      </p>
      <OtherError errors={errors} />
      <div className="alert-actions">
        <button type="submit" disabled={marking.fetching || reason.trim() === ''}>
          Mark false positive
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * A card's false positive: what it lowers (when marked on this page; the
 * user's page lists it otherwise), and undo while it is in force.
 */
function MarkedFalsePositive({
  alert,
  mark,
  resolved,
  onMarked,
  onChanged,
}: {
  alert: AlertCard_AlertFragment;
  mark: ShownMark;
  resolved: boolean;
  onMarked?: AlertCardProps['onMarked'];
  onChanged?: () => void;
}) {
  const [undoing, undo] = useAlertCard_UndoFalsePositiveMutation();
  const errors = formErrors(undoing.error);
  return (
    <div className="fp-marked" role="status">
      {mark.active ? (
        <>
          <p data-testid="false-positive">
            Marked a false positive (#{mark.id}): “{mark.reason}”.{resolved ? ' Resolved.' : ''}{' '}
            {'lowers' in mark
              ? mark.lowers.length > 0
                ? `The user’s similar events weigh less until ${formatTime(mark.until)}: ${loweringsText(mark.lowers)}.`
                : 'Nothing in it can be lowered (failed logins, stuffing and sensitive actions never are).'
              : 'What it lowers is listed on the user’s page.'}
          </p>
          <div className="alert-actions">
            <button
              type="button"
              className="secondary"
              disabled={undoing.fetching}
              onClick={async () => {
                const result = await undo({ id: mark.id });
                const undone = result.data?.undoFalsePositive;
                if (undone) {
                  onMarked?.(alert, undone);
                  onChanged?.();
                }
              }}
            >
              Undo false positive
            </button>
          </div>
        </>
      ) : (
        <p data-testid="false-positive">
          False positive #{mark.id} undone: the user’s next events score as before.
          {resolved ? ' The alert stays resolved.' : ''}
        </p>
      )}
      <OtherError errors={errors} />
    </div>
  );
}

/**
 * The alerts a list's cards marked false positives: a marked alert is resolved
 * and leaves an open list, so the list keeps its card (saying so, with undo)
 * until the page is left.
 */
export function useFalsePositiveMarks() {
  const [marks, setMarks] = useState<
    ReadonlyMap<string, { alert: AlertCard_AlertFragment; mark: AlertCard_FalsePositiveFragment }>
  >(new Map());
  const onMarked = useCallback((alert: AlertCard_AlertFragment, mark: AlertCard_FalsePositiveFragment) => {
    setMarks((current) => new Map(current).set(alert.id, { alert, mark }));
  }, []);
  return { marks, onMarked };
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

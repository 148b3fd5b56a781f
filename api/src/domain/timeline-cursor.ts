import { parseRowId } from './row-id.ts';
import { parseTimestamp } from './timestamp.ts';

/**
 * Where a timeline page ends: the last event's timestamp and row id, the
 * order the timeline is listed in. Written `<epoch ms>.<row id>`; opaque to
 * clients, and still valid if that event is purged before the next page is read.
 */
export interface TimelineCursor {
  timestamp: number;
  id: number;
}

export function formatTimelineCursor(cursor: TimelineCursor): string {
  return `${cursor.timestamp}.${cursor.id}`;
}

/** The cursor written in `text`, or null when it is not one. */
export function parseTimelineCursor(text: string): TimelineCursor | null {
  const match = /^(\d{1,15})\.(\d{1,16})$/.exec(text);
  if (match === null) return null;
  const timestamp = parseTimestamp(Number(match[1]));
  const id = parseRowId(match[2] as string);
  return timestamp.ok && id !== null ? { timestamp: timestamp.ms, id } : null;
}

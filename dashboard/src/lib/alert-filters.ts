import type { AlertStatus } from '../generated/graphql';

/** The alerts page's status filter: each choice, its label and the statuses it asks for. */
export const STATUS_FILTERS = {
  active: { label: 'open and acknowledged', statuses: ['OPEN', 'ACKNOWLEDGED'] },
  open: { label: 'open', statuses: ['OPEN'] },
  acknowledged: { label: 'acknowledged', statuses: ['ACKNOWLEDGED'] },
  resolved: { label: 'resolved', statuses: ['RESOLVED'] },
  all: { label: 'all', statuses: ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'] },
} as const satisfies Record<string, { label: string; statuses: readonly AlertStatus[] }>;

export type StatusFilter = keyof typeof STATUS_FILTERS;

/** A `?status=` value as a filter; the default (open and acknowledged) for anything else. */
export function statusFilterOf(value: string | undefined): StatusFilter {
  return value !== undefined && Object.hasOwn(STATUS_FILTERS, value) ? (value as StatusFilter) : 'active';
}

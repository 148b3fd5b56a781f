/**
 * How many items each list of the dashboard asks for at once. The API prices
 * an operation by the page it asks for, and api/test/graphql/dashboard-cost.test.ts
 * prices each of these operations at its own size against the API's cost limit.
 */
export const PAGE_SIZES = {
  /** The overview's ranking of users. */
  OverviewPage_Users: 25,
  /** The alerts page: its cards carry the most (signals, last event, false positive). */
  AlertsPage_Alerts: 20,
  /** The overview's alerts panel, enough that alerts folded into an incident still leave five to show. */
  AlertsPanel_Alerts: 15,
  /** A user's events. */
  Timeline_Events: 20,
} as const;

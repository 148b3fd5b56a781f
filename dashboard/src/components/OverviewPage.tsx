'use client';

import { useEffect, useRef, useState } from 'react';
import { useOverviewPage_UsersQuery } from '../generated/graphql';
import { formatTime } from '../lib/format';
import { PAGE_SIZES } from '../lib/page-sizes';
import { useCursorPages } from '../lib/use-cursor-pages';
import { useThrottled } from '../lib/use-throttled';
import { AlertsPanel } from './AlertsPanel';
import { LiveFeed } from './LiveFeed';
import { Pager } from './Pager';
import { SeverityLegend } from './SeverityLegend';
import { Empty, Failure, Loading } from './States';
import { UserRow } from './UserRow';

const PAGE_SIZE = PAGE_SIZES.OverviewPage_Users;

export function OverviewPage() {
  const [search, setSearch] = useState('');
  const pages = useCursorPages();
  const after = pages.after;
  const startRank = 1 + (pages.page - 1) * PAGE_SIZE;
  const [result, reexecute] = useOverviewPage_UsersQuery({
    variables: { first: PAGE_SIZE, after, search: search || null },
  });
  const { error } = result;
  // Keep showing the last answer while a new search or page loads, so the
  // search box stays put instead of the page flashing "Loading".
  const last = useRef(result.data);
  if (result.data) last.current = result.data;
  const data = result.data ?? last.current;

  // New events and alert changes change rankings, severities and totals.
  const refresh = useThrottled(() => reexecute({ requestPolicy: 'network-only' }), 1000);

  // A page cursor kept too long stops working (the ranking moved on): start again from the top.
  const expired = error?.graphQLErrors.some((e) => e.extensions?.code === 'CURSOR_EXPIRED') ?? false;
  const restart = pages.reset;
  useEffect(() => {
    if (expired) restart();
  }, [expired, restart]);

  if (error && !data) return <Failure error={error} />;
  if (!data) return <Loading what="users" />;
  const overview = data?.overview;
  const users = data?.users;

  return (
    <div className="overview">
      <div className="page-head">
        <h1>Users at risk</h1>
        <SeverityLegend />
      </div>

      <div className="overview-grid">
        <AlertsPanel onAlertChanged={refresh} />
        <section className="card ranking-card" aria-labelledby="ranking-title">
          <div className="card-head">
            <h2 id="ranking-title">Highest risk first</h2>
            <search className="search">
              <label htmlFor="user-search">Search user id</label>
              <input
                id="user-search"
                type="search"
                value={search}
                placeholder="alice…"
                onChange={(e) => {
                  setSearch(e.target.value);
                  pages.reset();
                }}
              />
            </search>
          </div>
          {users && users.nodes.length === 0 ? (
            <Empty title={search ? `No user id contains “${search}”` : 'No events yet'}>
              {search ? null : (
                <p>
                  Send one with <code>POST /ingest</code>, or run <code>npm run seed</code> for a demo data set.
                </p>
              )}
            </Empty>
          ) : (
            <div className="table-wrap">
              <table className="ranking cards-on-phone">
                <caption className="visually-hidden">
                  Users by current risk, highest first: an open alert or a verdict raises a user to its level
                </caption>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">User</th>
                    <th scope="col">Risk</th>
                    <th scope="col">Last place and network</th>
                    <th scope="col" title="Legacy drift score: variety of devices and networks, not a severity">
                      Drift
                    </th>
                    <th scope="col">Events</th>
                    <th scope="col">Last seen</th>
                  </tr>
                </thead>
                <tbody>
                  {users?.nodes.map((user, index) => (
                    <UserRow key={user.id} user={user} rank={startRank + index} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {users ? (
            <Pager
              label="Ranking pages"
              previous={{ text: 'Previous', disabled: pages.page === 1, onClick: pages.previous }}
              next={{
                text: 'Next',
                disabled: !users.pageInfo.hasNextPage,
                onClick: () => pages.next(users.pageInfo.endCursor),
              }}
            >
              {users.totalCount === 0
                ? '0 users'
                : `${startRank}–${startRank + users.nodes.length - 1} of ${users.totalCount.toLocaleString('en-US')}`}
            </Pager>
          ) : null}
        </section>
        <div className="side">
          {overview ? (
            <dl className="totals" aria-label="Totals">
              <div>
                <dt>Users</dt>
                <dd data-testid="total-users">{overview.users.toLocaleString('en-US')}</dd>
              </div>
              <div>
                <dt>Events</dt>
                <dd data-testid="total-events">{overview.events.toLocaleString('en-US')}</dd>
              </div>
              <div>
                <dt title="Users with a legacy drift score above 0">Users with drift</dt>
                <dd>{overview.driftingUsers.toLocaleString('en-US')}</dd>
              </div>
              <div>
                <dt>Average drift</dt>
                <dd>{overview.averageDriftScore}</dd>
              </div>
              <div>
                <dt>Last event</dt>
                <dd>{formatTime(overview.lastEventAt)}</dd>
              </div>
            </dl>
          ) : null}
          <LiveFeed onEvent={refresh} />
        </div>
      </div>
    </div>
  );
}

'use client';

import { useRef, useState } from 'react';
import { useOverviewPage_UsersQuery } from '../generated/graphql';
import { formatTime } from '../lib/format';
import { useCursorPages } from '../lib/use-cursor-pages';
import { useThrottled } from '../lib/use-throttled';
import { AlertsPanel } from './AlertsPanel';
import { LiveFeed } from './LiveFeed';
import { Pager } from './Pager';
import { Empty, Failure, Loading } from './States';
import { UserRow } from './UserRow';

const PAGE_SIZE = 25;

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

  // New events change rankings and totals.
  const refresh = useThrottled(() => reexecute({ requestPolicy: 'network-only' }), 1000);

  if (error && !data) return <Failure error={error} />;
  if (!data) return <Loading what="users" />;
  const overview = data?.overview;
  const users = data?.users;

  return (
    <div className="overview">
      <h1>Who is drifting</h1>
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
            <dt>Drifting users</dt>
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

      <div className="overview-grid">
        <section className="card" aria-labelledby="ranking-title">
          <div className="card-head">
            <h2 id="ranking-title">Users by drift score</h2>
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
              <table className="ranking">
                <caption className="visually-hidden">Users ranked by legacy drift score, highest first</caption>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">User</th>
                    <th scope="col">Drift</th>
                    <th scope="col">Reasons</th>
                    <th scope="col" title="Risk model v2: the user's current risk, decaying">
                      Risk
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
          <AlertsPanel />
          <LiveFeed onEvent={refresh} />
        </div>
      </div>
    </div>
  );
}

'use client';

import { useState } from 'react';
import { useOverviewPage_UsersQuery } from '../generated/graphql';
import { formatTime } from '../lib/format';
import { useThrottled } from '../lib/use-throttled';
import { LiveFeed } from './LiveFeed';
import { Empty, Failure } from './States';
import { UserRow } from './UserRow';

const PAGE_SIZE = 25;

export function OverviewPage() {
  const [search, setSearch] = useState('');
  // The `after` cursor of every page visited so far: Previous pops, Next pushes.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const after = cursors[cursors.length - 1] ?? null;
  const startRank = 1 + (cursors.length - 1) * PAGE_SIZE;
  const [result, reexecute] = useOverviewPage_UsersQuery({
    variables: { first: PAGE_SIZE, after, search: search || null },
  });
  const { data, error } = result;

  // New events change rankings and totals.
  const refresh = useThrottled(() => reexecute({ requestPolicy: 'network-only' }), 1000);

  if (error && !data) return <Failure error={error} />;
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
                  setCursors([null]);
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
            <nav className="pager" aria-label="Ranking pages">
              <button
                type="button"
                disabled={cursors.length === 1}
                onClick={() => setCursors((stack) => stack.slice(0, -1))}
              >
                Previous
              </button>
              <span>
                {users.totalCount === 0
                  ? '0 users'
                  : `${startRank}–${startRank + users.nodes.length - 1} of ${users.totalCount.toLocaleString('en-US')}`}
              </span>
              <button
                type="button"
                disabled={!users.pageInfo.hasNextPage}
                onClick={() => setCursors((stack) => [...stack, users.pageInfo.endCursor ?? null])}
              >
                Next
              </button>
            </nav>
          ) : null}
        </section>
        <LiveFeed onEvent={refresh} />
      </div>
    </div>
  );
}

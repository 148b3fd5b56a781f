'use client';

import Link from 'next/link';
import { useState } from 'react';
import { useUserPage_UserQuery } from '../generated/graphql';
import { formatTime, plural, visibleId } from '../lib/format';
import { useThrottled } from '../lib/use-throttled';
import { AlertsPanel } from './AlertsPanel';
import { DeviceMix } from './DeviceMix';
import { DriftScore } from './DriftScore';
import { LiveFeed } from './LiveFeed';
import { NetworkLine } from './NetworkBadge';
import { RiskBadge } from './RiskBadge';
import { DriftChart, EventRiskChart, FactorHeatmap } from './RiskCharts';
import { SeverityLegend } from './SeverityLegend';
import { Empty, Failure, Loading } from './States';
import { Timeline } from './Timeline';
import { UserActions } from './UserActions';
import { VerdictBadge } from './VerdictBadge';
import { VerdictPanel } from './VerdictPanel';

const DAYS = 30;

export function UserPage({ userId }: { userId: string }) {
  const [{ data, error }, reexecute] = useUserPage_UserQuery({ variables: { id: userId, days: DAYS } });
  const [refreshKey, setRefreshKey] = useState(0);

  // A new event for this user changes everything on the page.
  const onEvent = useThrottled(() => {
    reexecute({ requestPolicy: 'network-only' });
    setRefreshKey((key) => key + 1);
  }, 500);

  if (error && !data) return <Failure error={error} />;
  if (!data) return <Loading what={`user ${visibleId(userId)}`} />;
  const user = data.user;
  if (!user) {
    return (
      <>
        <Empty title={`No events for user “${visibleId(userId)}”`}>
          <p>
            Nothing has been ingested for this user id yet. <Link href="/">Back to the overview</Link>
          </p>
        </Empty>
        <LiveFeed userId={userId} onEvent={onEvent} />
      </>
    );
  }
  const latest = user.latestEvent;
  return (
    <div className="user-page">
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link href="/">Overview</Link> / <span aria-current="page">{visibleId(user.id)}</span>
      </nav>
      <h1>
        {visibleId(user.id)} <RiskBadge score={user.risk.score} level={user.risk.level} basis={user.risk.basis} />{' '}
        <VerdictBadge verdict={user.verdict} /> <DriftScore score={user.drift.score} />
      </h1>
      <p className="muted">
        {plural(user.eventCount, 'event')} from {formatTime(user.firstSeen)} to {formatTime(user.lastSeen)}; risk{' '}
        {user.risk.updatedAt
          ? `last raised ${formatTime(user.risk.updatedAt)}, peak ${Math.round(user.risk.peak)}`
          : 'not scored yet'}
        .
      </p>
      <SeverityLegend />

      <div className="user-top">
        <VerdictPanel verdict={user.verdict} />
        <AlertsPanel userId={user.id} onAlertChanged={onEvent} />
      </div>

      <UserActions userId={user.id} refreshKey={refreshKey} onChanged={onEvent} />

      <section className="card" aria-labelledby="risk-title">
        <h2 id="risk-title">Risk over the last {DAYS} days of activity</h2>
        <EventRiskChart days={user.riskByDay} />
        <DriftChart days={user.riskByDay} />
        <FactorHeatmap days={user.riskByDay} />
      </section>

      <div className="user-grid">
        <section className="card" aria-labelledby="drift-title">
          <h2 id="drift-title">Drift reasons (original engine)</h2>
          {user.drift.reasons.length === 0 ? (
            <p>No drift: one network, OS, browser and device type so far.</p>
          ) : (
            <ul className="reason-list" data-testid="drift-reasons">
              {user.drift.reasons.map((reason) => (
                <li key={reason.code}>
                  <strong>{reason.label}</strong> <span className="weight">+{reason.weight}</span>
                  <div className="evidence">{reason.evidence.join(' → ')}</div>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="card" aria-labelledby="fingerprint-title">
          <h2 id="fingerprint-title">Fingerprint</h2>
          <dl className="facts">
            <dt>Hash</dt>
            <dd>
              <code className="hash" data-testid="fingerprint-hash">
                {user.fingerprint.hash}
              </code>
            </dd>
            <dt>Stability</dt>
            <dd data-testid="stability">{user.fingerprint.stability}%</dd>
            <dt>Habits</dt>
            <dd>{user.fingerprint.tokens.join(', ') || '—'}</dd>
          </dl>
        </section>

        <section className="card" aria-labelledby="latest-title">
          <h2 id="latest-title">Latest event</h2>
          {latest ? (
            <dl className="facts">
              <dt>When</dt>
              <dd>{formatTime(latest.timestamp)}</dd>
              <dt>Device</dt>
              <dd>{latest.device ?? '—'}</dd>
              <dt>Browser</dt>
              <dd>{latest.browser ?? '—'}</dd>
              <dt>OS</dt>
              <dd>{latest.os ?? '—'}</dd>
              <dt>IP</dt>
              <dd>{latest.ip ?? '—'}</dd>
              <dt>Network</dt>
              <dd data-testid="latest-network">
                <NetworkLine network={latest.network} />
              </dd>
            </dl>
          ) : (
            <p className="muted">—</p>
          )}
        </section>

        <section className="card" aria-labelledby="counts-title">
          <h2 id="counts-title">Distinct values</h2>
          <dl className="facts">
            <dt>Networks</dt>
            <dd>{user.distinct.ipClasses}</dd>
            <dt>Operating systems</dt>
            <dd>{user.distinct.os}</dd>
            <dt>Browsers</dt>
            <dd>{user.distinct.browsers}</dd>
            <dt>Device types</dt>
            <dd>{user.distinct.devices}</dd>
          </dl>
        </section>
      </div>

      <section className="card" aria-labelledby="mix-title">
        <h2 id="mix-title">Device, browser, OS and network mix</h2>
        <DeviceMix tokens={user.tokens} />
      </section>

      <div className="user-bottom">
        <Timeline userId={user.id} refreshKey={refreshKey} />
        <LiveFeed userId={user.id} onEvent={onEvent} />
      </div>
    </div>
  );
}

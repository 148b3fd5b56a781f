import Link from 'next/link';
import type { UserRow_UserFragment } from '../generated/graphql';
import { formatTime, plural, userHref, visibleId } from '../lib/format';
import { DriftScore } from './DriftScore';
import { clientOf } from './EventFacts';
import { NetworkBadge, NetworkOperator, NetworkPlace } from './NetworkBadge';
import { RiskBadge } from './RiskBadge';
import { VerdictBadge } from './VerdictBadge';

/**
 * One user of the ranking. Each cell names itself (`data-label`) so that on a
 * phone, where the table becomes a stack of cards, every value keeps its label.
 */
export function UserRow({ user, rank }: { user: UserRow_UserFragment; rank: number }) {
  const latest = user.latestEvent;
  return (
    <tr data-testid="user-row" data-user-id={user.id}>
      <td className="num rank">{rank}</td>
      <th scope="row" className="user-cell">
        <Link href={userHref(user.id)}>{visibleId(user.id)}</Link> <VerdictBadge verdict={user.verdict} />
        {/* The badge already says an open alert sets the level; otherwise the count says there is one to triage. */}
        {user.openAlerts.length > 0 && user.risk.basis !== 'OPEN_ALERT' ? (
          <span className="open-alerts-chip" data-testid="open-alerts">
            {plural(user.openAlerts.length, 'open alert')}
          </span>
        ) : null}
      </th>
      <td data-label="Risk" className="risk-cell">
        <RiskBadge score={user.risk.score} level={user.risk.level} basis={user.risk.basis} />
      </td>
      <td data-label="Place, network" className="place-cell">
        {latest ? (
          <>
            <NetworkPlace network={latest.network} /> <NetworkBadge network={latest.network} />{' '}
            <NetworkOperator network={latest.network} />
            <div className="muted event-client">{clientOf(latest)}</div>
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td data-label="Drift" className="drift-cell">
        <DriftScore score={user.drift.score} />
      </td>
      <td data-label="Events" className="num">
        {user.eventCount.toLocaleString('en-US')}
      </td>
      <td data-label="Last seen">
        <time dateTime={user.lastSeen}>{formatTime(user.lastSeen)}</time>
      </td>
    </tr>
  );
}

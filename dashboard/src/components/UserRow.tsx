import Link from 'next/link';
import type { UserRow_UserFragment } from '../generated/graphql';
import { formatTime, userHref, visibleId } from '../lib/format';
import { DriftBadge } from './DriftBadge';
import { RiskBadge } from './RiskBadge';
import { VerdictBadge } from './VerdictBadge';

export function UserRow({ user, rank }: { user: UserRow_UserFragment; rank: number }) {
  return (
    <tr>
      <td className="num">{rank}</td>
      <th scope="row">
        <Link href={userHref(user.id)}>{visibleId(user.id)}</Link>
      </th>
      <td>
        <DriftBadge score={user.drift.score} />
      </td>
      <td>
        {user.drift.reasons.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          <ul className="reasons">
            {user.drift.reasons.map((reason) => (
              <li key={reason.code}>{reason.label}</li>
            ))}
          </ul>
        )}
      </td>
      <td>
        <RiskBadge score={user.risk.score} level={user.risk.level} /> <VerdictBadge verdict={user.verdict} />
      </td>
      <td className="num">{user.eventCount.toLocaleString('en-US')}</td>
      <td>
        <time dateTime={user.lastSeen}>{formatTime(user.lastSeen)}</time>
      </td>
    </tr>
  );
}

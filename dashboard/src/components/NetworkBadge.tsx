import type { NetworkBadge_EventNetworkFragment, NetworkType } from '../generated/graphql';

const LABELS: Record<NetworkType, string> = {
  VPN: 'VPN',
  HOSTING: 'hosting',
  TOR: 'Tor',
  MOBILE: 'mobile',
  BUSINESS: 'business',
  ISP: 'ISP',
  UNKNOWN: 'unknown',
};

/** Addresses of these say where a server is, not where the person is: shown apart from the others. */
const ANONYMISING: ReadonlySet<NetworkType> = new Set(['VPN', 'HOSTING', 'TOR']);

/** The event's network type as a small badge, anonymisers filled; nothing for an event without a public address. */
export function NetworkBadge({ network }: { network: NetworkBadge_EventNetworkFragment }) {
  const { type } = network;
  if (type === null) return <span className="muted">—</span>;
  const anonymising = ANONYMISING.has(type);
  const operator =
    network.asn === null ? '' : ` (AS${network.asn}${network.asnOrganization ? ` ${network.asnOrganization}` : ''})`;
  return (
    <span
      className={`network-badge network-${type.toLowerCase()}${anonymising ? ' network-anonymising' : ''}`}
      title={`${anonymising ? 'Anonymising network: the place is its server’s, not the user’s' : 'Network type'}${operator}`}
      data-testid="network-badge"
    >
      {LABELS[type]}
    </span>
  );
}

/** City and country, with how far off the city may be; the country alone when no city is known. */
export function NetworkPlace({ network }: { network: NetworkBadge_EventNetworkFragment }) {
  const { city, country, radiusKm } = network;
  if (country === null && city === null) return <span className="muted">—</span>;
  const text = [city, country].filter((part) => part !== null).join(', ');
  const title = city !== null && radiusKm !== null ? `Within about ${Math.round(radiusKm)} km of ${city}` : undefined;
  return (
    <span className="network-place" title={title} data-testid="network-place">
      {text}
    </span>
  );
}

/** The network's operator: its AS number and registered name; nothing when the ASN is unknown. */
export function NetworkOperator({ network }: { network: NetworkBadge_EventNetworkFragment }) {
  if (network.asn === null) return null;
  return (
    <span className="network-operator" data-testid="network-operator">
      AS{network.asn}
      {network.asnOrganization ? ` ${network.asnOrganization}` : ''}
    </span>
  );
}

/** Where an event came from, in one line: place, network type and operator. */
export function NetworkLine({ network }: { network: NetworkBadge_EventNetworkFragment }) {
  return (
    <span className="network-line">
      <NetworkPlace network={network} /> <NetworkBadge network={network} /> <NetworkOperator network={network} />
    </span>
  );
}

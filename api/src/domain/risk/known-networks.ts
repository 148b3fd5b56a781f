import type { NetworkType } from './network-type.ts';

/**
 * Networks whose type the vendored lists (api/data/network-types/) get wrong
 * or lack, by ASN, each checked against the operator name in the bundled ASN
 * data. Operator names often hide the type (AT&T Mobility is registered as
 * "AT&T Enterprises", Surfshark as "Cyberzone", Mullvad as "31173 Services"),
 * so these are kept by number. Carriers whose one AS serves both mobile and
 * fixed lines (Vodafone DE, Deutsche Telekom, KDDI, …) are not here: their
 * ASN cannot say which a user is on.
 */
export const KNOWN_NETWORKS: ReadonlyArray<readonly [asn: number, type: NetworkType, operator: string]> = [
  // Tor exit operators (Tor exits at ordinary hosters are not caught offline).
  [60729, 'tor', 'Stiftung Erneuerbare Freiheit (torservers.net)'],
  [205100, 'tor', 'F3 Netze'],
  [396507, 'tor', 'Emerald Onion'],

  // Consumer VPN operators on their own ASNs.
  [136787, 'vpn', 'PacketHub (NordVPN)'],
  [207137, 'vpn', 'PacketHub (NordVPN)'],
  [147049, 'vpn', 'PacketHub (NordVPN)'],
  [39351, 'vpn', '31173 Services (Mullvad)'],
  [209854, 'vpn', 'Cyberzone (Surfshark)'],
  [209103, 'vpn', 'Proton AG (Proton VPN)'],

  // Mobile-only carriers: CGNAT exits cover whole regions.
  [21928, 'mobile', 'T-Mobile US'],
  [20057, 'mobile', 'AT&T Mobility'],
  [6167, 'mobile', 'Verizon Wireless'],
  [22394, 'mobile', 'Verizon Wireless'],
  [206067, 'mobile', 'Three UK (Hutchison 3G)'],
  [35228, 'mobile', 'O2 UK (Telefonica UK)'],
  [25135, 'mobile', 'Vodafone UK mobile'],
  [51207, 'mobile', 'Free Mobile'],
  [28403, 'mobile', 'Telcel (RadioMovil Dipsa)'],
  [45609, 'mobile', 'Bharti Airtel mobile'],
  [9644, 'mobile', 'SK Telecom'],
  [16135, 'mobile', 'Turkcell'],
  [23693, 'mobile', 'Telkomsel'],
  [10030, 'mobile', 'Celcom'],
  [4818, 'mobile', 'DiGi'],
  [38466, 'mobile', 'U Mobile'],
  // bad-asn-list has it as hosting ("VCG-AS").
  [29465, 'mobile', 'MTN Nigeria'],

  // Clouds, CDNs and hosters (some missing from the lists, all certain).
  [16509, 'hosting', 'Amazon AWS'],
  [14618, 'hosting', 'Amazon AWS'],
  [15169, 'hosting', 'Google'],
  [396982, 'hosting', 'Google Cloud'],
  [8075, 'hosting', 'Microsoft'],
  [8068, 'hosting', 'Microsoft'],
  [31898, 'hosting', 'Oracle Cloud'],
  [36351, 'hosting', 'IBM Cloud'],
  [14061, 'hosting', 'DigitalOcean'],
  [16276, 'hosting', 'OVH'],
  [35540, 'hosting', 'OVH'],
  [24940, 'hosting', 'Hetzner'],
  [213230, 'hosting', 'Hetzner'],
  [20473, 'hosting', 'Vultr (The Constant Company)'],
  [63949, 'hosting', 'Linode (Akamai)'],
  [51167, 'hosting', 'Contabo'],
  [12876, 'hosting', 'Scaleway'],
  [8560, 'hosting', 'IONOS'],
  [45090, 'hosting', 'Tencent Cloud'],
  [132203, 'hosting', 'Tencent Cloud'],
  [37963, 'hosting', 'Alibaba Cloud'],
  [45102, 'hosting', 'Alibaba Cloud'],
  [13335, 'hosting', 'Cloudflare'],
  [54113, 'hosting', 'Fastly'],
  [20940, 'hosting', 'Akamai'],
  [16625, 'hosting', 'Akamai'],

  // Organisations' own egress: secure web gateways, research and education networks, business-only carriers.
  [62044, 'business', 'Zscaler (corporate secure web gateway)'],
  [53813, 'business', 'Zscaler (corporate secure web gateway)'],
  [22616, 'business', 'Zscaler (corporate secure web gateway)'],
  [55256, 'business', 'Netskope (corporate secure web gateway)'],
  [680, 'business', 'DFN (German research network)'],
  [786, 'business', 'Jisc (UK research and education network)'],
  [1101, 'business', 'SURF (Dutch research and education network)'],
  [2200, 'business', 'RENATER (French research network)'],
  [11537, 'business', 'Internet2'],
  [20965, 'business', 'GÉANT'],
  [7575, 'business', 'AARNet (Australian research network)'],
  [8220, 'business', 'Colt (business carrier)'],
  [3356, 'business', 'Lumen / Level 3 (business carrier)'],
  [3257, 'business', 'GTT (business carrier)'],
  [4755, 'business', 'Tata Communications (business carrier)'],
];

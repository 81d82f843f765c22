import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Known devices at the door (the auth service's known-devices.ts says what they are for). Every
 * sign-in hands the client a device token; a client that presents it at its next password sign-in
 * is throttled on its own, apart from strangers guessing the same account. The mobile contract's
 * LoginInput is fixed, so the token travels beside it: apps send and read the `Clubland-Device`
 * header; browsers get an HttpOnly cookie they send back on their own.
 */
export const DEVICE_HEADER = 'clubland-device';
export const DEVICE_COOKIE = 'clubland_device';

/** As long as the auth service keeps a device known after its last sign-in (180 days). */
const COOKIE_MAX_AGE_SECONDS = 180 * 24 * 60 * 60;
/** A token is 43 base64url characters; anything much longer is not one (the auth service checks again). */
const MAX_TOKEN_LENGTH = 100;
const COOKIE_PATTERN = new RegExp(`(?:^|;)\\s*${DEVICE_COOKIE}=([^;]*)`);

/** The device token a request presents: its header, else its cookie; '' when none (or over WebSocket). */
export function deviceTokenOf(request: FastifyRequest | undefined): string {
  if (request === undefined) return '';
  const header = request.headers[DEVICE_HEADER];
  const fromHeader = typeof header === 'string' ? header.trim() : '';
  const cookies = request.headers.cookie;
  const token =
    fromHeader !== '' ? fromHeader : (typeof cookies === 'string' && COOKIE_PATTERN.exec(cookies)?.[1]) || '';
  return token.length <= MAX_TOKEN_LENGTH ? token : '';
}

/** Gives the client the token to present next time: as the header (apps) and a cookie (browsers). */
export function handOverDevice(reply: FastifyReply | undefined, token: string): void {
  if (reply === undefined || token === '' || reply.sent) return;
  reply.header(DEVICE_HEADER, token);
  // Strict: no other site's page can make a browser present it. HttpOnly: no script reads it.
  reply.header(
    'set-cookie',
    `${DEVICE_COOKIE}=${token}; Max-Age=${COOKIE_MAX_AGE_SECONDS}; Path=/graphql; HttpOnly; Secure; SameSite=Strict`,
  );
}

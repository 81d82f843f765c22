import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures as Standard Webhooks specifies them (https://www.standardwebhooks.com/,
 * the scheme Svix, Stripe-like senders and many receivers' libraries speak), so a club's receiver
 * verifies our calls with any of those libraries or with `verifyWebhook` below:
 *
 *   webhook-id:        the message id, the same on every retry (receivers de-duplicate by it)
 *   webhook-timestamp: seconds since the epoch when this attempt was signed
 *   webhook-signature: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`; several, space-separated,
 *                      while a secret is being rotated
 *
 * The secret is `whsec_` + base64 of random bytes; the HMAC key is those bytes.
 */
export const SECRET_PREFIX = 'whsec_';
/** Standard Webhooks' default tolerance either side of the receiver's clock. */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

// A type, not an interface, so it passes where a Record<string, string> of headers is expected.
export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** A fresh endpoint secret: 32 random bytes. Shown to the club once, when the endpoint is registered. */
export function newWebhookSecret(random: (size: number) => Buffer = randomBytes): string {
  return `${SECRET_PREFIX}${random(32).toString('base64')}`;
}

/** The key bytes of a `whsec_...` secret; null when it is not one. */
export function secretKey(secret: string): Buffer | null {
  if (!secret.startsWith(SECRET_PREFIX)) return null;
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  const key = Buffer.from(encoded, 'base64');
  return key.length >= 16 ? key : null;
}

function sign(key: Buffer, id: string, timestamp: string, body: string): string {
  return createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
}

/** The three headers of one attempt to send `body`, signed at `at`. */
export function signWebhook(input: { id: string; at: Date; body: string; secret: string }): WebhookHeaders {
  const key = secretKey(input.secret);
  if (!key) throw new TypeError('a webhook secret is whsec_ followed by base64 of at least 16 bytes');
  const timestamp = String(Math.floor(input.at.getTime() / 1000));
  return {
    'webhook-id': input.id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${sign(key, input.id, timestamp, input.body)}`,
  };
}

export type WebhookVerification =
  | { ok: true; id: string; timestamp: Date }
  | {
      ok: false;
      reason: 'missing_headers' | 'bad_timestamp' | 'too_old' | 'too_new' | 'bad_signature' | 'replayed';
    };

export interface VerifyWebhookInput {
  /** Request headers; names in any case, as node:http or fetch give them. */
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The raw body, exactly as received: parse it only after it verified. */
  body: string;
  /** The endpoint's secret; several while one is being rotated. */
  secret: string | readonly string[];
  /** The receiver's clock. */
  now: Date;
  /** How far from `now` the timestamp may be, either way. Five minutes unless told. */
  toleranceSeconds?: number;
  /**
   * Remembers message ids seen inside the window and refuses a second delivery of one (a replayed
   * request, or our retry of a message already accepted); see `createReplayGuard`. Without it only
   * the timestamp window protects against replays.
   */
  replayGuard?: ReplayGuard;
}

/**
 * What a receiver runs before trusting a call: the signature must match one of the secrets, and the
 * timestamp must lie within the tolerance of `now`, so a captured request replayed later is refused
 * (its signature covers the timestamp, so the timestamp cannot be refreshed without the secret).
 */
export function verifyWebhook(input: VerifyWebhookInput): WebhookVerification {
  const id = header(input.headers, 'webhook-id');
  const timestamp = header(input.headers, 'webhook-timestamp');
  const signatures = header(input.headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const signedAt = Number(timestamp) * 1000;
  const tolerance = (input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS) * 1000;
  if (signedAt < input.now.getTime() - tolerance) return { ok: false, reason: 'too_old' };
  if (signedAt > input.now.getTime() + tolerance) return { ok: false, reason: 'too_new' };

  const offered = signatures
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  const matches = secrets.some((secret) => {
    const key = secretKey(secret);
    if (!key) return false;
    const expected = Buffer.from(sign(key, id, timestamp, input.body), 'base64');
    return offered.some(
      (candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected),
    );
  });
  if (!matches) return { ok: false, reason: 'bad_signature' };
  // Only a verified message is remembered: forged ids must not fill the guard or block the real one.
  if (input.replayGuard && !input.replayGuard.firstSight(id, new Date(signedAt), input.now))
    return { ok: false, reason: 'replayed' };
  return { ok: true, id, timestamp: new Date(signedAt) };
}

function header(headers: VerifyWebhookInput['headers'], name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/**
 * Claims message ids: verifyWebhook claims each verified id, so a second request with it (a
 * replay, or a concurrent duplicate) is refused while the first is remembered. A receiver that then
 * fails to process the message calls `forget(id)`, so the sender's retry is let through.
 */
export interface ReplayGuard {
  /** True the first time `id` is offered; false again while it is remembered. */
  firstSight(id: string, signedAt: Date, now: Date): boolean;
  /** Lets `id` through again (the receiver did not process it). */
  forget(id: string): void;
}

/**
 * An in-memory guard for one receiver process: remembers each verified id until its timestamp has
 * left the window (after that the window alone refuses it), so memory stays bounded by the traffic of
 * one window. A receiver with several processes keeps the ids in a shared store instead.
 */
export function createReplayGuard(toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): ReplayGuard {
  const seen = new Map<string, number>();
  return {
    firstSight(id, signedAt, now) {
      const horizon = now.getTime() - toleranceSeconds * 1000;
      for (const [known, at] of seen) if (at < horizon) seen.delete(known);
      if (seen.has(id)) return false;
      seen.set(id, signedAt.getTime());
      return true;
    },
    forget(id) {
      seen.delete(id);
    },
  };
}

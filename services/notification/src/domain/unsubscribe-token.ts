import {
  isNotificationCategory,
  isPersonalChannel,
  type NotificationCategory,
  type PersonalChannel,
} from './notification.ts';
import { signToken, type TokenCheck, verifyToken } from './signed-token.ts';

/**
 * The link at the foot of a message: one member, one club's preferences, one category (or ALL,
 * for a digest) on one channel, until it expires. It works without signing in (RFC 8058 one-click
 * POST and a plain GET page alike), so it can do that one thing and nothing else.
 */

export const UNSUBSCRIBE_PURPOSE = 'notification.unsubscribe';
/** Long enough for an old message in an inbox; a member can always change preferences signed in. */
export const UNSUBSCRIBE_TOKEN_DAYS = 90;

export interface UnsubscribeClaims {
  userId: string;
  /** Whose preferences: the club the message came from (preferences are per user and club). */
  clubId: string | null;
  category: NotificationCategory | 'ALL';
  channel: PersonalChannel;
}

export function createUnsubscribeToken(
  claims: UnsubscribeClaims,
  options: { now: Date; secrets: readonly string[]; days?: number },
): string {
  const expiresAt = new Date(options.now.getTime() + (options.days ?? UNSUBSCRIBE_TOKEN_DAYS) * 86_400_000);
  return signToken(
    UNSUBSCRIBE_PURPOSE,
    { u: claims.userId, k: claims.clubId, c: claims.category, ch: claims.channel },
    expiresAt,
    options.secrets,
  );
}

export function verifyUnsubscribeToken(
  token: string,
  options: { now: Date; secrets: readonly string[] },
): TokenCheck<UnsubscribeClaims> {
  return verifyToken(UNSUBSCRIBE_PURPOSE, token, options.secrets, options.now, parseClaims);
}

function parseClaims(value: unknown): UnsubscribeClaims | null {
  if (typeof value !== 'object' || value === null) return null;
  const { u, k, c, ch } = value as Record<string, unknown>;
  if (typeof u !== 'string' || u.length === 0) return null;
  if (k !== null && typeof k !== 'string') return null;
  if (typeof c !== 'string' || !(c === 'ALL' || isNotificationCategory(c))) return null;
  if (typeof ch !== 'string' || !isPersonalChannel(ch)) return null;
  return { userId: u, clubId: k, category: c, channel: ch };
}

/** `${baseUrl}?token=…` (baseUrl: the service's public unsubscribe endpoint). */
export function unsubscribeUrl(baseUrl: string, token: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set('token', token);
  return url.toString();
}

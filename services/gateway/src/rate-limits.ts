import type { Principal } from '@clubland/authz';
import { type Cache, createRateLimiter, type RateLimitDecision, type RateLimiter } from '@clubland/cache';
import type { FastifyBaseLogger } from 'fastify';
import type { Caller } from './caller.ts';

/** Requests per window. 0 turns that limit off. */
export interface RateLimitTiers {
  windowSeconds: number;
  /** Per IP address, for requests without a valid token. */
  anonymous: number;
  /** Per user holding only MEMBER grants. */
  member: number;
  /** Per user holding STAFF, CLUB_ADMIN or NETWORK_ADMIN somewhere. */
  staff: number;
  /** Per IP address for every request, signed in or not: many accounts behind one address. */
  perIp: number;
}

export const defaultRateLimitTiers: RateLimitTiers = {
  windowSeconds: 60,
  anonymous: 300,
  member: 1200,
  staff: 6000,
  perIp: 30_000,
};

export type Tier = 'anonymous' | 'member' | 'staff';

export function tierOf(principal: Principal | null): Tier {
  if (!principal) return 'anonymous';
  return principal.grants.some((grant) => grant.role !== 'MEMBER') ? 'staff' : 'member';
}

export interface RateLimitRefusal {
  tier: Tier | 'ip';
  retryAfterSeconds: number;
}

/**
 * How often a gateway adds its counts to the shared counters. Between syncs an instance counts
 * alone: with N instances a user can get up to what the other N - 1 let through in the last
 * 100 ms beyond a limit (at 1,200 a minute, about 2 requests per other instance); one
 * instance is exact.
 */
export const RATE_LIMIT_SYNC_MS = 100;

/**
 * The gateway's rate limits, counted in the cache (Redis when configured, so the count is shared by
 * every gateway instance): each request counts once against its address, and once against the
 * signed-in user or, without a valid token, against the address's anonymous allowance. Counts
 * reach the cache in batches (`RATE_LIMIT_SYNC_MS`), so a request does not wait on it. When the
 * cache cannot be reached the request is let through and the failure logged: an outage of the
 * cache must not become an outage of the API.
 */
export function createGatewayRateLimits(cache: Cache, tiers: RateLimitTiers, log: FastifyBaseLogger) {
  const onSyncError = (error: unknown) =>
    log.warn({ err: error }, 'rate-limit counts not synced (cache unreachable); kept for the next sync');
  const limiter = (name: string, limit: number): RateLimiter | null =>
    limit > 0
      ? createRateLimiter(cache, {
          name,
          limit,
          windowSeconds: tiers.windowSeconds,
          syncEveryMs: RATE_LIMIT_SYNC_MS,
          onSyncError,
        })
      : null;
  const limiters = {
    anonymous: limiter('gateway-anonymous', tiers.anonymous),
    member: limiter('gateway-member', tiers.member),
    staff: limiter('gateway-staff', tiers.staff),
    ip: limiter('gateway-ip', tiers.perIp),
  };

  return {
    /** Null when the request may go on; otherwise which limit refused it and for how long. */
    async check(caller: Caller): Promise<RateLimitRefusal | null> {
      let principal: Principal | null = null;
      try {
        principal = await caller.principal();
      } catch {
        // A bad token is the resolver's UNAUTHENTICATED to report; here it counts as anonymous.
      }
      const tier = tierOf(principal);
      const key = principal ? `user:${principal.userId}` : `ip:${caller.ip}`;
      try {
        const [own, address] = await Promise.all([
          consume(limiters[tier], key),
          consume(limiters.ip, `ip:${caller.ip}`),
        ]);
        if (own && !own.allowed) return { tier, retryAfterSeconds: own.retryAfterSeconds };
        if (address && !address.allowed) return { tier: 'ip', retryAfterSeconds: address.retryAfterSeconds };
        return null;
      } catch (error) {
        log.warn({ err: error }, 'rate limits unavailable (cache unreachable); request let through');
        return null;
      }
    },
  };
}

function consume(limiter: RateLimiter | null, key: string): Promise<RateLimitDecision | null> {
  return limiter ? limiter.consume(key) : Promise.resolve(null);
}

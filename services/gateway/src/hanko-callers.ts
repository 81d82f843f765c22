import { hash } from 'node:crypto';
import { isRole, type Principal } from '@clubland/authz';
import type { AuthService } from '@clubland/contract/auth/v1';
import { isClubError } from '@clubland/errors';
import type { Client } from '@connectrpc/connect';
import { LRUCache } from 'lru-cache';
import type { CallerVerifier } from './caller.ts';
import type { AccessChanges } from './socket-guard.ts';

/**
 * With Hanko configured, a bearer token that is not one of ours may be a Hanko session token.
 * The auth service verifies it (Hanko's JWKS) and answers with the linked account; the answer is
 * remembered briefly, so role changes reach Hanko callers within `ttlMs`, or at once where the
 * auth service's announcements (`accessChanges`) are heard: the account's answers are forgotten.
 */
export function withHankoCallers(
  verifier: CallerVerifier,
  auth: Client<typeof AuthService>,
  options: { ttlMs?: number; max?: number; accessChanges?: AccessChanges } = {},
): CallerVerifier {
  const known = new LRUCache<string, Principal>({ max: options.max ?? 10_000, ttl: options.ttlMs ?? 60_000 });
  options.accessChanges?.onChange((change) => {
    if (change.kind !== 'authz_changed') return;
    for (const [key, principal] of known.entries()) {
      if (principal.userId === change.userId) known.delete(key);
    }
  });
  return {
    async verify(token, connection) {
      try {
        return await verifier.verify(token, connection);
      } catch (error) {
        if (!isClubError(error) || error.code !== 'request.unauthenticated') throw error;
        const key = hash('sha256', token);
        const cached = known.get(key);
        if (cached) return cached;
        const { user } = await auth.getUser({
          meta: { accessToken: token, ip: '', userAgent: '' },
          userId: '',
        });
        if (!user) throw error;
        const principal: Principal = {
          userId: user.id,
          sessionId: null,
          homeClubId: user.clubId,
          grants: user.roles.flatMap((grant) =>
            isRole(grant.role) ? [{ role: grant.role, clubId: grant.clubId || null }] : [],
          ),
          source: 'hanko',
        };
        known.set(key, principal);
        return principal;
      }
    },
  };
}

import type { AuthSettings } from '@clubland/auth-service';
import { type AccessChange, createAccessTokenVerifier, watchSessionRevocations } from '@clubland/authz';
import type { Cache } from '@clubland/cache';
import { type AppConfig, publicUrlOf } from '@clubland/config';
import type { AuthService } from '@clubland/contract/auth/v1';
import { type CallerVerifier, withHankoCallers } from '@clubland/gateway';
import type { Client } from '@connectrpc/connect';
import type { JSONWebKeySet } from 'jose';
import type { Logger } from 'pino';

export function authSettingsFrom(config: AppConfig): AuthSettings {
  return {
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
    keyRotationDays: config.AUTH_KEY_ROTATION_DAYS,
    webauthn: {
      rpId: config.WEBAUTHN_RP_ID,
      rpName: config.WEBAUTHN_RP_NAME,
      origins: config.WEBAUTHN_ORIGINS.split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    },
    hankoApiUrl: config.HANKO_API_URL ?? null,
    publicUrl: publicUrlOf(config),
  };
}

/**
 * The gateway checks access tokens itself: signature against the auth service's JWKS (fetched
 * over RPC, refetched on an unknown kid), the revoked-session list and the accounts' authorisation
 * versions in the shared cache, each read once per session or account and then kept current by
 * the announcements. No RPC and no cache round trip per request on the hot path. `accessChanges`
 * lets the gateway close WebSockets opened under what changed; `close` ends the watch.
 */
export async function createGatewayVerifier(
  config: AppConfig,
  auth: Client<typeof AuthService>,
  cache: Cache,
  log: Logger,
): Promise<{
  verifier: CallerVerifier;
  accessChanges: { onChange(listener: (change: AccessChange) => void): () => void };
  close(): Promise<void>;
}> {
  const revocations = await watchSessionRevocations(cache, {
    onError: (error) =>
      log.warn({ err: error }, 'revocation announcements unavailable; reading the list per request'),
  });
  const ours = createAccessTokenVerifier({
    jwks: async () => JSON.parse((await auth.getJwks({})).jwksJson) as JSONWebKeySet,
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    isSessionRevoked: revocations.isRevoked,
    isAuthzOutdated: revocations.isOutdated,
  });
  return {
    verifier: config.HANKO_API_URL ? withHankoCallers(ours, auth, { accessChanges: revocations }) : ours,
    accessChanges: revocations,
    close: () => revocations.close(),
  };
}

import { signAccessToken } from '@clubland/authz';
import type { Tx } from '@clubland/db';
import { ClubError } from '@clubland/errors';
import { canSignIn } from '../domain/user-status.ts';
import { createSessionQueries, type SignInMethod } from '../store/session-queries.ts';
import { createUserQueries } from '../store/user-queries.ts';
import { audit } from './audit.ts';
import type { AuthDeps, RequestMeta } from './deps.ts';
import { rememberDevice } from './known-devices.ts';
import { hashToken, newOpaqueToken } from './secrets.ts';
import { type UserView, viewOf } from './user-view.ts';

export type SignedIn = {
  kind: 'signed_in';
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: Date;
  user: UserView;
  /** The known-device token for this client to present at its next sign-in (known-devices.ts);
   *  absent on a refresh, which proves no credential. */
  deviceToken?: string;
};

export type SignInResult = SignedIn | { kind: 'mfa_required'; mfaToken: string; user: UserView };

/**
 * The last step of every sign-in (password, passkey, MFA, Hanko), once the user is proven:
 * a new session, its first refresh token, an access token, `last_login_at`, the client's
 * known-device token and the audit row, all in the caller's transaction. Refuses accounts that may not sign in (suspended, locked, inactive).
 */
export async function completeSignIn(
  deps: AuthDeps,
  tx: Tx,
  userId: string,
  meta: RequestMeta,
  method: SignInMethod,
): Promise<SignedIn> {
  const now = deps.clock();
  const users = createUserQueries(tx);
  const user = await users.findById(userId);
  if (!user) throw new ClubError('request.unauthenticated', 'the account no longer exists');
  assertCanSignIn(user.status);

  const sessionId = deps.newId();
  await createSessionQueries(tx).insertSession({
    id: sessionId,
    userId,
    method,
    ip: meta.ip.slice(0, 64),
    userAgent: meta.userAgent.slice(0, 512),
    now,
  });
  const refreshToken = await issueRefreshToken(deps, tx, sessionId, now);
  await users.stampLogin(userId, now);
  const view = await viewOf(tx, { ...user, lastLoginAt: now });
  const access = await issueAccessToken(deps, tx, view, sessionId, now);
  const deviceToken = await rememberDevice(deps, tx, userId, meta.deviceToken, now);
  await audit(tx, { userId, event: 'login.succeeded', meta, details: { method, sessionId }, at: now });
  return { kind: 'signed_in', ...access, refreshToken, user: view, deviceToken };
}

/** A new refresh token of the session; only its hash is stored. */
export async function issueRefreshToken(
  deps: AuthDeps,
  tx: Tx,
  sessionId: string,
  now: Date,
): Promise<string> {
  const token = newOpaqueToken();
  await createSessionQueries(tx).insertRefreshToken({
    tokenHash: hashToken(token),
    sessionId,
    now,
    expiresAt: new Date(now.getTime() + deps.settings.refreshTokenTtlSeconds * 1000),
  });
  return token;
}

/** An access token for the user's roles and permissions as they are now, signed with the active key. */
export async function issueAccessToken(
  deps: AuthDeps,
  tx: Tx,
  user: UserView,
  sessionId: string,
  now: Date,
): Promise<{ accessToken: string; accessTokenExpiresAt: Date }> {
  const { kid, privateKey } = await deps.keys.current(tx);
  const ttlSeconds = deps.settings.accessTokenTtlSeconds;
  const accessToken = await signAccessToken(
    privateKey,
    kid,
    {
      sub: user.id,
      sid: sessionId,
      clubId: user.clubId,
      roles: user.roles,
      permissions: user.permissions,
      authzVersion: user.authzVersion,
    },
    { issuer: deps.settings.issuer, audience: deps.settings.audience, ttlSeconds, now },
  );
  // The signer counts in whole seconds from the truncated issue time; say the same instant.
  const issuedAt = Math.floor(now.getTime() / 1000);
  return { accessToken, accessTokenExpiresAt: new Date((issuedAt + ttlSeconds) * 1000) };
}

export function assertCanSignIn(status: UserView['status']): void {
  if (!canSignIn(status)) {
    throw new ClubError('auth.account_disabled', 'this account cannot sign in; contact your club', {
      status,
    });
  }
}

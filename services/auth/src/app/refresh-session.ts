import { ClubError } from '@clubland/errors';
import { sessionClosedMessage } from '../domain/session-end.ts';
import { canSignIn } from '../domain/user-status.ts';
import { createSessionQueries } from '../store/session-queries.ts';
import { createUserQueries } from '../store/user-queries.ts';
import { audit } from './audit.ts';
import type { AuthDeps, RequestMeta } from './deps.ts';
import { announceRevokedSessions } from './revocation.ts';
import { hashToken } from './secrets.ts';
import { issueAccessToken, issueRefreshToken, type SignedIn } from './sign-in.ts';
import { viewOf } from './user-view.ts';

const MAX_TOKEN_LENGTH = 100;

type Outcome =
  | { kind: 'refreshed'; signedIn: SignedIn }
  | { kind: 'refused'; reason: 'unknown' | 'expired' }
  | { kind: 'revoked'; sessionId: string; reason: 'token_reused' | 'account_disabled' }
  | { kind: 'closed'; reason: string };

/**
 * Exchanges a refresh token for a new pair, in the same session. Every token works once: the old
 * one is marked used and its successor issued in one transaction (rows locked, so two concurrent
 * uses are decided one after the other). A used token presented again is taken as theft (ASVS):
 * the whole session is revoked, the newest token with it, and `token.reused` is audited
 * (`auth.token_reused`). An unused token of a session that has ended says why it ended, as the
 * session recorded it (`auth.session_closed` with `reason`: logout, password_reset, token_reused,
 * account_disabled), and the attempt is audited as `session.refresh_refused`. Either way the
 * database work commits before the error is thrown.
 */
export async function refreshSession(
  deps: AuthDeps,
  meta: RequestMeta,
  refreshToken: string,
): Promise<SignedIn> {
  if (refreshToken === '' || refreshToken.length > MAX_TOKEN_LENGTH) throw refused();
  const now = deps.clock();

  const outcome = await deps.db.transaction(async (tx): Promise<Outcome> => {
    const sessions = createSessionQueries(tx);
    const token = await sessions.findRefreshTokenForUpdate(hashToken(refreshToken));
    if (!token) return { kind: 'refused', reason: 'unknown' };
    if (token.usedAt === null && token.sessionRevokedAt !== null) {
      const reason = token.sessionRevokedReason ?? 'unknown';
      await audit(tx, {
        userId: token.userId,
        event: 'session.refresh_refused',
        meta,
        details: { sessionId: token.sessionId, reason },
        at: now,
      });
      return { kind: 'closed', reason };
    }
    if (token.usedAt !== null) {
      const isNewlyRevoked = await sessions.revokeSession(token.sessionId, 'token_reused', now);
      await audit(tx, {
        userId: token.userId,
        event: 'token.reused',
        meta,
        details: { sessionId: token.sessionId, sessionWasRevoked: !isNewlyRevoked },
        at: now,
      });
      return { kind: 'revoked', sessionId: token.sessionId, reason: 'token_reused' };
    }
    if (token.expiresAt.getTime() <= now.getTime()) return { kind: 'refused', reason: 'expired' };

    const user = await createUserQueries(tx).findById(token.userId);
    if (!user || !canSignIn(user.status)) {
      await sessions.revokeSession(token.sessionId, 'account_disabled', now);
      return { kind: 'revoked', sessionId: token.sessionId, reason: 'account_disabled' };
    }
    await sessions.markRefreshTokenUsed(token.tokenHash, now);
    await sessions.stampRefresh(token.sessionId, now);
    const next = await issueRefreshToken(deps, tx, token.sessionId, now);
    // Roles as they are now: a grant or revocation shows in the next access token.
    const view = await viewOf(tx, user);
    const access = await issueAccessToken(deps, tx, view, token.sessionId, now);
    return { kind: 'refreshed', signedIn: { kind: 'signed_in', ...access, refreshToken: next, user: view } };
  });

  switch (outcome.kind) {
    case 'refreshed':
      return outcome.signedIn;
    case 'refused':
      throw refused();
    case 'closed':
      throw new ClubError('auth.session_closed', sessionClosedMessage(outcome.reason), {
        reason: outcome.reason,
      });
    case 'revoked':
      await announceRevokedSessions(deps, [outcome.sessionId]);
      if (outcome.reason === 'account_disabled') {
        throw new ClubError('auth.account_disabled', 'this account cannot sign in; contact your club');
      }
      throw new ClubError(
        'auth.token_reused',
        'this refresh token was used before; the session is closed, sign in again',
      );
  }
}

function refused(): ClubError {
  return new ClubError('request.unauthenticated', 'the refresh token is invalid or expired; sign in again');
}

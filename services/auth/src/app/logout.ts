import { ClubError } from '@clubland/errors';
import { createSessionQueries } from '../store/session-queries.ts';
import { requireCaller } from './access.ts';
import { audit } from './audit.ts';
import type { AuthDeps, RequestMeta } from './deps.ts';
import { announceRevokedSessions } from './revocation.ts';

/**
 * Ends the caller's session: its refresh tokens stop working (the database), and its access
 * tokens are refused at once by every verifier that checks the revocation list (the cache).
 */
export async function logout(deps: AuthDeps, meta: RequestMeta): Promise<void> {
  const caller = await requireCaller(deps, meta);
  const sessionId = caller.sessionId;
  if (sessionId === null)
    throw new ClubError('request.unauthenticated', 'this sign-in has no session to end');
  const now = deps.clock();
  await deps.db.transaction(async (tx) => {
    await createSessionQueries(tx).revokeSession(sessionId, 'logout', now);
    await audit(tx, {
      userId: caller.userId,
      event: 'session.logged_out',
      meta,
      details: { sessionId },
      at: now,
    });
  });
  await announceRevokedSessions(deps, [sessionId]);
}

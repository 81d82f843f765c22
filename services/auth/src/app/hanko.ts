import { createHankoVerifier, type HankoIdentity, type HankoVerifier, type Principal } from '@clubland/authz';
import type { Queryable } from '@clubland/db';
import { ClubError, invalidInput } from '@clubland/errors';
import { canSignIn } from '../domain/user-status.ts';
import { createRoleQueries } from '../store/role-queries.ts';
import { createUserQueries } from '../store/user-queries.ts';
import { audit } from './audit.ts';
import type { AuthDeps, RequestMeta } from './deps.ts';
import { loadUserView, type UserView } from './user-view.ts';

/**
 * Hanko: a user signed in at our Hanko instance presents its session token; we verify it against
 * Hanko's JWKS and find the local account it belongs to.
 *
 * The rule, in order:
 * 1. an account already linked to the token's subject;
 * 2. else the account with the token's email, when Hanko has verified that email AND our account's
 *    email is verified too; the subject is then stored on it (auth.users.hanko_subject). Without our
 *    own verification anyone could pre-register a victim's address with a password and have the
 *    victim's Hanko sign-in attach to the attacker's account;
 * 3. else refuse (`auth.hanko_user_unknown`). We do not create accounts from Hanko tokens: every
 *    account has a home club, and a token says nothing about which club a stranger belongs to.
 *    The person registers first (choosing their club), verifies the email, then Hanko links.
 */

const MAX_TOKEN_LENGTH = 8192;
/** One verifier per Hanko instance for the process: it caches Hanko's keys between calls. */
const verifiers = new Map<string, HankoVerifier>();

export async function syncHankoUser(
  deps: AuthDeps,
  meta: RequestMeta,
  hankoToken: string,
): Promise<UserView> {
  const apiUrl = deps.settings.hankoApiUrl;
  if (!apiUrl) throw new ClubError('request.unauthenticated', 'Hanko sign-in is not enabled here');
  if (hankoToken.length === 0 || hankoToken.length > MAX_TOKEN_LENGTH) {
    throw invalidInput('hankoToken', 'hankoToken is malformed');
  }
  const identity = await verifierFor(apiUrl).verify(hankoToken);

  const linked = await deps.db.transaction(async (tx) => {
    const account = await findOrLinkAccount(tx, identity);
    if (account === null) return null;
    if (account.isNewLink) {
      await audit(tx, {
        userId: account.id,
        event: 'hanko.linked',
        meta,
        details: { subject: identity.subject },
        at: deps.clock(),
      });
    }
    return loadUserView(tx, account.id);
  });
  if (!linked) {
    throw new ClubError(
      'auth.hanko_user_unknown',
      'no Clubland account matches this Hanko sign-in; register with your club using the same ' +
        'email address and verify it, then sign in with Hanko again',
      { field: 'hankoToken' },
    );
  }
  return linked;
}

/**
 * A Hanko token as a caller, for every call that acts for a signed-in user: accepted once the
 * Hanko identity is linked (by syncUser) to an account that may sign in. No session: Hanko owns it.
 */
export async function hankoPrincipal(deps: AuthDeps, hankoToken: string): Promise<Principal> {
  const apiUrl = deps.settings.hankoApiUrl;
  if (!apiUrl) throw new ClubError('request.unauthenticated', 'invalid or expired access token');
  const identity = await verifierFor(apiUrl).verify(hankoToken);
  return deps.db.transaction(async (tx) => {
    const userId = await createHankoLinkQueries(tx).findUserIdBySubject(identity.subject);
    const user = userId ? await createUserQueries(tx).findById(userId) : null;
    if (!user || !canSignIn(user.status)) {
      throw new ClubError(
        'request.unauthenticated',
        'this Hanko sign-in is not linked yet: call syncUser first',
      );
    }
    const grants = await createRoleQueries(tx).activeGrants(user.id);
    return { userId: user.id, sessionId: null, homeClubId: user.clubId, grants, source: 'hanko' as const };
  });
}

async function findOrLinkAccount(
  tx: Queryable,
  identity: HankoIdentity,
): Promise<{ id: string; isNewLink: boolean } | null> {
  const links = createHankoLinkQueries(tx);
  const linkedId = await links.findUserIdBySubject(identity.subject);
  if (linkedId) return { id: linkedId, isNewLink: false };
  if (identity.email === null) return null;

  const user = await createUserQueries(tx).findByEmail(identity.email);
  if (!user || user.emailVerifiedAt === null) return null;
  const isLinked = await links.link(user.id, identity.subject);
  if (!isLinked) {
    throw new ClubError('entity.conflict', 'this account is linked to another Hanko identity already');
  }
  return { id: user.id, isNewLink: true };
}

function verifierFor(apiUrl: string): HankoVerifier {
  let verifier = verifiers.get(apiUrl);
  if (!verifier) {
    verifier = createHankoVerifier({ apiUrl });
    verifiers.set(apiUrl, verifier);
  }
  return verifier;
}

/** The one column of auth.users this file owns (migration 0003). */
function createHankoLinkQueries(db: Queryable) {
  return {
    async findUserIdBySubject(subject: string): Promise<string | null> {
      const { rows } = await db.query<{ id: string }>('SELECT id FROM auth.users WHERE hanko_subject = $1', [
        subject,
      ]);
      return rows[0]?.id ?? null;
    },

    /** Links an account that has no Hanko subject yet; false when it has one. */
    async link(userId: string, subject: string): Promise<boolean> {
      const { rowCount } = await db.query(
        'UPDATE auth.users SET hanko_subject = $2 WHERE id = $1 AND hanko_subject IS NULL RETURNING id',
        [userId, subject],
      );
      return rowCount === 1;
    },
  };
}

import type { AuthService, ClubInvitation } from '@clubland/contract/auth/v1';
import type { Client } from '@connectrpc/connect';
import { type Caller, metaOf } from '../caller.ts';
import type { ClubInvitation as GraphqlClubInvitation, MutationResolvers } from '../generated/graphql.ts';
import { signedIn, signInMetaOf } from './auth.ts';
import { requiredIso } from './timestamps.ts';

/**
 * Onboarding: invitations to hold a role at a club (a club's first administrator, its staff and
 * members). GraphQL in, AuthService RPC out; the auth service checks who may invite and verifies
 * the caller's token itself.
 */

type AuthClient = Client<typeof AuthService>;

export function onboardingResolvers(auth: AuthClient): {
  Mutation: Pick<MutationResolvers, 'inviteClubAdmin' | 'inviteToClub' | 'acceptClubInvitation'>;
} {
  async function invite(caller: Caller, clubId: string, email: string, role: string) {
    await caller.requirePrincipal();
    const { invitation } = await auth.inviteToClub({ meta: metaOf(caller), clubId, email, role });
    if (!invitation) throw new Error('inviteToClub answered without an invitation');
    return toInvitation(invitation);
  }
  return {
    Mutation: {
      async inviteClubAdmin(_root, args, { caller }) {
        return invite(caller, args.clubId, args.email, 'CLUB_ADMIN');
      },
      async inviteToClub(_root, args, { caller }) {
        return invite(caller, args.clubId, args.email, args.role);
      },
      async acceptClubInvitation(_root, { input }, { caller, reply }) {
        return signedIn(
          reply,
          await auth.acceptClubInvitation({
            meta: signInMetaOf(caller, reply),
            token: input.token,
            password: input.password,
            firstName: input.firstName ?? '',
            lastName: input.lastName ?? '',
          }),
        );
      },
    },
  };
}

/** Output guard: the invitation's facts, never its token. */
function toInvitation(invitation: ClubInvitation): GraphqlClubInvitation {
  return {
    id: invitation.id,
    clubId: invitation.clubId,
    email: invitation.email,
    role: invitation.role,
    createdAt: requiredIso(invitation.createdAt, "the invitation's createdAt"),
    expiresAt: requiredIso(invitation.expiresAt, "the invitation's expiresAt"),
  };
}

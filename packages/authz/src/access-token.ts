import { z } from 'zod';
import type { Permission, RoleGrant } from './permissions.ts';
import { ROLES } from './permissions.ts';

/** The `typ` header of our access tokens (RFC 9068), so no other JWT signed with the same key passes as one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
/** The only signature algorithm we issue and accept. */
export const ACCESS_TOKEN_ALGORITHM = 'RS256';

/** What the auth service puts in an access token; the signer adds iss, aud, iat, nbf, exp and jti. */
export interface AccessTokenClaims {
  sub: string;
  sid: string;
  /** The user's home club. */
  clubId: string | null;
  roles: RoleGrant[];
  /** For clients to shape their UI; services recompute permissions from `roles` with the table. */
  permissions: Permission[];
  /**
   * The account's authorisation version when the token was minted (claim `av`): the auth service
   * counts every change to the user's roles and status, and a verifier that has heard of a later
   * count refuses the token (`auth.token_outdated`), so a change takes effect on the next request.
   * Absent (tokens from before the claim): 0.
   */
  authzVersion?: number;
}

/** The payload a verified token must carry: the signature proves who wrote it, this proves its shape. */
export const accessTokenPayload = z.object({
  sub: z.string().min(1),
  sid: z.string().min(1),
  clubId: z.string().min(1).nullable(),
  roles: z.array(z.object({ role: z.enum(ROLES), clubId: z.string().min(1).nullable() })),
  exp: z.number(),
  av: z.number().int().nonnegative().default(0),
});

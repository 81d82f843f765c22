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
}

/** The payload a verified token must carry: the signature proves who wrote it, this proves its shape. */
export const accessTokenPayload = z.object({
  sub: z.string().min(1),
  sid: z.string().min(1),
  clubId: z.string().min(1).nullable(),
  roles: z.array(z.object({ role: z.enum(ROLES), clubId: z.string().min(1).nullable() })),
  exp: z.number(),
});

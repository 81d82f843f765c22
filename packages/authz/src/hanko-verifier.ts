import { ClubError } from '@clubland/errors';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { z } from 'zod';

export interface HankoVerifierOptions {
  /** The Hanko instance, e.g. `https://<project>.hanko.io`; its keys are at `/.well-known/jwks.json`. */
  apiUrl: string;
}

export interface HankoIdentity {
  /** Hanko's user id. */
  subject: string;
  /** The primary email, only when Hanko has verified it (we link accounts by it). */
  email: string | null;
}

export interface HankoVerifier {
  verify(token: string): Promise<HankoIdentity>;
}

/** Hanko session JWTs carry `email: { address, is_primary, is_verified }` (older versions: no email). */
const hankoPayload = z.object({
  sub: z.string().min(1),
  email: z
    .object({ address: z.string().min(1), is_verified: z.boolean().optional() })
    .nullish()
    .catch(null),
});

/** The JWKS could not be fetched or read: Hanko's trouble, not the caller's. */
function isHankoUnreachable(error: unknown): boolean {
  if (!(error instanceof errors.JOSEError)) return true;
  return (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error.code === errors.JOSEError.code // non-200 or unparseable JWKS response
  );
}

/** Verifies session tokens issued by a Hanko instance against its published keys. */
export function createHankoVerifier(options: HankoVerifierOptions): HankoVerifier {
  const jwksUrl = new URL(`${options.apiUrl.replace(/\/+$/, '')}/.well-known/jwks.json`);
  const keys = createRemoteJWKSet(jwksUrl);
  return {
    async verify(token) {
      if (typeof token !== 'string' || token.length === 0) {
        throw new ClubError('request.unauthenticated', 'invalid Hanko token');
      }
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          algorithms: ['RS256'],
          requiredClaims: ['sub', 'exp'],
        }));
      } catch (error) {
        if (isHankoUnreachable(error)) {
          throw new ClubError('dependency.unavailable', 'Hanko is unreachable', {}, error);
        }
        throw new ClubError('request.unauthenticated', 'invalid Hanko token', {}, error);
      }
      const claims = hankoPayload.safeParse(payload);
      if (!claims.success)
        throw new ClubError('request.unauthenticated', 'invalid Hanko token', {}, claims.error);
      const email = claims.data.email;
      return { subject: claims.data.sub, email: email?.is_verified === true ? email.address : null };
    },
  };
}

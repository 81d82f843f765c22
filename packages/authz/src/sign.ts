import { randomUUID } from 'node:crypto';
import { type CryptoKey, type KeyObject, SignJWT } from 'jose';
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_TYPE, type AccessTokenClaims } from './access-token.ts';

export interface SignAccessTokenOptions {
  issuer: string;
  audience: string;
  ttlSeconds: number;
  now: Date;
  /** The token id; random unless a test needs it fixed. */
  jti?: string;
}

/**
 * Signs an access token the way every verifier expects it: RS256, `kid` and `typ: at+jwt` in
 * the header. Lives here, beside the verifier, so the auth service and tests share one shape.
 */
export async function signAccessToken(
  privateKey: CryptoKey | KeyObject,
  kid: string,
  claims: AccessTokenClaims,
  options: SignAccessTokenOptions,
): Promise<string> {
  const issuedAt = Math.floor(options.now.getTime() / 1000);
  return (
    new SignJWT({
      sid: claims.sid,
      clubId: claims.clubId,
      roles: claims.roles,
      permissions: claims.permissions,
      av: claims.authzVersion ?? 0,
    })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid, typ: ACCESS_TOKEN_TYPE })
      .setSubject(claims.sub)
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setIssuedAt(issuedAt)
      // nbf as well as iat: jose only checks iat's future with maxTokenAge, nbf always.
      .setNotBefore(issuedAt)
      .setExpirationTime(issuedAt + options.ttlSeconds)
      .setJti(options.jti ?? randomUUID())
      .sign(privateKey)
  );
}

import { createPrivateKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';

/**
 * The visit code: a compact JWS (EdDSA over Ed25519) saying "member M of home club A means to visit
 * host H", valid for a couple of minutes, shown as a QR code at H's desk. Ids only: the desk learns
 * who it is from the member service's projection, under the agreement, like any other visitor.
 */

export const VISIT_CODE_ISSUER = 'clubland-reciprocal';
export const VISIT_CODE_AUDIENCE = 'clubland-visit';
const VISIT_CODE_TYPE = 'clubland-visit+jwt';
const ALGORITHM = 'EdDSA';
export const DEFAULT_VISIT_CODE_TTL_SECONDS = 120;

export interface VisitCodeKeyPair {
  kid: string;
  publicJwk: JsonWebKey;
  /** PKCS#8 PEM. */
  privateKey: string;
}

export function generateVisitCodeKeyPair(kid: string): VisitCodeKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    kid,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: ALGORITHM, use: 'sig' },
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

export interface VisitCodeFacts {
  memberId: string;
  homeClubId: string;
  hostClubId: string;
  codeId: string;
  issuedAt: Date;
  expiresAt: Date;
}

export async function signVisitCode(
  facts: VisitCodeFacts,
  key: Pick<VisitCodeKeyPair, 'kid' | 'privateKey'>,
): Promise<string> {
  return new SignJWT({ home: facts.homeClubId, host: facts.hostClubId })
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: VISIT_CODE_TYPE })
    .setIssuer(VISIT_CODE_ISSUER)
    .setAudience(VISIT_CODE_AUDIENCE)
    .setSubject(facts.memberId)
    .setJti(facts.codeId)
    .setIssuedAt(Math.floor(facts.issuedAt.getTime() / 1000))
    .setExpirationTime(Math.floor(facts.expiresAt.getTime() / 1000))
    .sign(createPrivateKey(key.privateKey));
}

export type VisitCodeCheck =
  | { ok: true; memberId: string; homeClubId: string; hostClubId: string }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'unknown_key' };

export async function verifyVisitCode(
  code: string,
  publicKeys: readonly JsonWebKey[],
  now: Date,
): Promise<VisitCodeCheck> {
  try {
    const { payload } = await jwtVerify(
      code,
      createLocalJWKSet({ keys: publicKeys.map((key) => ({ ...key })) }),
      {
        algorithms: [ALGORITHM],
        issuer: VISIT_CODE_ISSUER,
        audience: VISIT_CODE_AUDIENCE,
        typ: VISIT_CODE_TYPE,
        currentDate: now,
        requiredClaims: ['sub', 'exp', 'iat'],
      },
    );
    if (
      typeof payload.home !== 'string' ||
      typeof payload.host !== 'string' ||
      typeof payload.sub !== 'string'
    ) {
      return { ok: false, reason: 'malformed' };
    }
    return { ok: true, memberId: payload.sub, homeClubId: payload.home, hostClubId: payload.host };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
    if (error instanceof errors.JWKSNoMatchingKey) return { ok: false, reason: 'unknown_key' };
    if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'bad_signature' };
    return { ok: false, reason: 'malformed' };
  }
}

/** The key a code names, before verification (to find the key); undefined if unreadable. */
export function keyIdOf(code: string): string | undefined {
  try {
    return decodeProtectedHeader(code).kid;
  } catch {
    return undefined;
  }
}

import { createPrivateKey, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, errors, jwtVerify, SignJWT } from 'jose';

/**
 * The digital membership card: a compact JWS (EdDSA over Ed25519) saying "member X of club A was
 * ACTIVE when this was issued, valid until T". It carries ids only, no name, photo or email, so a
 * host club verifying it learns nothing of the member's profile. Short-lived (minutes): the app
 * refreshes its QR code, which is what bounds how long a card outlives a suspension when checked
 * offline. Verification needs only the issuing club's public keys.
 */

export const CARD_ISSUER = 'clubland-member';
export const CARD_AUDIENCE = 'clubland-card';
const CARD_TYPE = 'clubland-card+jwt';
const ALGORITHM = 'EdDSA';

export interface CardKeyPair {
  kid: string;
  /** Public JWK (kty OKP, crv Ed25519) with kid, alg and use. */
  publicJwk: JsonWebKey;
  /** PKCS#8 PEM. */
  privateKey: string;
}

export function generateCardKeyPair(kid: string): CardKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    kid,
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: ALGORITHM, use: 'sig' },
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}

export interface CardFacts {
  memberId: string;
  clubId: string;
  cardId: string;
  issuedAt: Date;
  validUntil: Date;
}

export async function signMembershipCard(
  facts: CardFacts,
  key: Pick<CardKeyPair, 'kid' | 'privateKey'>,
): Promise<string> {
  return new SignJWT({ club: facts.clubId, status: 'ACTIVE' })
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: CARD_TYPE })
    .setIssuer(CARD_ISSUER)
    .setAudience(CARD_AUDIENCE)
    .setSubject(facts.memberId)
    .setJti(facts.cardId)
    .setIssuedAt(Math.floor(facts.issuedAt.getTime() / 1000))
    .setExpirationTime(Math.floor(facts.validUntil.getTime() / 1000))
    .sign(createPrivateKey(key.privateKey));
}

export type CardCheck =
  | { ok: true; memberId: string; clubId: string; validUntil: Date }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'unknown_key' | 'not_active' };

/**
 * Verifies a card offline. `publicKeysOf` gives the public JWKs of the club the card names
 * (from GetCardSigningKeys, cached by the verifier): a key of another club never verifies it.
 */
export async function verifyMembershipCard(
  token: string,
  publicKeysOf: (clubId: string) => Promise<readonly JsonWebKey[]> | readonly JsonWebKey[],
  now: Date,
): Promise<CardCheck> {
  const claimedClub = claimedClubOf(token);
  if (claimedClub === null) return { ok: false, reason: 'malformed' };
  const keys = await publicKeysOf(claimedClub);
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: keys.map((key) => ({ ...key })) }), {
      algorithms: [ALGORITHM],
      issuer: CARD_ISSUER,
      audience: CARD_AUDIENCE,
      typ: CARD_TYPE,
      currentDate: now,
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    if (payload.status !== 'ACTIVE') return { ok: false, reason: 'not_active' };
    return {
      ok: true,
      memberId: String(payload.sub),
      clubId: claimedClub,
      validUntil: new Date(Number(payload.exp) * 1000),
    };
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
}

/** The club a card says it is from, before verification (to pick the keys); null if unreadable. */
export function claimedClubOf(token: string): string | null {
  try {
    const club = decodeJwt(token).club;
    return typeof club === 'string' && club.length > 0 ? club : null;
  } catch {
    return null;
  }
}

function reasonOf(error: unknown): Exclude<CardCheck, { ok: true }>['reason'] {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown_key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  return 'malformed';
}

import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoBase64URL, isoCBOR } from '@simplewebauthn/server/helpers';

/**
 * A real WebAuthn authenticator in software, for tests: a P-256 key pair, `none` attestation,
 * and ES256 signatures over exactly the bytes a platform authenticator signs. The server verifies
 * them with @simplewebauthn/server as it would a phone's; nothing on the server side is mocked.
 *
 * Layouts (WebAuthn Level 3, §6.1 and §6.5):
 *   authData = rpIdHash(32) || flags(1) || signCount(4, big-endian)
 *              [|| AAGUID(16) || credIdLen(2) || credId || COSE public key]   (registration only)
 *   attestationObject = CBOR { fmt: "none", attStmt: {}, authData }
 *   signature = ECDSA-SHA256(authData || SHA-256(clientDataJSON)), DER-encoded
 */

const FLAG_USER_PRESENT = 0x01;
const FLAG_USER_VERIFIED = 0x04;
const FLAG_ATTESTED_CREDENTIAL_DATA = 0x40;
/** COSE: kty EC2 = 2, alg ES256 = -7, crv P-256 = 1 (RFC 9053). */
const COSE = { kty: 1, alg: 3, crv: -1, x: -2, y: -3, EC2: 2, ES256: -7, P256: 1 } as const;
/** A made-up AAGUID: this "model" of authenticator is ours. */
const AAGUID = new Uint8Array(Buffer.from('c1ab1a4d000040008000000000000001', 'hex'));

export interface CeremonyOverrides {
  /** The origin the "browser" reports in clientDataJSON; defaults to the authenticator's origin. */
  origin?: string;
  /** Signs with this key instead of the credential's own (a forged assertion). */
  signingKey?: KeyObject;
  /** Reports this counter instead of the next one (a cloned or replaying authenticator). */
  signCount?: number;
  /** Clears the UV flag (the user was present but not verified). */
  userVerified?: boolean;
}

export interface SoftwareAuthenticator {
  readonly credentialId: string;
  readonly signCount: number;
  /** Answers navigator.credentials.create(options) with a `none`-attestation registration response. */
  register(
    options: PublicKeyCredentialCreationOptionsJSON,
    overrides?: CeremonyOverrides,
  ): RegistrationResponseJSON;
  /** Answers navigator.credentials.get(options) with a signed assertion; bumps the counter. */
  authenticate(
    options: PublicKeyCredentialRequestOptionsJSON,
    overrides?: CeremonyOverrides,
  ): AuthenticationResponseJSON;
}

export function createSoftwareAuthenticator(options: { origin: string }): SoftwareAuthenticator {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const credentialIdBytes = bytes(randomBytes(32));
  const credentialId = isoBase64URL.fromBuffer(credentialIdBytes);
  let signCount = 0;
  let userHandle: string | undefined;

  return {
    credentialId,
    get signCount() {
      return signCount;
    },

    register(creation, overrides = {}) {
      userHandle = creation.user.id;
      const rpId = creation.rp.id;
      if (!rpId) throw new Error('the creation options carry no rp.id');
      const clientDataJSON = clientData(
        'webauthn.create',
        creation.challenge,
        overrides.origin ?? options.origin,
      );
      const authData = concat(
        sha256(rpId),
        [flagsOf(overrides) | FLAG_ATTESTED_CREDENTIAL_DATA],
        uint32(signCount),
        AAGUID,
        uint16(credentialIdBytes.length),
        credentialIdBytes,
        cosePublicKey(publicKey),
      );
      const attestationObject = isoCBOR.encode(
        new Map<string, Uint8Array | string | Map<string, string>>([
          ['fmt', 'none'],
          ['attStmt', new Map<string, string>()],
          ['authData', authData],
        ]),
      );
      return {
        id: credentialId,
        rawId: credentialId,
        type: 'public-key',
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
        response: {
          clientDataJSON: isoBase64URL.fromBuffer(clientDataJSON),
          attestationObject: isoBase64URL.fromBuffer(attestationObject),
          transports: ['internal', 'hybrid'],
        },
      };
    },

    authenticate(request, overrides = {}) {
      const rpId = request.rpId;
      if (!rpId) throw new Error('the request options carry no rpId');
      signCount = overrides.signCount ?? signCount + 1;
      const clientDataJSON = clientData(
        'webauthn.get',
        request.challenge,
        overrides.origin ?? options.origin,
      );
      const authData = concat(sha256(rpId), [flagsOf(overrides)], uint32(signCount));
      const signature = sign(
        'sha256',
        concat(authData, sha256(clientDataJSON)),
        overrides.signingKey ?? privateKey,
      );
      return {
        id: credentialId,
        rawId: credentialId,
        type: 'public-key',
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
        response: {
          clientDataJSON: isoBase64URL.fromBuffer(clientDataJSON),
          authenticatorData: isoBase64URL.fromBuffer(authData),
          signature: isoBase64URL.fromBuffer(bytes(signature)),
          ...(userHandle === undefined ? {} : { userHandle }),
        },
      };
    },
  };
}

/** Another P-256 private key, for forging assertions the server must refuse. */
export function strangerKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

function flagsOf(overrides: CeremonyOverrides): number {
  return FLAG_USER_PRESENT | (overrides.userVerified === false ? 0 : FLAG_USER_VERIFIED);
}

function clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin: string) {
  return bytes(Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8'));
}

/** The credential public key as COSE_Key (EC2, ES256, P-256), from its JWK coordinates. */
function cosePublicKey(publicKey: KeyObject) {
  const jwk = publicKey.export({ format: 'jwk' });
  if (!jwk.x || !jwk.y) throw new Error('expected an EC public key');
  return isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [COSE.kty, COSE.EC2],
      [COSE.alg, COSE.ES256],
      [COSE.crv, COSE.P256],
      [COSE.x, isoBase64URL.toBuffer(jwk.x)],
      [COSE.y, isoBase64URL.toBuffer(jwk.y)],
    ]),
  );
}

function sha256(data: string | Uint8Array) {
  return bytes(createHash('sha256').update(data).digest());
}

function uint32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

function uint16(value: number): Uint8Array {
  const out = new Uint8Array(2);
  new DataView(out.buffer).setUint16(0, value);
  return out;
}

function concat(...parts: (Uint8Array | number[])[]) {
  return bytes(Buffer.concat(parts.map((part) => Uint8Array.from(part))));
}

/** A plain Uint8Array over its own ArrayBuffer (what the library's helpers are typed for). */
function bytes(data: Uint8Array) {
  return new Uint8Array(data);
}

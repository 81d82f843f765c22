import { ClubError, invalidInput } from '@clubland/errors';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { z } from 'zod';
import { networkOf } from '../domain/address.ts';
import { emailKey, normaliseEmail } from '../domain/email.ts';
import { canSignIn } from '../domain/user-status.ts';
import { createPasskeyQueries, type PasskeyRow } from '../store/passkey-queries.ts';
import { createUserQueries, type UserRow } from '../store/user-queries.ts';
import { requireCaller } from './access.ts';
import { audit } from './audit.ts';
import type { AuthDeps, RequestMeta } from './deps.ts';
import { ipKey } from './secrets.ts';
import { completeSignIn, type SignInResult } from './sign-in.ts';

/**
 * WebAuthn passkeys: registration by a signed-in user (a discoverable credential), and login by
 * email + home club that answers every address alike (no account enumeration).
 *
 * Challenges are single use by our code, not the library's: completion first consumes the challenge
 * row in its own committed transaction (UPDATE ... WHERE used_at IS NULL AND expires_at > now), then
 * verifies. A failed verification has still spent the challenge, and of two concurrent completions
 * only one finds it. User verification (PIN, biometrics) is required, so a passkey login counts as
 * two factors and does not ask for TOTP.
 */

const CHALLENGE_TTL_MS = 5 * 60_000;
/** ES256 and RS256 (what platform authenticators and security keys use), and EdDSA. */
const ALGORITHMS = [-7, -257, -8];
const MAX_CREDENTIAL_JSON = 64 * 1024;

/**
 * The WebAuthn library, loaded by the first ceremony rather than with the service: with its ASN.1
 * and X.509 parsers it holds ~24 MB resident, for what most processes never do (bench/memory.ts).
 */
let webauthnLibrary: Promise<typeof import('@simplewebauthn/server')> | undefined;
const webauthn = () => {
  webauthnLibrary ??= import('@simplewebauthn/server');
  return webauthnLibrary;
};

export interface PasskeyCeremony {
  /** PublicKeyCredentialCreationOptionsJSON or PublicKeyCredentialRequestOptionsJSON, as JSON text. */
  optionsJson: string;
  userId: string;
}

export async function initiatePasskeyRegistration(
  deps: AuthDeps,
  meta: RequestMeta,
): Promise<PasskeyCeremony> {
  const caller = await requireCaller(deps, meta);
  const now = deps.clock();
  const { rpId, rpName } = deps.settings.webauthn;
  return deps.db.transaction(async (tx) => {
    const user = await createUserQueries(tx).findById(caller.userId);
    if (!user) throw new ClubError('request.unauthenticated', 'the signed-in account no longer exists');
    const passkeys = createPasskeyQueries(tx);
    const registered = await passkeys.listByUser(user.id);
    const { generateRegistrationOptions } = await webauthn();
    const options = await generateRegistrationOptions({
      rpName,
      rpID: rpId,
      userName: user.email,
      userID: new TextEncoder().encode(user.id),
      userDisplayName: `${user.firstName} ${user.lastName}`.trim() || user.email,
      timeout: CHALLENGE_TTL_MS,
      attestationType: 'none',
      // The same authenticator cannot be registered twice.
      excludeCredentials: registered.map((passkey) => ({
        id: passkey.credentialId,
        transports: passkey.transports,
      })),
      // Discoverable: a login lists no credentials (it must not show which accounts have any),
      // so the authenticator has to find this one by our RP id alone.
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      supportedAlgorithmIDs: ALGORITHMS,
    });
    await passkeys.deleteExpiredChallenges(now);
    await passkeys.insertChallenge({
      id: deps.newId(),
      userId: user.id,
      purpose: 'registration',
      challenge: options.challenge,
      expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
      now,
    });
    return { optionsJson: JSON.stringify(options), userId: user.id };
  });
}

export async function completePasskeyRegistration(
  deps: AuthDeps,
  meta: RequestMeta,
  credentialJson: string,
): Promise<void> {
  const caller = await requireCaller(deps, meta);
  const response = parseCredential(credentialJson, registrationResponse) as RegistrationResponseJSON;
  const challenge = challengeOf(response.response.clientDataJSON);
  if (!(await consumeRegistrationChallenge(deps, challenge, caller.userId))) {
    throw invalidInput(
      'credentialJson',
      'the registration challenge is unknown, used or expired; start again',
    );
  }

  const { rpId, origins } = deps.settings.webauthn;
  const { verifyRegistrationResponse } = await webauthn();
  const verified = await verifyRegistrationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: origins,
    expectedRPID: rpId,
    requireUserVerification: true,
    supportedAlgorithmIDs: ALGORITHMS,
  }).catch((error: unknown) => {
    throw new ClubError(
      'request.invalid_input',
      'the passkey could not be verified',
      { field: 'credentialJson' },
      error,
    );
  });
  if (!verified.verified) {
    throw invalidInput('credentialJson', 'the passkey could not be verified');
  }

  const info = verified.registrationInfo;
  const now = deps.clock();
  await deps.db.transaction(async (tx) => {
    const isNew = await createPasskeyQueries(tx).insertPasskey({
      id: deps.newId(),
      userId: caller.userId,
      credentialId: info.credential.id,
      publicKey: info.credential.publicKey,
      signCount: info.credential.counter,
      transports: info.credential.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      createdAt: now,
    });
    if (!isNew) throw new ClubError('entity.conflict', 'this passkey is registered already');
    await audit(tx, {
      at: deps.clock(),
      userId: caller.userId,
      event: 'passkey.registered',
      meta,
      details: { credentialId: info.credential.id, deviceType: info.credentialDeviceType },
    });
  });
}

/**
 * Starts a login for `email` at the club `clubSlug`, answering every address alike: the same
 * options (no allowCredentials: the authenticator offers its discoverable credentials for our RP,
 * which is why registration requires a resident key) and, as `userId`, the address's login handle
 * (domain/login-handle.ts): stable for the address, keyed, and the same whether or not an account
 * has it. The real account is remembered in the challenge row, never shown; an address without an
 * account (or whose home club is another) gets a challenge bound to nobody, whose completion fails
 * like a wrong signature. The work is the same either way (one lookup, one challenge written), and
 * no limit here depends on the account: one that did would show which addresses have one.
 */
export async function initiatePasskeyLogin(
  deps: AuthDeps,
  meta: RequestMeta,
  email: string,
  clubSlug: string,
): Promise<PasskeyCeremony> {
  const address = normaliseEmail(email);
  if (!address.ok) throw invalidInput('email', address.message);
  checkClubSlug(clubSlug);
  await deps.limits.passkeyChallengesPerIp.hit(ipKey(meta.ip));

  const club = await deps.clubs.findBySlug(clubSlug);
  const handle = await deps.loginHandles.forEmail(emailKey(address.value));
  const now = deps.clock();
  const { generateAuthenticationOptions } = await webauthn();
  const options = await generateAuthenticationOptions({
    rpID: deps.settings.webauthn.rpId,
    allowCredentials: [],
    userVerification: 'required',
    timeout: CHALLENGE_TTL_MS,
  });
  await deps.db.transaction(async (tx) => {
    const found = await createUserQueries(tx).findByEmail(address.value);
    const user = found && club && found.clubId === club.id ? found : null;
    const passkeys = createPasskeyQueries(tx);
    await passkeys.deleteExpiredChallenges(now);
    await passkeys.insertChallenge({
      id: deps.newId(),
      userId: user?.id ?? null,
      purpose: 'login',
      challenge: options.challenge,
      expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
      now,
    });
  });
  return { optionsJson: JSON.stringify(options), userId: handle };
}

/**
 * Completes a login. The account is the one the challenge was issued for (found by the challenge
 * the authenticator signed), and the passkey must be that account's: the `userId` the client
 * echoes is the login handle, checked for shape only and trusted for nothing.
 */
export async function completePasskeyLogin(
  deps: AuthDeps,
  meta: RequestMeta,
  clubSlug: string,
  userId: string,
  credentialJson: string,
): Promise<SignInResult> {
  const response = parseCredential(credentialJson, authenticationResponse) as AuthenticationResponseJSON;
  const challenge = challengeOf(response.response.clientDataJSON);
  if (!z.uuid().safeParse(userId).success) throw invalidInput('userId', 'userId must be a UUID');
  checkClubSlug(clubSlug);
  // Failures only, per network. Not per account: a passkey cannot be guessed, so a per-account
  // limit would only let strangers hold its owner back.
  const network = networkOf(meta.ip);
  const limit = deps.limits.signIn.passkeyPerAddress;
  await limit.attempt(network);

  const club = await deps.clubs.findBySlug(clubSlug);
  const now = deps.clock();
  // Spent first, in its own committed transaction: a failed verification has used it up too.
  const issued = await deps.db.transaction((tx) =>
    createPasskeyQueries(tx).consumeLoginChallenge({ challenge, now }),
  );
  const found = await deps.db.transaction(async (tx) => {
    const user = issued?.userId ? await createUserQueries(tx).findById(issued.userId) : null;
    const passkey = await createPasskeyQueries(tx).findByCredentialId(response.id);
    return { user, passkey };
  });
  const user = found.user && club && found.user.clubId === club.id ? found.user : null;

  const outcome = await checkAssertion(deps, {
    consumed: issued !== null,
    user,
    passkey: found.passkey,
    response,
    challenge,
  });
  const signedIn =
    outcome.ok && user
      ? await deps.db.transaction(async (tx) => {
          // Checked again under the write: two replays of one assertion racing past verification
          // cannot both count, since only one of them moves the counter.
          const isCounted = await createPasskeyQueries(tx).recordUse({ ...outcome.use, now: deps.clock() });
          return isCounted ? completeSignIn(deps, tx, user.id, meta, 'passkey') : null;
        })
      : null;
  if (signedIn) {
    // Signed in whatever the cache says: a count not taken back only errs on the safe side.
    await limit
      .succeeded(network)
      .catch((error: unknown) => deps.log.warn({ err: error }, 'passkey failure count not taken back'));
    return signedIn;
  }

  await deps.db.transaction((tx) =>
    audit(tx, {
      at: deps.clock(),
      userId: user?.id ?? null,
      event: 'login.failed',
      meta,
      details: { method: 'passkey', reason: outcome.ok ? 'counter_not_increased' : outcome.reason },
    }),
  );
  throw new ClubError('auth.invalid_credentials', 'the passkey sign-in failed');
}

type AssertionCheck =
  | { ok: true; use: { id: string; signCount: number; backedUp: boolean } }
  | { ok: false; reason: string };

/** Every reason a login assertion is refused, in order; the caller turns all of them into one error. */
async function checkAssertion(
  deps: AuthDeps,
  attempt: {
    consumed: boolean;
    user: UserRow | null;
    passkey: PasskeyRow | null;
    response: AuthenticationResponseJSON;
    challenge: string;
  },
): Promise<AssertionCheck> {
  if (!attempt.consumed) return { ok: false, reason: 'challenge_unknown_used_or_expired' };
  if (!attempt.user) return { ok: false, reason: 'unknown_account' };
  if (!canSignIn(attempt.user.status)) return { ok: false, reason: 'account_disabled' };
  const passkey = attempt.passkey;
  if (!passkey || passkey.userId !== attempt.user.id) return { ok: false, reason: 'unknown_passkey' };
  const { rpId, origins } = deps.settings.webauthn;
  try {
    const { verifyAuthenticationResponse } = await webauthn();
    const verified = await verifyAuthenticationResponse({
      response: attempt.response,
      expectedChallenge: attempt.challenge,
      expectedOrigin: origins,
      expectedRPID: rpId,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: passkey.signCount,
      },
      requireUserVerification: true,
    });
    if (!verified.verified) return { ok: false, reason: 'bad_signature' };
    const info = verified.authenticationInfo;
    return {
      ok: true,
      use: { id: passkey.id, signCount: info.newCounter, backedUp: info.credentialBackedUp },
    };
  } catch (error) {
    // The library throws for a wrong origin, RP id, type, missing UV or a counter that did not grow.
    return { ok: false, reason: error instanceof Error ? error.message.slice(0, 200) : 'unverifiable' };
  }
}

async function consumeRegistrationChallenge(
  deps: AuthDeps,
  challenge: string,
  userId: string,
): Promise<boolean> {
  const now = deps.clock();
  return deps.db.transaction((tx) =>
    createPasskeyQueries(tx).consumeChallenge({ challenge, purpose: 'registration', userId, now }),
  );
}

const base64url = z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/);
const credentialShape = {
  id: base64url.max(1400),
  rawId: base64url.max(1400),
  type: z.literal('public-key'),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
};
const registrationResponse = z.object({
  ...credentialShape,
  response: z.looseObject({
    clientDataJSON: base64url,
    attestationObject: base64url,
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
});
const authenticationResponse = z.object({
  ...credentialShape,
  response: z.looseObject({
    clientDataJSON: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: base64url.optional(),
  }),
});

/** Validates the WebAuthn JSON at the edge of the use case; the library checks the cryptography. */
function parseCredential(
  text: string,
  schema: typeof registrationResponse | typeof authenticationResponse,
): unknown {
  if (text.length === 0 || text.length > MAX_CREDENTIAL_JSON) {
    throw invalidInput('credentialJson', `credentialJson must be 1-${MAX_CREDENTIAL_JSON} characters`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidInput('credentialJson', 'credentialJson must be JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw invalidInput('credentialJson', 'credentialJson is not a WebAuthn credential response');
  }
  return parsed.data;
}

function checkClubSlug(clubSlug: string): void {
  if (clubSlug.length === 0 || clubSlug.length > 63) {
    throw invalidInput('clubSlug', 'clubSlug must be 1-63 characters');
  }
}

/** The challenge the client signed, read from clientDataJSON to find (and spend) our row for it. */
function challengeOf(clientDataJSON: string): string {
  try {
    // base64url of the client's JSON (WebAuthn Level 2, 5.8.1), read here without the library.
    const { challenge } = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as {
      challenge?: unknown;
    };
    if (typeof challenge === 'string' && challenge.length > 0 && challenge.length <= 512) return challenge;
  } catch {
    // fall through
  }
  throw invalidInput('credentialJson', 'credentialJson has no readable clientDataJSON challenge');
}

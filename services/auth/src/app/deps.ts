import type { createAccessTokenVerifier } from '@clubland/authz';
import type { BackoffLimiter, Cache, RateLimiter } from '@clubland/cache';
import type { Db } from '@clubland/db';
import type { Logger } from '@clubland/log';
import type { Notifier } from '@clubland/notify';
import type { BackgroundWork } from './background.ts';
import type { LoginHandles } from './login-handles.ts';
import type { SigningKeys } from './signing-keys.ts';

export const AUTH_SCHEMA = 'auth';

/** Configuration the lead maps from the environment; plain values, no parsing here. */
export interface AuthSettings {
  /** `iss` of our access tokens, e.g. `https://clubland.example`. */
  issuer: string;
  /** `aud` of our access tokens, e.g. `clubland`. */
  audience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** A signing key older than this is replaced (its tokens still verify until they expire). */
  keyRotationDays: number;
  webauthn: { rpId: string; rpName: string; origins: string[] };
  /** Set: tokens of that Hanko instance are accepted (SyncHankoUser). */
  hankoApiUrl: string | null;
  /** Where links in emails point, e.g. `https://app.clubland.example` (`/verify-email?token=…`). */
  publicUrl: string;
}

/** A club as registration needs to know it; from the member service's registry. */
export interface ClubSummary {
  id: string;
  slug: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE' | 'SUSPENDED';
}

/** The member service's club registry, as the auth service sees it (see club-directory.ts). */
export interface ClubDirectory {
  findById(id: string): Promise<ClubSummary | null>;
  findBySlug(slug: string): Promise<ClubSummary | null>;
}

/** Password sign-in throttles (rate-limits.ts says the policy): failures only, growing delays. */
export interface SignInThrottles {
  /** Failures of one account from one source: a known device of it, else the network it comes from. */
  perSource: BackoffLimiter;
  /** Failures of one account from every source that is not a known device of it. */
  perAccount: BackoffLimiter;
  /** Failures from one network across accounts, of sources that are not known devices. */
  perAddress: BackoffLimiter;
  /** Failed passkey sign-ins from one network. Apart from password failures: a passkey cannot be
   *  guessed, so password guessing must not hold passkey sign-ins back. */
  passkeyPerAddress: BackoffLimiter;
}

/** Brute-force limits, cache-backed so they hold across instances. Keys: account key or IP. */
export interface AuthRateLimits {
  signIn: SignInThrottles;
  /** Passkey sign-ins started per IP (each writes a challenge row). */
  passkeyChallengesPerIp: RateLimiter;
  passwordResetPerAccount: RateLimiter;
  passwordResetPerIp: RateLimiter;
  mfaPerAccount: RateLimiter;
  mfaPerIp: RateLimiter;
  registerPerIp: RateLimiter;
  emailVerificationPerAccount: RateLimiter;
  /** Invitations sent by one user: a stolen admin account must not become a mail cannon. */
  invitationsPerInviter: RateLimiter;
  /** Invitations to one address, whoever sends them: nobody's mailbox is flooded through us. */
  invitationsPerAddress: RateLimiter;
}

/** What the auth service's use cases need from the world, passed in explicitly. */
export interface AuthDeps {
  db: Db;
  cache: Cache;
  notifier: Notifier;
  clubs: ClubDirectory;
  settings: AuthSettings;
  clock: () => Date;
  newId: () => string;
  log: Logger;
  verifier: ReturnType<typeof createAccessTokenVerifier>;
  limits: AuthRateLimits;
  /** The RS256 keys that sign access tokens (signing-keys.ts). */
  keys: SigningKeys;
  /** The id a passkey login answers for an email, account or not (login-handles.ts). */
  loginHandles: LoginHandles;
  /** Wakes the outbox relay after a commit, so events leave at once rather than at the next poll. */
  eventsWritten: () => void;
  /** Work done after answering (background.ts), e.g. a reset email nobody may time. */
  background: BackgroundWork;
}

/** Who asks and from where (the proto's RequestMeta); the access token is empty for anonymous calls. */
export interface RequestMeta {
  accessToken: string;
  ip: string;
  userAgent: string;
  /** The known-device token the client holds from an earlier sign-in (known-devices.ts); '' when none. */
  deviceToken?: string;
}

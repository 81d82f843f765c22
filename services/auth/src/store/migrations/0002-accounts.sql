-- Accounts, credentials, sessions, one-time tokens, role grants, the security audit log and the
-- token-signing keys. Network-wide, not tenant-owned: a login finds its account by email before
-- any club is known, and one account holds roles at several clubs. So no row-level security here;
-- only the auth service's use cases read these tables, and they check access first.

CREATE TABLE auth.users (
  id uuid PRIMARY KEY,
  -- The home club (member.clubs.id). No foreign key: another service's schema; checked by RPC at registration.
  club_id uuid NOT NULL,
  -- As the user typed it (trimmed, domain lower-cased); unique case-insensitively below.
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  -- Optional handle, unique case-insensitively below.
  username text CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9._-]{2,29}$'),
  first_name text NOT NULL DEFAULT '' CHECK (length(first_name) <= 100),
  last_name text NOT NULL DEFAULT '' CHECK (length(last_name) <= 100),
  -- PENDING_VERIFICATION until the email is verified; SUSPENDED, LOCKED and INACTIVE cannot sign in.
  status text NOT NULL CHECK (status IN ('ACTIVE', 'INACTIVE', 'SUSPENDED', 'LOCKED', 'PENDING_VERIFICATION')),
  -- When the user proved they read this address (verification or password-reset link); null until then.
  email_verified_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  last_login_at timestamptz
);
-- One account per address, whatever the case: Ada@Example.com and ada@example.com are one person.
CREATE UNIQUE INDEX users_email_unique ON auth.users (lower(email));
CREATE UNIQUE INDEX users_username_unique ON auth.users (lower(username)) WHERE username IS NOT NULL;
CREATE INDEX users_club_id ON auth.users (club_id);

-- A password, for accounts that have one (passkey- or Hanko-only accounts do not).
CREATE TABLE auth.password_credentials (
  user_id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
  -- argon2id PHC string ($argon2id$v=19$m=19456,t=2,p=1$salt$hash); never the password.
  password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  updated_at timestamptz NOT NULL
);

-- A signed-in device: one per sign-in, the family every refresh token of it belongs to.
CREATE TABLE auth.sessions (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  -- How the sign-in was proven.
  method text NOT NULL CHECK (method IN ('password', 'passkey', 'mfa', 'hanko')),
  -- Where it started, for the user's device list and for investigations.
  ip text NOT NULL DEFAULT '' CHECK (length(ip) <= 64),
  user_agent text NOT NULL DEFAULT '' CHECK (length(user_agent) <= 512),
  created_at timestamptz NOT NULL,
  last_refreshed_at timestamptz,
  -- Set once (logout, token reuse, password reset, suspension); a revoked session never comes back.
  revoked_at timestamptz,
  revoked_reason text CHECK (revoked_reason IN ('logout', 'token_reused', 'password_reset', 'account_disabled')),
  CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
);
CREATE INDEX sessions_user_id ON auth.sessions (user_id) WHERE revoked_at IS NULL;

-- Opaque refresh tokens, rotated on every use. A used token presented again revokes its session.
CREATE TABLE auth.refresh_tokens (
  -- sha256 (hex) of the token; the token itself is never stored.
  token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  session_id uuid NOT NULL REFERENCES auth.sessions (id) ON DELETE CASCADE,
  issued_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL CHECK (expires_at > issued_at),
  -- When it was exchanged for its successor; a second exchange is reuse.
  used_at timestamptz
);
-- At most one live refresh token per session: rotation marks the old one used before adding the new one.
CREATE UNIQUE INDEX refresh_tokens_one_live_per_session ON auth.refresh_tokens (session_id) WHERE used_at IS NULL;

-- Single-use, expiring tokens sent by email: verify the address, reset the password.
CREATE TABLE auth.one_time_tokens (
  -- sha256 (hex) of the token in the link; the token itself is never stored.
  token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('email_verification', 'password_reset')),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
  -- Set when redeemed, or when a newer token of the same purpose superseded it.
  used_at timestamptz
);
-- Only the latest link works: issuing a token retires the user's earlier ones of that purpose.
CREATE UNIQUE INDEX one_time_tokens_one_live ON auth.one_time_tokens (user_id, purpose) WHERE used_at IS NULL;

-- Who holds which role where. Revoked grants stay, for the record.
CREATE TABLE auth.role_grants (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('MEMBER', 'STAFF', 'CLUB_ADMIN', 'NETWORK_ADMIN')),
  -- The club the role applies at; null exactly for the network-wide NETWORK_ADMIN.
  club_id uuid,
  -- The admin who granted it; null for the MEMBER grant of registration and for bootstrap grants.
  granted_by uuid REFERENCES auth.users (id) ON DELETE SET NULL,
  granted_at timestamptz NOT NULL,
  revoked_by uuid REFERENCES auth.users (id) ON DELETE SET NULL,
  revoked_at timestamptz,
  CHECK ((role = 'NETWORK_ADMIN') = (club_id IS NULL))
);
-- A role is held at most once per club at a time (the all-zero uuid stands for "network-wide").
CREATE UNIQUE INDEX role_grants_one_active ON auth.role_grants
  (user_id, role, coalesce(club_id, '00000000-0000-0000-0000-000000000000'::uuid))
  WHERE revoked_at IS NULL;
CREATE INDEX role_grants_club_id ON auth.role_grants (club_id) WHERE revoked_at IS NULL;

-- Security events: sign-ins, failures, token reuse, role and MFA changes. Append-only by habit.
CREATE TABLE auth.audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The account concerned; null when there is none (a failed login for an unknown email).
  -- No foreign key: the record outlives the account.
  user_id uuid,
  -- e.g. login.succeeded, login.failed, token.reused, role.granted, mfa.enabled.
  event text NOT NULL CHECK (event ~ '^[a-z_]+(\.[a-z_]+)+$'),
  ip text NOT NULL DEFAULT '' CHECK (length(ip) <= 64),
  user_agent text NOT NULL DEFAULT '' CHECK (length(user_agent) <= 512),
  -- Event-specific facts (reason, role, club, actor); never secrets or passwords.
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  occurred_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_user_id ON auth.audit_log (user_id, occurred_at);
CREATE INDEX audit_log_event ON auth.audit_log (event, occurred_at);

-- RS256 keys that sign access tokens. One signs at a time; retired keys stay published until
-- every token they signed has expired.
CREATE TABLE auth.signing_keys (
  -- The JWT header's kid.
  kid text PRIMARY KEY,
  -- The public half as a JWK (kty, n, e, kid, alg, use), published at /.well-known/jwks.json.
  public_jwk jsonb NOT NULL,
  -- The private half, PKCS#8 PEM; dropped (null) on retirement since it signs nothing more.
  -- NOTE: stored in clear. Production should encrypt it at rest with a KMS (envelope encryption);
  -- that is not done yet, so a database dump reveals the active signing key.
  private_key_pem text,
  created_at timestamptz NOT NULL,
  -- When a newer key took over signing; null for the active key.
  retired_at timestamptz,
  -- Published until then: retirement + the access-token lifetime.
  verifiable_until timestamptz,
  CHECK ((retired_at IS NULL) = (private_key_pem IS NOT NULL)),
  CHECK ((retired_at IS NULL) = (verifiable_until IS NULL))
);
-- Exactly one key signs: a second active key cannot be inserted, even by two instances racing at start.
CREATE UNIQUE INDEX signing_keys_one_active ON auth.signing_keys ((true)) WHERE retired_at IS NULL;

-- Second factors and federated identity: passkeys (WebAuthn), TOTP with recovery codes, the
-- challenges of both ceremonies, and the link to a Hanko identity. Network-wide like auth.users
-- (an account signs in before any tenant is known), so no row-level security here; only the auth
-- service's use cases read these tables.

-- The Hanko user id (`sub` of its tokens) this account is linked to; at most one account per subject.
ALTER TABLE auth.users ADD COLUMN hanko_subject text UNIQUE;

CREATE TABLE auth.passkeys (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  -- The authenticator's credential id, base64url as WebAuthn JSON carries it. Unique network-wide:
  -- a login finds its passkey by it.
  credential_id text NOT NULL UNIQUE CHECK (length(credential_id) BETWEEN 1 AND 1400),
  -- COSE-encoded public key as the authenticator sent it at registration.
  public_key bytea NOT NULL,
  -- The authenticator's signature counter (uint32). Must grow on every login when non-zero:
  -- a counter that goes back means a cloned authenticator.
  sign_count bigint NOT NULL DEFAULT 0 CHECK (sign_count BETWEEN 0 AND 4294967295),
  -- Hints for the client (usb, nfc, ble, internal, hybrid).
  transports text[] NOT NULL DEFAULT '{}',
  -- singleDevice or multiDevice (a synced passkey); backed_up says whether it is synced now.
  device_type text NOT NULL CHECK (device_type IN ('singleDevice', 'multiDevice')),
  backed_up boolean NOT NULL,
  created_at timestamptz NOT NULL,
  last_used_at timestamptz
);
CREATE INDEX passkeys_user_id ON auth.passkeys (user_id);

-- One row per ceremony (registration or login). Single use is enforced by our code, not the
-- library's: completion consumes the row with
--   UPDATE ... SET used_at = now WHERE challenge = $1 AND used_at IS NULL AND expires_at > now RETURNING
-- in its own committed transaction, so a failed verification still burns the challenge.
CREATE TABLE auth.webauthn_challenges (
  id uuid PRIMARY KEY,
  -- Null only for a ceremony not bound to an account (usernameless login, not offered yet).
  user_id uuid REFERENCES auth.users (id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('registration', 'login')),
  -- base64url, as it appears in clientDataJSON.
  challenge text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL
);
CREATE INDEX webauthn_challenges_expires_at ON auth.webauthn_challenges (expires_at);

-- TOTP. A row without confirmed_at is an enrolment in progress; MFA is enabled once confirmed.
CREATE TABLE auth.totp_factors (
  user_id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
  -- base32 shared secret. NOTE: should be encrypted at rest (a key from configuration, envelope
  -- encryption); not done yet, so a database dump reveals the secrets.
  secret text NOT NULL,
  confirmed_at timestamptz,
  -- The RFC 6238 time step of the last accepted code: a code is refused for that step and earlier
  -- ones, so an observed code cannot be replayed within its window.
  last_used_step bigint,
  created_at timestamptz NOT NULL
);

-- Ten single-use codes per confirmed enrolment, stored as salted SHA-256 (never the code).
CREATE TABLE auth.recovery_codes (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL,
  UNIQUE (user_id, code_hash)
);

-- The half-finished login of an MFA-enabled account: the password passed, the second factor is due.
CREATE TABLE auth.mfa_challenges (
  -- SHA-256 of the opaque token handed to the client; the token itself is never stored.
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  -- Wrong codes tried against this token; refused from the fifth on, whatever the rate limits say.
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  created_at timestamptz NOT NULL
);
CREATE INDEX mfa_challenges_user_id ON auth.mfa_challenges (user_id);
CREATE INDEX mfa_challenges_expires_at ON auth.mfa_challenges (expires_at);

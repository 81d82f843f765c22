-- Devices that have signed in to an account (OWASP, "Slow Down Online Guessing Attacks with Device
-- Cookies"). A device that presents its token at a password sign-in is throttled on its own: a
-- stranger guessing the account's password elsewhere cannot hold its owner back there. Network-wide
-- like auth.users (an account signs in before any club is known), so no row-level security; only
-- the auth service's sign-in reads it.
CREATE TABLE auth.known_devices (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  -- sha256 hex of the token the device holds (256 random bits); the token itself is never stored.
  token_hash text NOT NULL UNIQUE CHECK (length(token_hash) = 64),
  created_at timestamptz NOT NULL,
  -- Its last sign-in; each one keeps the device known for another term.
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX known_devices_user_id ON auth.known_devices (user_id, last_seen_at DESC);

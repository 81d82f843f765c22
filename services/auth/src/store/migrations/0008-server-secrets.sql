-- Secrets the auth service keeps for itself, each made once by whichever instance needs it first
-- (INSERT ... ON CONFLICT DO NOTHING, then read back), so every instance and restart uses the same
-- one without configuration.
CREATE TABLE auth.server_secrets (
  -- passkey_login_handle: the HMAC key of the id a passkey login answers for an email
  -- (domain/login-handle.ts), so that id is stable for an address without naming any account.
  name text PRIMARY KEY CHECK (name IN ('passkey_login_handle')),
  secret bytea NOT NULL CHECK (length(secret) = 32),
  created_at timestamptz NOT NULL
);

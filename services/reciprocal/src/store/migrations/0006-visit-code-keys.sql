-- The keys that sign visit codes (src/domain/visit-code.ts): the short-lived code a member shows at
-- a host's desk. Kept here rather than in one process's memory so every instance of the service
-- signs with, and verifies against, the same keys. Network-wide: a code is the network's, not a
-- club's. Public keys are public by design; the private key never leaves the service.
CREATE TABLE reciprocal.visit_code_keys (
  kid text PRIMARY KEY,
  -- JWK (kty OKP, crv Ed25519) with kid, alg and use.
  public_jwk jsonb NOT NULL,
  -- PKCS#8 PEM.
  private_key text NOT NULL,
  created_at timestamptz NOT NULL,
  -- Set when a newer key takes over; codes live minutes, so a retired key verifies what it signed.
  retired_at timestamptz
);
-- One current key: two instances creating the first one at once keep one.
CREATE UNIQUE INDEX visit_code_keys_one_current ON reciprocal.visit_code_keys ((true)) WHERE retired_at IS NULL;

-- Each club's Ed25519 key pairs for membership cards. The private key never leaves the service;
-- the public keys are published (GetCardSigningKeys) so other clubs verify cards offline.
CREATE TABLE member.card_signing_keys (
  -- The JWS key id, printed in every card's header.
  kid text PRIMARY KEY,
  club_id uuid NOT NULL REFERENCES member.clubs (id),
  -- The public JWK (kty OKP, crv Ed25519).
  public_jwk jsonb NOT NULL,
  -- PKCS#8 PEM.
  private_key text NOT NULL,
  created_at timestamptz NOT NULL,
  -- Retired keys still verify cards issued before; they sign nothing new.
  retired_at timestamptz
);
-- One signing key per club at a time: concurrent first issues race here and one wins.
CREATE UNIQUE INDEX card_signing_keys_current ON member.card_signing_keys (club_id) WHERE retired_at IS NULL;

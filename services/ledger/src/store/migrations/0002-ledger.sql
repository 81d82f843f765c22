-- The embedded ledger (src/ledger/embedded-ledger.ts): blocks chained by hash, each holding the
-- RFC 6962 Merkle root of its entries; every entry signed by its club's Ed25519 key. Append-only:
-- the trigger below refuses UPDATE, DELETE and TRUNCATE to every role, the tables' owner included,
-- and the application role is not even granted them. What an entry says is kept as the exact text
-- that was signed and hashed (ids, instants), so verifyChain recomputes the same bytes.

-- Each club's signing keys. A rotation adds a key; the newest signs, the older ones stay to verify.
CREATE TABLE ledger.club_keys (
  id uuid PRIMARY KEY,
  club_id uuid NOT NULL,
  -- Ed25519 public key, base64 SPKI DER: what a verifier outside the network is given.
  public_key text NOT NULL,
  -- The private key (PKCS#8 DER) sealed with AES-256-GCM under LEDGER_KEY_ENCRYPTION_KEY:
  -- 12-byte IV, 16-byte tag, ciphertext; the club and key ids are its associated data.
  private_key_sealed bytea NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX club_keys_newest ON ledger.club_keys (club_id, created_at DESC, id DESC);

-- Block headers. Public: anyone may check the chain.
CREATE TABLE ledger.blocks (
  number bigint PRIMARY KEY CHECK (number >= 0),
  -- The previous block's hash (64 zeros for block 0). Unique: the chain cannot fork.
  previous_hash text NOT NULL UNIQUE,
  merkle_root text NOT NULL,
  entry_count integer NOT NULL CHECK (entry_count > 0),
  -- ISO-8601 instant, as hashed.
  sealed_at text NOT NULL,
  -- SHA-256 of the header (ledger-verify blockHash).
  hash text NOT NULL UNIQUE
);

-- Entries in blocks, without their payload (ledger.payloads): what anyone may see to verify that
-- an entry exists.
CREATE TABLE ledger.entries (
  -- The transaction id (the fact's entry id, a UUIDv7): an entry is on the ledger at most once.
  id uuid PRIMARY KEY,
  block_number bigint NOT NULL REFERENCES ledger.blocks (number),
  -- The leaf's index in its block's Merkle tree.
  position integer NOT NULL CHECK (position >= 0),
  entity_kind text NOT NULL,
  entity_id text NOT NULL,
  fact text NOT NULL,
  club_id text NOT NULL,
  counterparty_club_id text,
  -- SHA-256 (hex) of the payload's canonical JSON.
  payload_hash text NOT NULL,
  -- ISO-8601 instant of the fact, as signed.
  at text NOT NULL,
  key_id uuid NOT NULL REFERENCES ledger.club_keys (id),
  -- base64 Ed25519 signature by the club key.
  signature text NOT NULL,
  UNIQUE (block_number, position)
);
CREATE INDEX entries_by_entity ON ledger.entries (entity_kind, entity_id);

-- Payloads: readable by the entry's two clubs and the network only (parties policy appended).
CREATE TABLE ledger.payloads (
  entry_id uuid PRIMARY KEY REFERENCES ledger.entries (id),
  club_id uuid NOT NULL,
  counterparty_club_id uuid,
  -- The canonical JSON whose hash the entry carries.
  payload text NOT NULL
);

-- Entries refused (never retried): the reason, for the status and its event.
CREATE TABLE ledger.failures (
  id uuid PRIMARY KEY,
  entity_kind text NOT NULL,
  entity_id text NOT NULL,
  fact text NOT NULL,
  club_id uuid NOT NULL,
  counterparty_club_id uuid,
  reason text NOT NULL,
  failed_at timestamptz NOT NULL
);

-- Entries taken (SUBMITTED) and waiting for the next block. The one table that changes: the
-- sealer deletes what it put in a block, in the block's transaction.
CREATE TABLE ledger.pending (
  id uuid PRIMARY KEY,
  entity_kind text NOT NULL,
  entity_id text NOT NULL,
  fact text NOT NULL,
  club_id uuid NOT NULL,
  counterparty_club_id uuid,
  payload text NOT NULL,
  at text NOT NULL,
  received_at timestamptz NOT NULL
);
CREATE INDEX pending_in_order ON ledger.pending (received_at, id);

CREATE FUNCTION ledger.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger.% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER club_keys_append_only BEFORE UPDATE OR DELETE ON ledger.club_keys
  FOR EACH ROW EXECUTE FUNCTION ledger.refuse_change();
CREATE TRIGGER club_keys_no_truncate BEFORE TRUNCATE ON ledger.club_keys
  FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change();
CREATE TRIGGER blocks_append_only BEFORE UPDATE OR DELETE ON ledger.blocks
  FOR EACH ROW EXECUTE FUNCTION ledger.refuse_change();
CREATE TRIGGER blocks_no_truncate BEFORE TRUNCATE ON ledger.blocks
  FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change();
CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON ledger.entries
  FOR EACH ROW EXECUTE FUNCTION ledger.refuse_change();
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON ledger.entries
  FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change();
CREATE TRIGGER payloads_append_only BEFORE UPDATE OR DELETE ON ledger.payloads
  FOR EACH ROW EXECUTE FUNCTION ledger.refuse_change();
CREATE TRIGGER payloads_no_truncate BEFORE TRUNCATE ON ledger.payloads
  FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change();
CREATE TRIGGER failures_append_only BEFORE UPDATE OR DELETE ON ledger.failures
  FOR EACH ROW EXECUTE FUNCTION ledger.refuse_change();
CREATE TRIGGER failures_no_truncate BEFORE TRUNCATE ON ledger.failures
  FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change();

REVOKE UPDATE, DELETE, TRUNCATE ON ledger.club_keys, ledger.blocks, ledger.entries, ledger.payloads, ledger.failures
  FROM clubland_app;

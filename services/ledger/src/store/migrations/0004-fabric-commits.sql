-- The Fabric adapter (src/ledger/fabric-ledger.ts): the entries it saw committed on the channel,
-- with the Fabric transaction (its batch) and block that hold them. The channel is the record; this
-- is the service's note of each commit status, so that a resubmission is recognised without asking
-- the peers, status() answers from here, and latestFor() finds an entity's newest entry. Append-only, like the embedded ledger's tables.
CREATE TABLE ledger.fabric_commits (
  id uuid PRIMARY KEY,
  -- Public facts, as on the channel: the entity an entry is about (latestFor looks it up here).
  entity_kind text NOT NULL,
  entity_id text NOT NULL,
  fabric_tx_id text NOT NULL,
  block_number bigint NOT NULL CHECK (block_number >= 0),
  confirmed_at timestamptz NOT NULL
);
CREATE INDEX fabric_commits_by_entity ON ledger.fabric_commits (entity_kind, entity_id, id DESC);

CREATE TRIGGER fabric_commits_append_only BEFORE UPDATE OR DELETE ON ledger.fabric_commits
  FOR EACH ROW EXECUTE FUNCTION ledger.refuse_change();
CREATE TRIGGER fabric_commits_no_truncate BEFORE TRUNCATE ON ledger.fabric_commits
  FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change();

REVOKE UPDATE, DELETE, TRUNCATE ON ledger.fabric_commits FROM clubland_app;

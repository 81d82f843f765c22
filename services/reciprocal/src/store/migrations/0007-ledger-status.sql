-- The ledger's answer about each entry (the ledger service's ledger.entry_status_changed events,
-- src/app/ledger-status-consumer.ts): the block holding it once CONFIRMED, when, and why it FAILED.
ALTER TABLE reciprocal.ledger_entries ADD COLUMN block_number bigint;
ALTER TABLE reciprocal.ledger_entries ADD COLUMN confirmed_at timestamptz;
ALTER TABLE reciprocal.ledger_entries ADD COLUMN error text;

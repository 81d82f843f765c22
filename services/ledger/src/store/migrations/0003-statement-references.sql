-- References checked once per statement instead of once per row. A foreign key checks each
-- inserted row with its own SELECT ... FOR KEY SHARE on the row it names: a block of 1,000
-- entries took 2,000 row locks (1,000 more for its payloads), each written to the WAL, for rows
-- that can never go away (every ledger table is append-only, TRUNCATE included: 0002). The same
-- guarantee, that no entry names a block or key that does not exist and no payload an entry that
-- does not exist, is kept by these statement-level triggers: one anti-join over the statement's
-- new rows. Nothing referenced can be deleted, so nothing needs locking.

ALTER TABLE ledger.entries DROP CONSTRAINT entries_block_number_fkey;
ALTER TABLE ledger.entries DROP CONSTRAINT entries_key_id_fkey;
ALTER TABLE ledger.payloads DROP CONSTRAINT payloads_entry_id_fkey;

CREATE FUNCTION ledger.entries_refer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_entries n WHERE NOT EXISTS (SELECT 1 FROM ledger.blocks b WHERE b.number = n.block_number)) THEN
    RAISE EXCEPTION 'ledger.entries: an entry names a block that does not exist'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF EXISTS (SELECT 1 FROM new_entries n WHERE NOT EXISTS (SELECT 1 FROM ledger.club_keys k WHERE k.id = n.key_id)) THEN
    RAISE EXCEPTION 'ledger.entries: an entry names a club key that does not exist'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER entries_refer AFTER INSERT ON ledger.entries
  REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION ledger.entries_refer();

CREATE FUNCTION ledger.payloads_refer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_payloads n WHERE NOT EXISTS (SELECT 1 FROM ledger.entries e WHERE e.id = n.entry_id)) THEN
    RAISE EXCEPTION 'ledger.payloads: a payload names an entry that does not exist'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER payloads_refer AFTER INSERT ON ledger.payloads
  REFERENCING NEW TABLE AS new_payloads FOR EACH STATEMENT EXECUTE FUNCTION ledger.payloads_refer();

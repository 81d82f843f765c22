-- Reciprocal agreements between two clubs. Shared rows: each is visible and writable to both of
-- its parties and nobody else (partiesTableSql, appended by reciprocalMigrations() in src/index.ts),
-- and to network transactions (network admins, the expiry job).
CREATE TABLE reciprocal.agreements (
  id uuid PRIMARY KEY,
  -- The club that proposed the agreement; its admin drafts and submits it.
  proposer_club_id uuid NOT NULL,
  -- The counterparty: only its admin approves or rejects.
  partner_club_id uuid NOT NULL CHECK (partner_club_id <> proposer_club_id),
  agreement_type text NOT NULL CHECK (agreement_type IN ('BILATERAL', 'MULTILATERAL', 'NETWORK', 'TEMPORARY')),
  -- src/domain/agreement-lifecycle.ts.
  status text NOT NULL CHECK (status IN
    ('DRAFT', 'PENDING', 'APPROVED', 'REJECTED', 'ACTIVE', 'SUSPENDED', 'EXPIRED', 'CANCELLED', 'TERMINATED')),
  -- First and last day the agreement is in force (inclusive); no end date: until ended.
  starts_on date NOT NULL,
  ends_on date CHECK (ends_on IS NULL OR ends_on >= starts_on),
  -- The terms (src/domain/agreement-terms.ts, validated there): limits, distance, guests, facilities,
  -- blackout dates, pre-approval, cost sharing.
  terms jsonb NOT NULL,
  notes text,
  -- Who last suspended, rejected or ended it, and why; cleared on reinstatement.
  status_reason text,
  created_by uuid NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
-- One live agreement per pair of clubs, whichever proposed it: a second proposal while one is
-- open or in force is a conflict, not a duplicate.
CREATE UNIQUE INDEX agreements_one_live_per_pair
  ON reciprocal.agreements (least(proposer_club_id, partner_club_id), greatest(proposer_club_id, partner_club_id))
  WHERE status IN ('DRAFT', 'PENDING', 'APPROVED', 'ACTIVE', 'SUSPENDED');
CREATE INDEX agreements_by_proposer ON reciprocal.agreements (proposer_club_id, created_at);
CREATE INDEX agreements_by_partner ON reciprocal.agreements (partner_club_id, created_at);
-- The expiry job's scan: agreements in force whose end date has passed.
CREATE INDEX agreements_ending ON reciprocal.agreements (ends_on) WHERE status IN ('ACTIVE', 'SUSPENDED', 'APPROVED');

-- Every transition of an agreement: who, which club, when, why. Append-only. The parties are
-- copied onto each row so the same parties policy guards the history.
CREATE TABLE reciprocal.agreement_changes (
  id uuid PRIMARY KEY,
  agreement_id uuid NOT NULL REFERENCES reciprocal.agreements (id),
  proposer_club_id uuid NOT NULL,
  partner_club_id uuid NOT NULL,
  from_status text,
  to_status text NOT NULL,
  reason text,
  -- The acting user's id; NULL for the system (the expiry job).
  changed_by uuid,
  -- The club on whose behalf the change was made; NULL for the network or the system.
  changed_by_club_id uuid,
  changed_at timestamptz NOT NULL
);
CREATE INDEX agreement_changes_by_agreement ON reciprocal.agreement_changes (agreement_id, changed_at);

-- Entries for the ledger (the ledger port, src/app/ledger-port.ts): every agreement transition,
-- letter and visit fact, written in the transaction that makes it. Until the ledger service lands
-- they stay PENDING here; the ledger consumer will move them on.
CREATE TABLE reciprocal.ledger_entries (
  -- The entry's id, also the transaction id the contract's blockchainTxId shows.
  id uuid PRIMARY KEY,
  -- agreement, letter, visit, settlement.
  entity_kind text NOT NULL,
  entity_id uuid NOT NULL,
  -- The fact: agreement.approved, visit.checked_in, ...
  fact text NOT NULL,
  -- The two clubs the fact concerns (the submitting club first).
  club_id uuid NOT NULL,
  counterparty_club_id uuid,
  -- Canonical JSON (RFC 8785) of the fact.
  payload text NOT NULL,
  status text NOT NULL CHECK (status IN ('PENDING', 'SUBMITTED', 'CONFIRMED', 'FAILED')),
  created_at timestamptz NOT NULL,
  UNIQUE (entity_id, fact, created_at)
);
CREATE INDEX ledger_entries_by_entity ON reciprocal.ledger_entries (entity_kind, entity_id, created_at);
CREATE INDEX ledger_entries_pending ON reciprocal.ledger_entries (created_at) WHERE status = 'PENDING';

-- Settlement: what clubs owe each other for visits under their agreements, per period
-- (src/domain/settlement.ts and netting.ts).

-- Settlement periods, network-wide: a calendar month 'YYYY-MM'. OPEN while visits may still fall in
-- it; CLOSED by a network admin (or the scheduled job once its last day has passed), which issues
-- the statements. Every club may read them; only network transactions of network:manage change them.
CREATE TABLE reciprocal.settlement_periods (
  period text PRIMARY KEY CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  -- First and last day (inclusive) of the visits it covers (visit_date, the host's calendar).
  starts_on date NOT NULL,
  ends_on date NOT NULL CHECK (ends_on >= starts_on),
  status text NOT NULL CHECK (status IN ('OPEN', 'CLOSED')),
  opened_at timestamptz NOT NULL,
  -- The user who closed it; NULL for the scheduled job.
  closed_by uuid,
  closed_at timestamptz
);

-- A statement between two clubs for a period, issued when the period closes. Shared rows
-- (partiesTableSql on club_a_id, club_b_id): the two clubs and the network see it, nobody else.
-- The pair is ordered (club_a_id < club_b_id) so there is one statement per pair and period.
CREATE TABLE reciprocal.settlement_statements (
  id uuid PRIMARY KEY,
  period text NOT NULL REFERENCES reciprocal.settlement_periods (period),
  club_a_id uuid NOT NULL,
  club_b_id uuid NOT NULL CHECK (club_a_id < club_b_id),
  -- SHA-256 (hex) of the canonical JSON of the visit lines as issued (domain/settlement.ts
  -- statementHash): recomputing from the recorded visits and comparing proves it reproducible.
  lines_hash text NOT NULL CHECK (lines_hash ~ '^[0-9a-f]{64}$'),
  -- Visit lines as issued (adjustments come later and are not in the hash).
  visit_count integer NOT NULL CHECK (visit_count >= 0),
  issued_at timestamptz NOT NULL,
  -- The last instant either club may contest a line (issued_at + the dispute window).
  disputable_until timestamptz NOT NULL CHECK (disputable_until >= issued_at),
  UNIQUE (period, club_a_id, club_b_id)
);
CREATE INDEX settlement_statements_by_b ON reciprocal.settlement_statements (club_b_id, period);

-- Lines of a statement: one per CHECKED_OUT visit in the period (kind VISIT), and one per resolved
-- dispute (kind ADJUSTMENT). Append-only: a resolution adds a line, it never edits one.
-- The payer owes the payee `amount` minor units of `currency` (negative only on an adjustment that
-- gives back part of what a line charged).
CREATE TABLE reciprocal.settlement_lines (
  id uuid PRIMARY KEY,
  statement_id uuid NOT NULL REFERENCES reciprocal.settlement_statements (id),
  club_a_id uuid NOT NULL,
  club_b_id uuid NOT NULL,
  -- Position in the statement: visit lines 1..n in (visit_date, visit_id) order, adjustments after.
  line_no integer NOT NULL CHECK (line_no >= 1),
  kind text NOT NULL CHECK (kind IN ('VISIT', 'ADJUSTMENT')),
  visit_id uuid REFERENCES reciprocal.visits (id),
  agreement_id uuid,
  visit_date date,
  -- The visitor's home club pays the host its share of the costs.
  payer_club_id uuid NOT NULL,
  payee_club_id uuid NOT NULL CHECK (payee_club_id <> payer_club_id),
  amount bigint NOT NULL,
  currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- An adjustment's line: the one it corrects, and why.
  adjusts_line_id uuid REFERENCES reciprocal.settlement_lines (id),
  note text,
  created_at timestamptz NOT NULL,
  UNIQUE (statement_id, line_no),
  CHECK ((kind = 'VISIT') = (visit_id IS NOT NULL)),
  CHECK ((kind = 'ADJUSTMENT') = (adjusts_line_id IS NOT NULL)),
  CHECK (kind = 'ADJUSTMENT' OR amount >= 0)
);

-- A club contests a line within the dispute window; the other club (or a network admin) resolves it
-- with an adjustment line, possibly of zero (the line stands).
CREATE TABLE reciprocal.settlement_disputes (
  id uuid PRIMARY KEY,
  statement_id uuid NOT NULL REFERENCES reciprocal.settlement_statements (id),
  line_id uuid NOT NULL REFERENCES reciprocal.settlement_lines (id),
  club_a_id uuid NOT NULL,
  club_b_id uuid NOT NULL,
  raised_by_club_id uuid NOT NULL,
  raised_by uuid NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  status text NOT NULL CHECK (status IN ('OPEN', 'RESOLVED')),
  raised_at timestamptz NOT NULL,
  resolved_by uuid,
  resolved_at timestamptz,
  adjustment_line_id uuid REFERENCES reciprocal.settlement_lines (id),
  CHECK ((status = 'RESOLVED') = (adjustment_line_id IS NOT NULL))
);
-- One dispute per line: a line is contested once, and resolved once.
CREATE UNIQUE INDEX settlement_disputes_one_per_line ON reciprocal.settlement_disputes (line_id);
CREATE INDEX settlement_disputes_by_statement ON reciprocal.settlement_disputes (statement_id, raised_at);

-- One pair's statement reads that pair's checked-out visits of a month (either way round: two
-- index scans). visits_for_settlement (0004) leads with the day and would walk the whole network's
-- month for it; the network's sums read the whole month and need no index of their own (a covering
-- index with the costs, measured: 457 MB beside the 535 MB table for 1,000,000 visits, no faster).
CREATE INDEX visits_for_pair_settlement ON reciprocal.visits (home_club_id, host_club_id, visit_date)
  WHERE status = 'CHECKED_OUT';

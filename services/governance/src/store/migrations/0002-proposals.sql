-- Proposals put to the network by a club. The network's to read (every club's transaction sees
-- them, a DRAFT only its own club's); written only by the proposing club's transactions and the
-- network's (networkReadTableSql, appended by governanceMigrations() in src/index.ts).
CREATE TABLE governance.proposals (
  id uuid PRIMARY KEY,
  -- The proposing club.
  club_id uuid NOT NULL,
  -- The proposer: their account and their member record at the proposing club.
  proposer_user_id uuid NOT NULL,
  proposer_member_id uuid NOT NULL,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 20000),
  proposal_type text NOT NULL CHECK (proposal_type IN ('POLICY_CHANGE', 'BUDGET', 'STRATEGIC',
    'MEMBERSHIP', 'AMENDMENT', 'FACILITY_MODIFICATION', 'EVENT_APPROVAL', 'BOARD_ELECTION', 'OTHER')),
  category text CHECK (category IS NULL OR length(category) <= 100),
  -- src/domain/proposal-lifecycle.ts.
  status text NOT NULL CHECK (status IN ('DRAFT', 'SUBMITTED', 'UNDER_REVIEW', 'VOTING_OPEN',
    'VOTING_CLOSED', 'APPROVED', 'REJECTED', 'WITHDRAWN', 'EXPIRED')),
  -- src/domain/tally.ts. RANKED_CHOICE is refused by the use case (a vote here has no candidates).
  voting_method text NOT NULL CHECK (voting_method IN ('SIMPLE_MAJORITY', 'ABSOLUTE_MAJORITY',
    'TWO_THIRDS_MAJORITY', 'THREE_QUARTERS', 'UNANIMOUS', 'WEIGHTED')),
  voting_starts_at timestamptz NOT NULL,
  voting_ends_at timestamptz NOT NULL CHECK (voting_ends_at > voting_starts_at),
  -- Clubs that must vote (abstaining counts) for the tally to decide.
  quorum_required integer NOT NULL CHECK (quorum_required BETWEEN 1 AND 10000),
  -- Share in favour to exceed under SIMPLE_MAJORITY and WEIGHTED.
  approval_threshold double precision NOT NULL CHECK (approval_threshold > 0 AND approval_threshold < 1),
  attachments text[] NOT NULL DEFAULT '{}',
  notes text CHECK (notes IS NULL OR length(notes) <= 5000),
  -- The tally's verdict once closed, or why it expired.
  resolution_notes text,
  -- Why it was withdrawn.
  status_reason text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  closed_at timestamptz
);
CREATE INDEX proposals_newest ON governance.proposals (created_at DESC, id DESC);
CREATE INDEX proposals_by_status ON governance.proposals (status, created_at DESC);
-- The schedule's scan: proposals whose vote has ended, or that expired unopened.
CREATE INDEX proposals_ending ON governance.proposals (voting_ends_at) WHERE status IN ('SUBMITTED', 'VOTING_OPEN');

-- Every transition of a proposal: who, when, why. Append-only; the proposing club is copied onto
-- each row, so the same policy guards the history.
CREATE TABLE governance.proposal_changes (
  id uuid PRIMARY KEY,
  proposal_id uuid NOT NULL REFERENCES governance.proposals (id) ON DELETE CASCADE,
  club_id uuid NOT NULL,
  from_status text,
  to_status text NOT NULL,
  reason text,
  -- The acting account; NULL for the system (the vote's end, an expiry).
  changed_by uuid,
  changed_at timestamptz NOT NULL
);
CREATE INDEX proposal_changes_by_proposal ON governance.proposal_changes (proposal_id, changed_at);

-- One vote per club per proposal, cast by one of the club's officers. The network's to read; a club
-- writes only its own (networkReadTableSql).
CREATE TABLE governance.votes (
  id uuid PRIMARY KEY,
  proposal_id uuid NOT NULL REFERENCES governance.proposals (id),
  -- The voting club.
  club_id uuid NOT NULL,
  -- The proposing club, copied so a vote's ledger entry and events name both without a read.
  proposer_club_id uuid NOT NULL,
  choice text NOT NULL CHECK (choice IN ('YAY', 'NAY', 'ABSTAIN')),
  weight integer NOT NULL CHECK (weight >= 1),
  comments text CHECK (comments IS NULL OR length(comments) <= 2000),
  -- Hides the officer (voter_*), never the club: a club's vote is on the record.
  is_anonymous boolean NOT NULL,
  voter_user_id uuid NOT NULL,
  voter_member_id uuid NOT NULL,
  cast_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (proposal_id, club_id)
);
CREATE INDEX votes_by_proposal ON governance.votes (proposal_id, cast_at DESC);
CREATE INDEX votes_by_club ON governance.votes (club_id, cast_at DESC);

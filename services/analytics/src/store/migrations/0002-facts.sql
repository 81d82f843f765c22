-- The analytics read model: facts other services announced on the bus (never their tables), one
-- row per club a fact concerns. Written only by the consumers in src/app/follow-facts.ts, each event
-- once (processed_events); read by rollup-queries.ts, visits through the daily rollups of
-- 0003-visit-rollups.sql and, at the edges of a report's months, from visit_facts itself.
-- Every table carries club_id and gets the club-scope policy (clubScopedTableSql, see
-- ANALYTICS_TABLES in src/index.ts): a club's transaction sees its own rows only, a network
-- transaction (the network admin's report, the consumers) sees them all. Ids, statuses and times
-- only: no member's personal data.

-- Visits (visit.status_changed): one row for the host club (side HOST) and one for the member's
-- home club (side HOME), so each club's figures read its own rows by club_id alone, and the
-- network counts each visit once (side HOST).
CREATE TABLE analytics.visit_facts (
  -- The club this row counts for.
  club_id uuid NOT NULL,
  visit_id uuid NOT NULL,
  -- HOST: the visit was at club_id; HOME: club_id's member visited other_club_id.
  side text NOT NULL CHECK (side IN ('HOST', 'HOME')),
  -- The other party: the member's home club (HOST rows) or the club visited (HOME rows).
  other_club_id uuid NOT NULL,
  -- The contract's VisitStatus as the newest event said; only CHECKED_IN and CHECKED_OUT count.
  status text NOT NULL CHECK (status IN ('PLANNED', 'CHECKED_IN', 'CHECKED_OUT', 'CANCELLED', 'NO_SHOW')),
  checked_in_at timestamptz,
  checked_out_at timestamptz,
  -- The newest event's changedAt: an older event arriving late does not overwrite the status.
  changed_at timestamptz NOT NULL,
  PRIMARY KEY (club_id, visit_id),
  CHECK (other_club_id <> club_id)
);
-- A club's visits over a range of check-ins, grouped by month, side and destination: the range
-- scan reads the index alone (index-only when the visibility map allows).
CREATE INDEX visit_facts_counted ON analytics.visit_facts (club_id, checked_in_at)
  INCLUDE (side, other_club_id, checked_out_at)
  WHERE status IN ('CHECKED_IN', 'CHECKED_OUT');
-- The network's: every visit once, by its host row.
CREATE INDEX visit_facts_counted_network ON analytics.visit_facts (checked_in_at)
  INCLUDE (club_id, checked_out_at)
  WHERE side = 'HOST' AND status IN ('CHECKED_IN', 'CHECKED_OUT');

-- Members (member.created, member.status_changed, member.updated with a new membership type).
CREATE TABLE analytics.member_facts (
  club_id uuid NOT NULL,
  member_id uuid NOT NULL,
  -- Null until member.created (or a membership type change) is heard: events may come out of order.
  membership_type text,
  -- The contract's MemberStatus as the newest event said.
  status text NOT NULL CHECK (status IN ('PENDING', 'ACTIVE', 'SUSPENDED', 'EXPIRED', 'INACTIVE')),
  -- member.created's occurredAt: when the member joined the roster; null until it is heard.
  joined_at timestamptz,
  -- The newest status change applied (null: the status is member.created's).
  status_changed_at timestamptz,
  -- The newest membership type change applied (null: the type is member.created's).
  type_changed_at timestamptz,
  PRIMARY KEY (club_id, member_id)
);
CREATE INDEX member_facts_by_status ON analytics.member_facts (club_id, status, membership_type);
CREATE INDEX member_facts_by_joined ON analytics.member_facts (club_id, joined_at);

-- Reciprocal agreements (agreement.status_changed): one row per party, as for visits.
CREATE TABLE analytics.agreement_facts (
  club_id uuid NOT NULL,
  agreement_id uuid NOT NULL,
  side text NOT NULL CHECK (side IN ('PROPOSER', 'PARTNER')),
  other_club_id uuid NOT NULL,
  -- The contract's AgreementStatus as the newest event said.
  status text NOT NULL,
  changed_at timestamptz NOT NULL,
  PRIMARY KEY (club_id, agreement_id),
  CHECK (other_club_id <> club_id)
);
CREATE INDEX agreement_facts_by_status ON analytics.agreement_facts (club_id, status);

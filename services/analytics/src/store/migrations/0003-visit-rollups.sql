-- Daily rollups of the visit facts, so a year of a big club reads a few hundred rows rather than
-- every visit (bench figures in the commit adding them). Kept by the facts consumer in the
-- transaction that changes a visit's facts: the days it touches are recomputed from the facts
-- (src/store/fact-queries.ts), never incremented, so a redelivered or reordered event cannot skew
-- them. Days are UTC days; a report reads whole days here and the edges of its local months from
-- visit_facts (src/domain/segments.ts). Club-scoped like the facts (ANALYTICS_TABLES in src/index.ts).

-- Counted visits (CHECKED_IN or CHECKED_OUT) per club, side and UTC day of check-in.
CREATE TABLE analytics.visit_days (
  club_id uuid NOT NULL,
  side text NOT NULL CHECK (side IN ('HOST', 'HOME')),
  day date NOT NULL,
  visits integer NOT NULL CHECK (visits > 0),
  -- Checked out among them, and their summed length in seconds.
  completed integer NOT NULL,
  seconds double precision NOT NULL,
  PRIMARY KEY (club_id, side, day)
);
-- The network's report: every club's hosted visits, by day.
CREATE INDEX visit_days_network ON analytics.visit_days (day) INCLUDE (club_id, visits, completed, seconds)
  WHERE side = 'HOST';

-- A club's members' counted visits per club visited and UTC day (its top destinations).
CREATE TABLE analytics.destination_days (
  club_id uuid NOT NULL,
  other_club_id uuid NOT NULL,
  day date NOT NULL,
  visits integer NOT NULL CHECK (visits > 0),
  PRIMARY KEY (club_id, day, other_club_id)
);

-- The same per UTC month (day 1 of the month), so a year of destinations is twelve rows per club
-- visited; recomputed from destination_days with them.
CREATE TABLE analytics.destination_months (
  club_id uuid NOT NULL,
  other_club_id uuid NOT NULL,
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  visits integer NOT NULL CHECK (visits > 0),
  PRIMARY KEY (club_id, month, other_club_id)
);

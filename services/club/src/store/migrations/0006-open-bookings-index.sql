-- The open bookings of a facility that are not over yet, the ones that can stand in a new booking's
-- way or show in its availability. Under row-level security PostgreSQL takes into an index scan
-- only comparisons it knows leak nothing: not the exclusion constraint's tstzrange overlap, so the
-- free-unit check and the availability read went through the facility's whole history by
-- bookings_by_facility (a cost growing with every booking ever made). They compare
-- blocked_until (the end plus the buffer) with plain operators instead, which this index serves.
-- A plain CREATE INDEX holds writes to club.bookings while it builds (seconds on a large table):
-- on a busy deployment build it first, outside the migration, with the same definition and
-- CREATE INDEX CONCURRENTLY IF NOT EXISTS; this migration then finds it and changes nothing.
CREATE INDEX IF NOT EXISTS bookings_open_by_facility ON club.bookings (facility_id, blocked_until)
  WHERE status IN ('REQUESTED', 'CONFIRMED', 'CHECKED_IN');

-- The member counters (0007) again, fixed in two ways:
-- 1. Deadlocks. A status or type change moves one member between two counters. Two transactions
--    moving members of one club in opposite directions (ACTIVE -> SUSPENDED and back) locked the
--    same two counter rows in opposite orders and deadlocked (40P01). Now the trigger first takes
--    one transaction-scoped lock per club, in club order, so a club's member writes queue behind
--    each other instead (they already queued on the counter row; member writes are a front
--    desk's pace, not a hot path).
-- 2. The first count. 0007 counted existing members as the migrating role; when that role owns
--    the tables without being a superuser, FORCE ROW LEVEL SECURITY showed it no member at all and
--    the counters started at zero. They are counted again here with the policy lifted for the
--    owner, inside this migration's transaction (the ALTERs hold both tables meanwhile).
CREATE OR REPLACE FUNCTION member.count_members() RETURNS trigger LANGUAGE plpgsql AS $count_members$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM pg_advisory_xact_lock(hashtext('clubland.member_counts'), hashtext(club_id::text))
      FROM (SELECT DISTINCT club_id FROM new_rows ORDER BY club_id) AS clubs;
    INSERT INTO member.member_counts AS c (club_id, status, membership_type, members)
      SELECT club_id, status, membership_type, count(*) FROM new_rows GROUP BY 1, 2, 3
      ON CONFLICT (club_id, status, membership_type) DO UPDATE SET members = c.members + EXCLUDED.members;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM pg_advisory_xact_lock(hashtext('clubland.member_counts'), hashtext(club_id::text))
      FROM (SELECT DISTINCT club_id FROM old_rows ORDER BY club_id) AS clubs;
    UPDATE member.member_counts AS c SET members = c.members - gone.n
      FROM (SELECT club_id, status, membership_type, count(*) AS n FROM old_rows GROUP BY 1, 2, 3) AS gone
      WHERE (c.club_id, c.status, c.membership_type) = (gone.club_id, gone.status, gone.membership_type);
  ELSE
    PERFORM pg_advisory_xact_lock(hashtext('clubland.member_counts'), hashtext(club_id::text))
      FROM (SELECT club_id FROM new_rows UNION SELECT club_id FROM old_rows ORDER BY club_id) AS clubs;
    -- Net change per counter; decreases are updates (an insert with a negative count would fail
    -- the check before ON CONFLICT could turn it into an update).
    WITH changed AS (
      SELECT club_id, status, membership_type, sum(n)::integer AS n FROM (
        SELECT club_id, status, membership_type, 1 AS n FROM new_rows
        UNION ALL
        SELECT club_id, status, membership_type, -1 AS n FROM old_rows
      ) AS moves
      GROUP BY 1, 2, 3 HAVING sum(n) <> 0
    ), decreased AS (
      UPDATE member.member_counts AS c SET members = c.members + changed.n
        FROM changed
        WHERE changed.n < 0
          AND (c.club_id, c.status, c.membership_type) = (changed.club_id, changed.status, changed.membership_type)
    )
    INSERT INTO member.member_counts AS c (club_id, status, membership_type, members)
      SELECT club_id, status, membership_type, n FROM changed WHERE n > 0
      ON CONFLICT (club_id, status, membership_type) DO UPDATE SET members = c.members + EXCLUDED.members;
  END IF;
  RETURN NULL;
END
$count_members$;

ALTER TABLE member.members NO FORCE ROW LEVEL SECURITY;
ALTER TABLE member.member_counts NO FORCE ROW LEVEL SECURITY;
DELETE FROM member.member_counts;
INSERT INTO member.member_counts (club_id, status, membership_type, members)
  SELECT club_id, status, membership_type, count(*) FROM member.members GROUP BY 1, 2, 3;
ALTER TABLE member.member_counts FORCE ROW LEVEL SECURITY;
ALTER TABLE member.members FORCE ROW LEVEL SECURITY;

-- Which member tables that carry a club id are confined to that club, and why the others are not
-- (issue 27, item 10).
--
-- member.club_status_changes becomes tenant-owned (tenantTableSql, appended by memberMigrations()
-- in src/index.ts): the record of a club's standing is that club's. The network administrator
-- writes it inside that club's transaction (setClubStatus); a club's transaction reads only its own.
COMMENT ON TABLE member.club_status_changes IS
  'tenant-owned: the record of one club''s standing; written and read in that club''s transaction.';

-- Reviews and favourites name a club, but the club named is not the one the row belongs to: the
-- author is a member of another club. So no club's scope fits them.
COMMENT ON TABLE member.club_reviews IS
  'network-wide: a review belongs to its author, a member of another club (nobody reviews their own), '
  'not to the club it is about; reviews are public in the directory, read by club or by author.';
COMMENT ON TABLE member.favourite_clubs IS
  'network-wide: a user''s private list of clubs across the network; the club favourited may not see '
  'who likes it and the user''s own club is not in the row. Every query names the calling user.';

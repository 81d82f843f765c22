-- Row-level security for the auth tables whose rows each belong to a club (issue 27, item 10).
--
-- auth.role_grants (a role held at a club; NETWORK_ADMIN at none), auth.club_invitations (an
-- invitation to a club) and auth.club_memberships (a member record's standing at a club) get the club_scope policy (clubScopedTableSql, appended by
-- authMigrations() in src/index.ts): a club's transaction (withTenant) sees and writes only that
-- club's rows, never another club's nor a network-wide grant. A network transaction sees them all,
-- because the network reads these tables as a whole by design: sign-in and every decision read all
-- of an account's grants at once (deciding on some of them could allow what the rest forbid), and
-- an invitation is found by the secret in its link before anyone knows its club.
--
-- auth.users also carries a club id, its home club, and stays network-wide: said in its comment.
COMMENT ON TABLE auth.users IS
  'network-wide: an account signs in before any club is known and may hold roles at several clubs; '
  'club_id is its home club, not an owner. Only the auth service''s use cases read it, after checking access.';
COMMENT ON TABLE auth.role_grants IS
  'club-scoped: a club''s transaction sees only its own grants; the network reads all of an account''s at once.';
COMMENT ON TABLE auth.club_memberships IS
  'club-scoped: a club''s transaction sees only its own members'' standing; token minting reads all of an account''s at once.';
COMMENT ON TABLE auth.club_invitations IS
  'club-scoped: a club''s transaction sees only its own invitations; acceptance finds one by its link''s secret.';

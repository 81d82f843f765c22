-- Erasure reaches the account (issue 29, item 2). When the member service erases a member record
-- linked to an account (member.erased), the auth service drops that club's tie, and closes the
-- account when it has no other (app/member-erasure.ts, domain/account-closure.ts).

-- When the account was closed because its person's member data was erased; null while open. A
-- closed account keeps its id (audit entries, grants and reviews point at it) and nothing that
-- names the person: no names, no username, no Hanko link, an address under `.invalid` (RFC 2606,
-- never routable) that no one can type by mistake, no credentials. It is INACTIVE and stays so.
ALTER TABLE auth.users ADD COLUMN closed_at timestamptz;

-- A session of an account closed by erasure ended for that reason (domain/session-end.ts).
ALTER TABLE auth.sessions DROP CONSTRAINT sessions_revoked_reason_check;
ALTER TABLE auth.sessions ADD CONSTRAINT sessions_revoked_reason_check
  CHECK (revoked_reason IN ('logout', 'token_reused', 'password_reset', 'account_disabled', 'account_closed'));

-- When the member record was erased: the record is no tie to its club any more. Its standing reads
-- INACTIVE from then on, whatever late events about it say (store/membership-queries.ts).
ALTER TABLE auth.club_memberships ADD COLUMN erased_at timestamptz;

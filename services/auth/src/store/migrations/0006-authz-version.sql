-- Changes to what an account may do take effect on its next request, not when its access token expires.

-- How many times the account's roles or status have changed (role granted or revoked, status set,
-- a club membership suspended or reinstated). Each access token carries the count it was minted
-- under (claim `av`); the gateway refuses one minted under an older count (auth.token_outdated), so
-- the client refreshes and gets a token with the roles as they are now. Only ever incremented.
ALTER TABLE auth.users ADD COLUMN authz_version integer NOT NULL DEFAULT 0 CHECK (authz_version >= 0);

-- The account's membership record at each club, as the member service announces it (member.created,
-- member.status_changed): a MEMBER grant at a club where the record is suspended, expired or ended
-- is not in force (domain/member-standing.ts). Club-scoped like auth.role_grants (0007): read by
-- account, across clubs, when a token is minted (a network transaction), never by another club.
CREATE TABLE auth.club_memberships (
  -- member.members.id; another service's schema, so no foreign key.
  member_id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  club_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('PENDING', 'ACTIVE', 'SUSPENDED', 'EXPIRED', 'INACTIVE')),
  -- When the member service made the change (the event's occurredAt): an older event arriving late changes nothing.
  changed_at timestamptz NOT NULL
);
CREATE INDEX club_memberships_user_club ON auth.club_memberships (user_id, club_id, changed_at DESC);

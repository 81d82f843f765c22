-- Onboarding: the first network administrator and invitations to hold a role at a club.

-- A network administrator belongs to the network, not to a club: the first one exists before any
-- club does. Every other account still has its home club (registration and invitations set it).
ALTER TABLE auth.users ALTER COLUMN club_id DROP NOT NULL;

-- An invitation to hold a role at a club (a club's first CLUB_ADMIN, its staff, its members), sent
-- by email as a single-use link that expires. Accepting it creates the account or links an existing one.
CREATE TABLE auth.club_invitations (
  id uuid PRIMARY KEY,
  -- sha256 (hex) of the token in the link; the token itself is never stored.
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  -- member.clubs.id; another service's schema, so no foreign key (checked by RPC when inviting).
  club_id uuid NOT NULL,
  -- As the inviter typed it (normalised); compared case-insensitively.
  email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  role text NOT NULL CHECK (role IN ('MEMBER', 'STAFF', 'CLUB_ADMIN')),
  invited_by uuid REFERENCES auth.users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
  -- Set once, when the link is redeemed, with the account that redeemed it.
  accepted_at timestamptz,
  accepted_by uuid REFERENCES auth.users (id) ON DELETE SET NULL,
  -- Set when a newer invitation of the same address, club and role replaced this one.
  superseded_at timestamptz,
  CHECK ((accepted_at IS NULL) = (accepted_by IS NULL))
);
-- Only the latest link works: inviting again retires the earlier open invitation.
CREATE UNIQUE INDEX club_invitations_one_open ON auth.club_invitations (lower(email), club_id, role)
  WHERE accepted_at IS NULL AND superseded_at IS NULL;

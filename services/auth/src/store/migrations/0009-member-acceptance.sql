-- A MEMBER grant is in force only once the club accepted the person (issue 29, item 6;
-- domain/member-standing.ts): an invitation the account redeemed is one way. Every token minted
-- asks, per grant, whether the account redeemed an invitation to that club: answered by index.
CREATE INDEX club_invitations_accepted_by ON auth.club_invitations (accepted_by, club_id)
  WHERE accepted_by IS NOT NULL;

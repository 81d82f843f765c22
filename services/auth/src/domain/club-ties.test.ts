import { describe, expect, it } from 'vitest';
import { belongsToClub, type ClubTies } from './club-ties.ts';

const clubA = '0190a000-0000-7000-8000-00000000000a';
const clubB = '0190a000-0000-7000-8000-00000000000b';

function ties(partial: Partial<ClubTies>): ClubTies {
  return { homeClubId: null, grants: [], acceptedInvitationClubIds: [], ...partial };
}

describe('belongsToClub', () => {
  it('ties an account to its home club, even with no role left there', () => {
    expect(belongsToClub(ties({ homeClubId: clubA }), clubA)).toBe(true);
    expect(belongsToClub(ties({ homeClubId: clubA }), clubB)).toBe(false);
  });

  it('ties an account to every club where it holds a club role', () => {
    for (const role of ['MEMBER', 'STAFF', 'CLUB_ADMIN'] as const) {
      expect(belongsToClub(ties({ homeClubId: clubB, grants: [{ role, clubId: clubA }] }), clubA)).toBe(true);
    }
  });

  it('ties an account to a club whose invitation it accepted, even after the role went', () => {
    expect(belongsToClub(ties({ homeClubId: clubB, acceptedInvitationClubIds: [clubA] }), clubA)).toBe(true);
  });

  it('does not tie a network admin to any club by that role alone', () => {
    const networkAdmin = ties({ grants: [{ role: 'NETWORK_ADMIN', clubId: null }] });
    expect(belongsToClub(networkAdmin, clubA)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { closedAccountEmail, erasureOutcome } from './account-closure.ts';

const club = '01900000-0000-7000-8000-0000000000a1';
const other = '01900000-0000-7000-8000-0000000000b2';

describe('erasureOutcome', () => {
  it('closes an account whose only tie was the erased club', () => {
    expect(erasureOutcome(club, { grants: [], otherRecordClubIds: [] })).toBe('account_closed');
    // The erased club's MEMBER role, should it still be listed, is that same tie.
    expect(erasureOutcome(club, { grants: [{ role: 'MEMBER', clubId: club }], otherRecordClubIds: [] })).toBe(
      'account_closed',
    );
  });

  it('keeps an account with a record or MEMBER role elsewhere, or any appointment', () => {
    expect(erasureOutcome(club, { grants: [], otherRecordClubIds: [other] })).toBe('club_tie_dropped');
    for (const grant of [
      { role: 'MEMBER', clubId: other },
      { role: 'STAFF', clubId: club },
      { role: 'CLUB_ADMIN', clubId: other },
      { role: 'NETWORK_ADMIN', clubId: null },
    ] as const) {
      expect(erasureOutcome(club, { grants: [grant], otherRecordClubIds: [] }), grant.role).toBe(
        'club_tie_dropped',
      );
    }
  });
});

describe('closedAccountEmail', () => {
  it('is unique per account, never routable, and names nobody', () => {
    const id = '01900000-0000-7000-8000-00000000c0de';
    expect(closedAccountEmail(id)).toBe(`closed-${id}@erased.invalid`);
  });
});

import { describe, expect, it } from 'vitest';
import { isMemberGrantInForce, MEMBER_RECORD_STATUSES, withholdsMemberGrant } from './member-standing.ts';

describe('member standing', () => {
  it('withholds the MEMBER grant while the record is suspended, expired or ended, and only then', () => {
    const withheld = MEMBER_RECORD_STATUSES.filter((status) => withholdsMemberGrant(status));
    expect(withheld).toEqual(['SUSPENDED', 'EXPIRED', 'INACTIVE']);
  });

  it('puts the MEMBER grant in force only with a verified email and the club’s acceptance', () => {
    const verified = { isEmailVerified: true, isInvited: false };
    // A fresh registration: no record, no invitation, verified or not.
    expect(isMemberGrantInForce({ ...verified, standing: null })).toBe(false);
    expect(isMemberGrantInForce({ ...verified, isEmailVerified: false, standing: null })).toBe(false);
    // An application the club has not activated is not acceptance.
    expect(isMemberGrantInForce({ ...verified, standing: 'PENDING' })).toBe(false);
    expect(isMemberGrantInForce({ ...verified, standing: 'ACTIVE' })).toBe(true);
    expect(isMemberGrantInForce({ ...verified, isInvited: true, standing: null })).toBe(true);
    expect(isMemberGrantInForce({ ...verified, isInvited: true, standing: 'PENDING' })).toBe(true);
  });

  it('withholds it without a verified email, even from an active member', () => {
    expect(isMemberGrantInForce({ isEmailVerified: false, isInvited: true, standing: 'ACTIVE' })).toBe(false);
  });

  it('withholds it while a record is suspended, expired or ended, invitation or not', () => {
    for (const standing of WITHHELD)
      expect(isMemberGrantInForce({ isEmailVerified: true, isInvited: true, standing })).toBe(false);
  });
});

const WITHHELD = ['SUSPENDED', 'EXPIRED', 'INACTIVE'] as const;

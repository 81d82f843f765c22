import { describe, expect, it } from 'vitest';
import { MEMBER_RECORD_STATUSES, withholdsMemberGrant } from './member-standing.ts';

describe('member standing', () => {
  it('withholds the MEMBER grant while the record is suspended, expired or ended, and only then', () => {
    const withheld = MEMBER_RECORD_STATUSES.filter((status) => withholdsMemberGrant(status));
    expect(withheld).toEqual(['SUSPENDED', 'EXPIRED', 'INACTIVE']);
  });

  it('keeps the MEMBER grant of an account with no record at the club', () => {
    expect(withholdsMemberGrant(null)).toBe(false);
  });
});

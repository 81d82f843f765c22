import { describe, expect, it } from 'vitest';
import { checkMemberPatch, checkNewMember, DEFAULT_PREFERENCES, mergePreferences } from './member.ts';

const today = new Date('2026-01-15T00:00:00Z');
const valid = {
  memberNumber: 'A-1',
  firstName: ' Ada ',
  lastName: 'Lovelace',
  email: 'ada@example.org',
  membershipType: 'vip',
};

describe('a member record', () => {
  it('accepts a well-formed member, trimming names and normalising the membership type', () => {
    expect(checkNewMember(valid, today)).toMatchObject({
      ok: true,
      value: { firstName: 'Ada', membershipType: 'VIP' },
    });
  });

  it.each([
    [{ memberNumber: '' }, 'memberNumber'],
    [{ memberNumber: 'a b' }, 'memberNumber'],
    [{ firstName: '  ' }, 'firstName'],
    [{ email: 'ada' }, 'email'],
    [{ membershipType: 'GOLD' }, 'membershipType'],
    [{ phone: 'call me' }, 'phone'],
    [{ dateOfBirth: '2026-02-30' }, 'dateOfBirth'],
    [{ dateOfBirth: '2027-01-01' }, 'dateOfBirth'],
    [
      { emergencyContact: { name: 'B', relationship: '', phone: '+1 555 0100', email: '' } },
      'emergencyContact.relationship',
    ],
    [{ preferences: { preferredLanguage: 'English' } }, 'preferences.preferredLanguage'],
  ])('refuses %j naming %s', (change, field) => {
    expect(checkNewMember({ ...valid, ...change }, today)).toMatchObject({ ok: false, field });
  });

  it('checks a patch field by field and lets empty strings clear optional fields', () => {
    expect(checkMemberPatch({ phone: '', notes: '' }, today)).toEqual({
      ok: true,
      value: { phone: '', notes: '' },
    });
    expect(checkMemberPatch({ lastName: '' }, today)).toMatchObject({ ok: false, field: 'lastName' });
  });

  it('merges a preferences patch over the current preferences, keeping what it leaves out', () => {
    const merged = mergePreferences(
      { ...DEFAULT_PREFERENCES, receiveNewsletter: true },
      { interests: ['chess'], receivePromotions: undefined },
    );
    expect(merged).toEqual({ ...DEFAULT_PREFERENCES, receiveNewsletter: true, interests: ['chess'] });
  });
});

import { describe, expect, it } from 'vitest';
import { checkInvitation } from './invitation.ts';

const club = '0190b7a6-0000-7000-8000-00000000000A';

describe('checkInvitation', () => {
  it('accepts a club role for an address, lower-casing the club id and the domain', () => {
    expect(checkInvitation({ clubId: club, email: 'Ada@Example.COM', role: 'CLUB_ADMIN' })).toEqual({
      ok: true,
      value: { clubId: club.toLowerCase(), email: 'Ada@example.com', role: 'CLUB_ADMIN' },
    });
  });

  it.each([
    [{ clubId: 'nope', email: 'a@example.com', role: 'STAFF' }, 'clubId'],
    [{ clubId: club, email: 'not an address', role: 'STAFF' }, 'email'],
    [{ clubId: club, email: 'a@example.com', role: 'NETWORK_ADMIN' }, 'role'],
    [{ clubId: club, email: 'a@example.com', role: 'OWNER' }, 'role'],
  ])('refuses %o naming %s', (input, field) => {
    expect(checkInvitation(input)).toMatchObject({ ok: false, field });
  });
});

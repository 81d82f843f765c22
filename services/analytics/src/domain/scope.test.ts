import type { Principal, RoleGrant } from '@clubland/authz';
import { describe, expect, it } from 'vitest';
import { scopeFor } from './scope.ts';

const A = '0190f5c2-0000-7000-8000-00000000000a';
const B = '0190f5c2-0000-7000-8000-00000000000b';
const principal = (grants: RoleGrant[], homeClubId: string | null = A): Principal => ({
  userId: '0190f5c2-0000-7000-8000-000000000001',
  sessionId: null,
  homeClubId,
  grants,
  source: 'clubland',
});

describe('who may read which figures', () => {
  it("gives a club administrator their own club's figures, named or not", () => {
    const admin = principal([{ role: 'CLUB_ADMIN', clubId: A }]);
    expect(scopeFor(admin, null)).toEqual({ ok: true, scope: { kind: 'club', clubId: A } });
    expect(scopeFor(admin, A)).toEqual({ ok: true, scope: { kind: 'club', clubId: A } });
    expect(scopeFor(admin, B)).toMatchObject({ ok: false, code: 'request.forbidden' });
    // No home club in the token: the one club administered.
    expect(scopeFor(principal([{ role: 'CLUB_ADMIN', clubId: B }], null), null)).toEqual({
      ok: true,
      scope: { kind: 'club', clubId: B },
    });
  });

  it('gives the network administrator the network, or the club named', () => {
    const network = principal([{ role: 'NETWORK_ADMIN', clubId: null }], null);
    expect(scopeFor(network, null)).toEqual({ ok: true, scope: { kind: 'network' } });
    expect(scopeFor(network, B)).toEqual({ ok: true, scope: { kind: 'club', clubId: B } });
  });

  it('refuses members and staff, and asks the anonymous to sign in', () => {
    expect(scopeFor(principal([{ role: 'MEMBER', clubId: A }]), null)).toMatchObject({
      code: 'request.forbidden',
    });
    expect(scopeFor(principal([{ role: 'STAFF', clubId: A }]), A)).toMatchObject({
      code: 'request.forbidden',
    });
    expect(scopeFor(null, null)).toMatchObject({ code: 'request.unauthenticated' });
  });
});

import { describe, expect, it } from 'vitest';
import { type AccountStanding, covers } from './covers.ts';
import type { RoleGrant } from './permissions.ts';

const clubA = '0190a000-0000-7000-8000-00000000000a';
const clubB = '0190a000-0000-7000-8000-00000000000b';

let nextId = 0;
function account(homeClubId: string | null, ...grants: RoleGrant[]): AccountStanding {
  nextId += 1;
  return { userId: `user-${nextId}`, homeClubId, grants };
}

const member = (clubId: string): RoleGrant => ({ role: 'MEMBER', clubId });
const staff = (clubId: string): RoleGrant => ({ role: 'STAFF', clubId });
const clubAdmin = (clubId: string): RoleGrant => ({ role: 'CLUB_ADMIN', clubId });
const networkAdmin: RoleGrant = { role: 'NETWORK_ADMIN', clubId: null };

describe('covers: whose accounts an actor may act on', () => {
  const adminOfA = account(clubA, member(clubA), clubAdmin(clubA));

  it('lets a club admin act on the members and staff of their club', () => {
    expect(covers(adminOfA, account(clubA, member(clubA)))).toBe(true);
    expect(covers(adminOfA, account(clubA, member(clubA), staff(clubA)))).toBe(true);
    // An account of their club whose roles were all revoked is still theirs.
    expect(covers(adminOfA, account(clubA))).toBe(true);
  });

  it('keeps a club admin off a network admin and off another club’s admin whose home club is theirs', () => {
    expect(covers(adminOfA, account(clubA, member(clubA), networkAdmin))).toBe(false);
    expect(covers(adminOfA, account(clubA, member(clubA), clubAdmin(clubB)))).toBe(false);
  });

  it('keeps a club admin off their peer admins: only a network admin demotes or suspends a club admin', () => {
    expect(covers(adminOfA, account(clubA, member(clubA), clubAdmin(clubA)))).toBe(false);
  });

  it('keeps a club admin off accounts that hold anything at another club, or live at another club', () => {
    expect(covers(adminOfA, account(clubB, member(clubB), member(clubA)))).toBe(false);
    expect(covers(adminOfA, account(clubA, member(clubA), member(clubB)))).toBe(false);
    expect(covers(adminOfA, account(clubB, member(clubA)))).toBe(false);
    expect(covers(adminOfA, account(null))).toBe(false);
  });

  it('lets an admin of two clubs act on an account that holds roles at both', () => {
    const adminOfBoth = account(clubA, clubAdmin(clubA), clubAdmin(clubB));
    expect(covers(adminOfBoth, account(clubB, member(clubB), staff(clubA)))).toBe(true);
  });

  it('lets a network admin act on everyone, other network admins too', () => {
    const network = account(null, networkAdmin);
    for (const target of [
      account(clubA, member(clubA)),
      account(clubA, clubAdmin(clubA)),
      account(clubB, clubAdmin(clubB), member(clubA)),
      account(null, networkAdmin),
    ]) {
      expect(covers(network, target)).toBe(true);
    }
  });

  it('lets staff and members act on nobody but themselves', () => {
    for (const actor of [account(clubA, member(clubA)), account(clubA, member(clubA), staff(clubA))]) {
      expect(covers(actor, account(clubA, member(clubA)))).toBe(false);
      expect(covers(actor, account(clubA))).toBe(false);
      expect(covers(actor, actor)).toBe(true);
    }
  });

  it('lets everyone act on themselves, whatever they hold', () => {
    const target = account(clubA, member(clubA), networkAdmin);
    expect(covers({ ...target, grants: [] }, target)).toBe(true);
  });

  it('gives malformed grants no authority', () => {
    const pinned = account(clubA, { role: 'NETWORK_ADMIN', clubId: clubA });
    const clublessAdmin = account(clubA, { role: 'CLUB_ADMIN', clubId: null });
    for (const actor of [pinned, clublessAdmin]) {
      expect(covers(actor, account(clubA, member(clubA)))).toBe(false);
    }
    // A malformed grant held by the target keeps a club admin out rather than being ignored.
    expect(covers(adminOfA, account(clubA, member(clubA), { role: 'STAFF', clubId: null }))).toBe(false);
  });
});

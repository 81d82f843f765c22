import { ClubStatus } from '@clubland/contract/member/v1';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  callerOf,
  eventually,
  type MemberServiceHarness,
  networkAdminCaller,
  principalWith,
  setupMemberService,
} from './setup.ts';

const london = {
  street: '104 Pall Mall',
  city: 'London',
  state: '',
  postalCode: 'SW1Y 5EP',
  country: 'United Kingdom',
};

/** Onboarding clubs: only the network registers them and sets their status; a club's admins edit their own. */
describe('club onboarding over RPC', () => {
  let harness: MemberServiceHarness;
  const admin = networkAdminCaller();

  beforeEach(async () => {
    harness = await setupMemberService();
  });
  afterEach(async () => {
    await harness.close();
  });

  /** Everything the registry holds, so "nothing changed" is one comparison. */
  async function registryState() {
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query<{ clubs: unknown; changes: number; outbox: number }>(
        `SELECT (SELECT coalesce(json_agg(c ORDER BY c.id), '[]') FROM member.clubs c) AS clubs,
                (SELECT count(*)::int FROM member.club_status_changes) AS changes,
                (SELECT count(*)::int FROM member.outbox) AS outbox`,
      ),
    );
    return rows[0]!;
  }

  async function register(slug: string) {
    const { club } = await harness.clubRegistry.createClub({ caller: admin, name: `Club ${slug}`, slug });
    return club!.id;
  }

  it('registers a club with its first profile facts when a network administrator asks', async () => {
    const { club } = await harness.clubRegistry.createClub({
      caller: admin,
      name: 'The Pall Mall Club',
      slug: 'pall-mall-club',
      address: london,
      latitude: 51.5066,
      longitude: -0.1337,
      timezone: 'Europe/London',
      currency: 'GBP',
      contactEmail: 'secretary@pall-mall.example',
    });
    const { clubs } = await harness.directory.getClubProfiles({ ids: [club!.id] });
    expect(clubs[0]).toMatchObject({
      slug: 'pall-mall-club',
      address: { city: 'London', country: 'United Kingdom' },
      latitude: 51.5066,
      longitude: -0.1337,
      timezone: 'Europe/London',
      currency: 'GBP',
      contactEmail: 'secretary@pall-mall.example',
    });
  });

  it.each([
    ['no caller', undefined, 'request.unauthenticated'],
    [
      'a member',
      callerOf(principalWith('MEMBER', '0190b7a6-0000-7000-8000-000000000001')),
      'request.forbidden',
    ],
    [
      'a club admin',
      callerOf(principalWith('CLUB_ADMIN', '0190b7a6-0000-7000-8000-000000000001')),
      'request.forbidden',
    ],
  ])('refuses to register a club for %s, and writes nothing', async (_who, caller, code) => {
    const before = await registryState();
    await expect(
      harness.clubRegistry.createClub({ caller, name: 'Rogue', slug: 'rogue-club' }),
    ).rejects.toMatchObject({
      code,
    });
    expect(await registryState()).toEqual(before);
  });

  it.each([
    [{ slug: 'Not A Slug' }, 'slug'],
    [{ address: { ...london, city: '' } }, 'address.city'],
    [{ address: { ...london, country: '   ' } }, 'address.country'],
    [{ latitude: 91, longitude: 0 }, 'latitude'],
    [{ latitude: 51.5 }, 'latitude'],
    [{ timezone: 'Mars/Olympus' }, 'timezone'],
  ])('refuses a club with %o, naming %s, and writes nothing', async (patch, field) => {
    const before = await registryState();
    await expect(
      harness.clubRegistry.createClub({ caller: admin, name: 'Club', slug: 'good-slug', ...patch }),
    ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field } });
    expect(await registryState()).toEqual(before);
  });

  it('lets a club admin edit their own club, announces the changed fields, and refuses a taken slug', async () => {
    const own = await register('own-club');
    const other = await register('other-club');
    const clubAdmin = callerOf(principalWith('CLUB_ADMIN', own));
    const { club } = await harness.clubRegistry.updateClub({
      caller: clubAdmin,
      clubId: own,
      name: 'Our Club',
      slug: 'our-club',
      address: london,
    });
    expect(club).toMatchObject({ id: own, name: 'Our Club', slug: 'our-club' });
    const { clubs } = await harness.directory.getClubProfiles({ ids: [own] });
    expect(clubs[0]?.address?.city).toBe('London');
    await eventually(() =>
      expect(harness.published.find((e) => e.type === 'club.updated')?.data).toEqual({
        clubId: own,
        fields: ['name', 'slug', 'address'],
      }),
    );

    const before = await registryState();
    await expect(
      harness.clubRegistry.updateClub({ caller: clubAdmin, clubId: own, slug: 'other-club' }),
    ).rejects.toMatchObject({ code: 'club.slug_taken', details: { field: 'slug' } });
    await expect(
      harness.clubRegistry.updateClub({ caller: clubAdmin, clubId: own, address: { ...london, street: '' } }),
    ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field: 'address.street' } });
    expect(await registryState()).toEqual(before);
    expect((await harness.clubRegistry.getClub({ id: other })).club?.slug).toBe('other-club');
  });

  it('refuses a club admin editing another club, and a member editing their own; nothing changes', async () => {
    const own = await register('own-club');
    const other = await register('other-club');
    const before = await registryState();
    await expect(
      harness.clubRegistry.updateClub({
        caller: callerOf(principalWith('CLUB_ADMIN', own)),
        clubId: other,
        name: 'Taken Over',
      }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    await expect(
      harness.clubRegistry.updateClub({
        caller: callerOf(principalWith('MEMBER', own)),
        clubId: own,
        name: 'Mine',
      }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    expect(await registryState()).toEqual(before);
  });

  it('sets a club’s status with a reason, records who and why, and announces it', async () => {
    const id = await register('suspended-club');
    const { club, change } = await harness.clubRegistry.setClubStatus({
      caller: admin,
      clubId: id,
      status: ClubStatus.SUSPENDED,
      reason: 'dues unpaid',
    });
    expect(club?.status).toBe(ClubStatus.SUSPENDED);
    expect(change).toMatchObject({
      clubId: id,
      fromStatus: ClubStatus.ACTIVE,
      toStatus: ClubStatus.SUSPENDED,
      reason: 'dues unpaid',
      changedBy: admin.userId,
    });
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query('SELECT from_status, to_status, reason FROM member.club_status_changes WHERE club_id = $1', [
        id,
      ]),
    );
    expect(rows).toEqual([{ from_status: 'ACTIVE', to_status: 'SUSPENDED', reason: 'dues unpaid' }]);
    await eventually(() =>
      expect(harness.published.find((e) => e.type === 'club.status_changed')?.data).toMatchObject({
        clubId: id,
        from: 'ACTIVE',
        to: 'SUSPENDED',
        reason: 'dues unpaid',
        changedBy: admin.userId,
      }),
    );
  });

  it('refuses status changes by the club’s own admin, without a reason, or to the same status; nothing changes', async () => {
    const id = await register('steady-club');
    const before = await registryState();
    await expect(
      harness.clubRegistry.setClubStatus({
        caller: callerOf(principalWith('CLUB_ADMIN', id)),
        clubId: id,
        status: ClubStatus.INACTIVE,
        reason: 'closing',
      }),
    ).rejects.toMatchObject({ code: 'request.forbidden' });
    await expect(
      harness.clubRegistry.setClubStatus({
        caller: admin,
        clubId: id,
        status: ClubStatus.INACTIVE,
        reason: ' ',
      }),
    ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field: 'reason' } });
    await expect(
      harness.clubRegistry.setClubStatus({
        caller: admin,
        clubId: id,
        status: ClubStatus.ACTIVE,
        reason: 'again',
      }),
    ).rejects.toMatchObject({ code: 'entity.conflict' });
    await expect(
      harness.clubRegistry.setClubStatus({
        caller: admin,
        clubId: id,
        status: ClubStatus.UNSPECIFIED,
        reason: 'x',
      }),
    ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field: 'status' } });
    expect(await registryState()).toEqual(before);
  });
});

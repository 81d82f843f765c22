import { ClubStatus } from '@clubland/contract/member/v1';
import { ClubError } from '@clubland/errors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type MemberServiceHarness, networkAdminCaller, setupMemberService } from './setup.ts';

const reform = {
  // Only network administrators register clubs.
  caller: networkAdminCaller(),
  name: 'The Reform Club',
  slug: 'reform',
  description: 'Founded 1836.',
  location: 'London, United Kingdom',
  website: 'https://www.reformclub.com',
};

async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('the club registry over RPC', () => {
  let harness: MemberServiceHarness;
  beforeEach(async () => {
    harness = await setupMemberService();
  });
  afterEach(async () => {
    await harness.close();
  });

  it('creates a club, reads it back, and publishes club.created through the outbox', async () => {
    const { club } = await harness.clubRegistry.createClub(reform);
    expect(club).toMatchObject({ name: reform.name, slug: 'reform', status: ClubStatus.ACTIVE });

    const { club: read } = await harness.clubRegistry.getClub({ id: club!.id });
    expect(read).toMatchObject({ id: club!.id, location: reform.location, website: reform.website });
    const { club: bySlug } = await harness.clubRegistry.getClubBySlug({ slug: 'reform' });
    expect(bySlug?.id).toBe(club!.id);
    await expect(harness.clubRegistry.getClubBySlug({ slug: 'nowhere' })).rejects.toMatchObject({
      code: 'entity.not_found',
    });

    await eventually(() => expect(harness.published).toHaveLength(1));
    expect(harness.published[0]).toMatchObject({
      type: 'club.created',
      version: 1,
      tenantId: club!.id,
      data: { clubId: club!.id, slug: 'reform', status: 'ACTIVE' },
    });
  });

  it('refuses a taken slug naming the field, and publishes nothing for it', async () => {
    await harness.clubRegistry.createClub(reform);
    const refused = await harness.clubRegistry
      .createClub({ ...reform, name: 'Impostor' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ClubError);
    expect(refused).toMatchObject({ code: 'club.slug_taken', details: { field: 'slug' } });

    await eventually(() => expect(harness.published).toHaveLength(1));
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query<{ n: number }>('SELECT count(*)::int AS n FROM member.outbox'),
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('refuses bad input with BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const refused = await harness.clubRegistry
      .createClub({ ...reform, slug: 'Not A Slug' })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'request.invalid_input', details: { field: 'slug' } });
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query<{ n: number }>(
        'SELECT (SELECT count(*) FROM member.clubs)::int + (SELECT count(*) FROM member.outbox)::int AS n',
      ),
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('answers NOT_FOUND for an unknown id and BAD_USER_INPUT for a malformed one', async () => {
    await expect(
      harness.clubRegistry.getClub({ id: '0190b7a6-0000-7000-8000-000000000000' }),
    ).rejects.toMatchObject({
      code: 'entity.not_found',
    });
    await expect(harness.clubRegistry.getClub({ id: 'nope' })).rejects.toMatchObject({
      code: 'request.invalid_input',
      details: { field: 'id' },
    });
  });

  it('returns many clubs in one batch call, skipping unknown and malformed ids', async () => {
    const a = (await harness.clubRegistry.createClub(reform)).club!;
    const b = (await harness.clubRegistry.createClub({ ...reform, slug: 'athenaeum', name: 'Athenaeum' }))
      .club!;
    const { clubs } = await harness.clubRegistry.batchGetClubs({
      ids: [a.id, b.id, '0190b7a6-0000-7000-8000-000000000000', 'junk'],
    });
    expect(clubs.map((club) => club.slug).sort()).toEqual(['athenaeum', 'reform']);
  });
});

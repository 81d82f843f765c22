import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeHanko } from './fake-hanko.ts';
import { type AuthHarness, meta, registerUser, setupAuthService, tokenFromOutbox } from './setup.ts';

describe('Hanko tokens', () => {
  let hanko: Awaited<ReturnType<typeof startFakeHanko>>;
  let harness: AuthHarness;
  beforeAll(async () => {
    hanko = await startFakeHanko();
  });
  afterAll(async () => {
    await hanko.close();
  });
  beforeEach(async () => {
    harness = await setupAuthService({ settings: { hankoApiUrl: hanko.apiUrl } });
  });
  afterEach(async () => {
    await harness.close();
  });

  /** A registered member whose email we have verified ourselves (the mailed link). */
  async function verifiedMember() {
    const member = await registerUser(harness);
    await harness.auth.verifyEmail({
      meta: meta(),
      token: await tokenFromOutbox(harness, member.email, 'auth.verify-email'),
    });
    return member;
  }

  async function hankoSubjectOf(userId: string): Promise<string | null> {
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query<{ subject: string | null }>('SELECT hanko_subject AS subject FROM auth.users WHERE id = $1', [
        userId,
      ]),
    );
    return rows[0]?.subject ?? null;
  }

  it('links a token to the existing account with its verified email, then finds it by subject', async () => {
    const member = await verifiedMember();
    const subject = randomUUID();
    const { user } = await harness.auth.syncHankoUser({
      meta: meta(),
      hankoToken: await hanko.issue({ subject, email: member.email.toUpperCase() }),
    });
    expect(user).toMatchObject({ id: member.userId, email: member.email, clubId: harness.club.id });
    expect(await hankoSubjectOf(member.userId)).toBe(subject);
    expect(await harness.count('audit_log', `event = 'hanko.linked' AND user_id = '${member.userId}'`)).toBe(
      1,
    );

    // Later tokens find the account by subject, even after the address changed at Hanko.
    const again = await harness.auth.syncHankoUser({
      meta: meta(),
      hankoToken: await hanko.issue({ subject, email: 'renamed@example.net' }),
    });
    expect(again.user?.id).toBe(member.userId);
    expect(await harness.count('audit_log', `event = 'hanko.linked'`)).toBe(1);
  });

  it('refuses an unknown subject and email with a typed BAD_USER_INPUT error, creating nothing', async () => {
    await verifiedMember();
    const usersBefore = await harness.count('users');
    const refused = await harness.auth
      .syncHankoUser({
        meta: meta(),
        hankoToken: await hanko.issue({ subject: randomUUID(), email: 'stranger@example.org' }),
      })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({
      code: 'auth.hanko_user_unknown',
      graphqlCode: 'BAD_USER_INPUT',
      details: { field: 'hankoToken' },
    });
    expect(await harness.count('users')).toBe(usersBefore);
    expect(await harness.count('users', 'hanko_subject IS NOT NULL')).toBe(0);
  });

  it('does not link by an email that either side has not verified', async () => {
    const unverified = await registerUser(harness);
    await expect(
      harness.auth.syncHankoUser({
        meta: meta(),
        hankoToken: await hanko.issue({ subject: randomUUID(), email: unverified.email }),
      }),
    ).rejects.toMatchObject({ code: 'auth.hanko_user_unknown' });

    const member = await verifiedMember();
    await expect(
      harness.auth.syncHankoUser({
        meta: meta(),
        hankoToken: await hanko.issue({ subject: randomUUID(), email: member.email, isVerified: false }),
      }),
    ).rejects.toMatchObject({ code: 'auth.hanko_user_unknown' });
    expect(await harness.count('users', 'hanko_subject IS NOT NULL')).toBe(0);
  });

  it('refuses a second Hanko identity for an account already linked', async () => {
    const member = await verifiedMember();
    await harness.auth.syncHankoUser({
      meta: meta(),
      hankoToken: await hanko.issue({ subject: 'first', email: member.email }),
    });
    await expect(
      harness.auth.syncHankoUser({
        meta: meta(),
        hankoToken: await hanko.issue({ subject: 'second', email: member.email }),
      }),
    ).rejects.toMatchObject({ code: 'entity.conflict' });
    expect(await hankoSubjectOf(member.userId)).toBe('first');
  });

  it('refuses a token signed by a key Hanko never published as UNAUTHENTICATED', async () => {
    const member = await verifiedMember();
    for (const hankoToken of [
      await hanko.forge({ subject: randomUUID(), email: member.email }),
      await hanko.forge({ subject: randomUUID(), email: member.email }, 'unknown-kid'),
    ]) {
      const refused = await harness.auth
        .syncHankoUser({ meta: meta(), hankoToken })
        .catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'request.unauthenticated', graphqlCode: 'UNAUTHENTICATED' });
    }
    expect(await hankoSubjectOf(member.userId)).toBeNull();
  });
});

describe('Hanko tokens when no Hanko is configured', () => {
  it('refuses every token as UNAUTHENTICATED', async () => {
    const harness = await setupAuthService();
    try {
      await expect(
        harness.auth.syncHankoUser({ meta: meta(), hankoToken: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln' }),
      ).rejects.toMatchObject({ code: 'request.unauthenticated' });
    } finally {
      await harness.close();
    }
  });
});

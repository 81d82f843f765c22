import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@clubland/bus';
import { UserStatus } from '@clubland/contract/auth/v1';
import { memberCreated, memberErased } from '@clubland/contract/events/member';
import { isClubError } from '@clubland/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, meta, registerUser, setupAuthService } from './setup.ts';

/**
 * The auth service's side of erasure (member.erased, app/member-erasure.ts), event by event: the
 * policy (domain/account-closure.ts) decides between closing the account and dropping the erased
 * club's tie, whatever order, however often and whether or not the event names the account.
 */
describe('member.erased and the account', () => {
  let harness: AuthHarness;
  let elsewhere: string;

  beforeAll(async () => {
    harness = await setupAuthService();
    elsewhere = (await harness.createClub(`erasure-elsewhere-${randomUUID().slice(0, 6)}`)).id;
  });
  afterAll(async () => {
    await harness.close();
  });

  function created(memberId: string, userId: string, clubId: string): EventEnvelope {
    return memberCreated.build(
      {
        tenantId: clubId,
        correlationId: null,
        data: {
          memberId,
          clubId,
          memberNumber: `N-${memberId.slice(0, 6)}`,
          membershipType: 'REGULAR',
          status: 'ACTIVE',
          userId,
        },
      },
      { clock: () => new Date() },
    );
  }

  function erased(memberId: string, clubId: string, userId: string | undefined): EventEnvelope {
    return memberErased.build(
      {
        tenantId: clubId,
        correlationId: null,
        data: {
          memberId,
          clubId,
          ...(userId === undefined ? {} : { userId }),
          ledgerIdentity: `did:clubland:member:${memberId}`,
        },
      },
      { clock: () => new Date() },
    );
  }

  async function publish(...events: EventEnvelope[]) {
    await harness.member.bus.publish(events);
  }

  async function processed(event: EventEnvelope): Promise<boolean> {
    return (await harness.count('processed_events', `event_id = '${event.id}'`)) > 0;
  }

  async function closedAt(userId: string): Promise<Date | null> {
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query<{ closedAt: Date | null }>('SELECT closed_at AS "closedAt" FROM auth.users WHERE id = $1', [
        userId,
      ]),
    );
    return rows[0]!.closedAt;
  }

  async function held(userId: string): Promise<string[]> {
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query<{ grant: string }>(
        `SELECT role || '@' || coalesce(club_id::text, 'network') AS "grant" FROM auth.role_grants
          WHERE user_id = $1 AND revoked_at IS NULL ORDER BY 1`,
        [userId],
      ),
    );
    return rows.map((row) => row.grant);
  }

  it('closes the account from its record’s earlier event when member.erased does not name it', async () => {
    const user = await registerUser(harness);
    const memberId = randomUUID();
    await publish(created(memberId, user.userId, harness.club.id));
    await expect.poll(() => harness.count('club_memberships', `member_id = '${memberId}'`)).toBe(1);
    await publish(erased(memberId, harness.club.id, undefined));
    await expect.poll(() => closedAt(user.userId)).not.toBeNull();
    await expect(
      harness.auth.login({ meta: meta(), email: user.email, password: user.password }),
    ).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
  });

  it('keeps an account with a record at another club, and closes it when that one is erased too', async () => {
    const user = await registerUser(harness);
    const [here, there] = [randomUUID(), randomUUID()];
    await publish(created(here, user.userId, harness.club.id), created(there, user.userId, elsewhere));
    await expect.poll(() => harness.count('club_memberships', `user_id = '${user.userId}'`)).toBe(2);

    const first = erased(here, harness.club.id, user.userId);
    await publish(first);
    await expect.poll(() => processed(first)).toBe(true);
    expect(await closedAt(user.userId)).toBeNull();
    expect(await held(user.userId)).toEqual([]);
    await expect(
      harness.auth.login({ meta: meta(), email: user.email, password: user.password }),
    ).resolves.toMatchObject({ user: { id: user.userId } });

    await publish(erased(there, elsewhere, user.userId));
    await expect.poll(() => closedAt(user.userId)).not.toBeNull();
  });

  it('keeps an account that holds an appointment, dropping only the erased club’s MEMBER role', async () => {
    const user = await registerUser(harness);
    await harness.seedRole(user.userId, 'STAFF', elsewhere);
    const memberId = randomUUID();
    const event = erased(memberId, harness.club.id, user.userId);
    await publish(event);
    await expect.poll(() => processed(event)).toBe(true);
    expect(await closedAt(user.userId)).toBeNull();
    expect(await held(user.userId)).toEqual([`STAFF@${elsewhere}`]);
    // A late event about the erased record does not bring its standing back.
    await publish(created(memberId, user.userId, harness.club.id));
    await expect
      .poll(() => harness.count('club_memberships', `member_id = '${memberId}' AND status = 'ACTIVE'`))
      .toBe(0);
    expect(
      await harness.count('club_memberships', `member_id = '${memberId}' AND erased_at IS NOT NULL`),
    ).toBe(1);
  });

  it('erasing both of an account’s records, delivered together, closes it once both are applied', async () => {
    const user = await registerUser(harness);
    const [here, there] = [randomUUID(), randomUUID()];
    await publish(created(here, user.userId, harness.club.id), created(there, user.userId, elsewhere));
    await expect.poll(() => harness.count('club_memberships', `user_id = '${user.userId}'`)).toBe(2);
    await publish(erased(here, harness.club.id, user.userId), erased(there, elsewhere, user.userId));
    await expect.poll(() => closedAt(user.userId)).not.toBeNull();
    expect(await harness.count('audit_log', `user_id = '${user.userId}' AND event = 'member.erased'`)).toBe(
      2,
    );
  });

  it('a closed account never changes again: renaming, reactivating or granting it is CONFLICT, and it describes as unknown', async () => {
    const user = await registerUser(harness);
    const admin = await registerUser(harness);
    await harness.seedRole(admin.userId, 'NETWORK_ADMIN', null);
    const adminToken = (
      await harness.auth.login({ meta: meta(), email: admin.email, password: admin.password })
    ).accessToken;
    const event = erased(randomUUID(), harness.club.id, user.userId);
    await publish(event);
    await expect.poll(() => closedAt(user.userId)).not.toBeNull();
    for (const attempt of [
      () =>
        harness.auth.updateUser({ meta: meta(adminToken), userId: user.userId, status: UserStatus.ACTIVE }),
      () => harness.auth.updateUser({ meta: meta(adminToken), userId: user.userId, firstName: 'Back' }),
      () =>
        harness.auth.grantRole({
          meta: meta(adminToken),
          userId: user.userId,
          role: 'MEMBER',
          clubId: harness.club.id,
        }),
    ]) {
      const refused = await attempt().catch((error: unknown) => error);
      expect(isClubError(refused) && refused.code).toBe('entity.conflict');
    }
    // To the member service it is no account: no club links a record to it again.
    const described = await harness.auth.describeAccount({ userId: user.userId, clubId: harness.club.id });
    expect(described.found).toBe(false);
    // Delivered again, nothing more happens.
    await publish(event, { ...event, id: randomUUID() });
    await expect
      .poll(() => harness.count('processed_events', `consumer = 'auth-member-erasure'`))
      .toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await harness.count('audit_log', `user_id = '${user.userId}' AND event = 'member.erased'`)).toBe(
      1,
    );
  });
});

import { randomUUID } from 'node:crypto';
import { authzVersionKey } from '@clubland/authz';
import type { EventEnvelope } from '@clubland/bus';
import { memberCreated, memberStatusChanged } from '@clubland/contract/events/member';
import { isClubError } from '@clubland/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthHarness, meta, registerUser, setupAuthService, tokenFromOutbox } from './setup.ts';

type Status = 'PENDING' | 'ACTIVE' | 'SUSPENDED' | 'EXPIRED' | 'INACTIVE';

/**
 * The auth service follows the member service's records of accounts: a MEMBER grant is in force
 * once the club activated the account's record there (and its email is verified), and withheld
 * while that record is suspended, expired or ended; each change of what is in force is counted once (the account's authorisation version) and announced, however the bus
 * delivers the events: twice, late, or without the account's id.
 */
describe("a member record's standing and the account's MEMBER grant", () => {
  let harness: AuthHarness;

  beforeAll(async () => {
    harness = await setupAuthService();
  });
  afterAll(async () => {
    await harness.close();
  });

  function created(memberId: string, userId: string | null, at: Date): EventEnvelope {
    return memberCreated.build(
      {
        tenantId: harness.club.id,
        correlationId: null,
        data: {
          memberId,
          clubId: harness.club.id,
          memberNumber: `N-${memberId.slice(0, 6)}`,
          membershipType: 'REGULAR',
          status: 'PENDING',
          userId,
        },
      },
      { clock: () => at },
    );
  }

  function changed(
    memberId: string,
    userId: string | null | undefined,
    from: Status,
    to: Status,
    at: Date,
  ): EventEnvelope {
    return memberStatusChanged.build(
      {
        tenantId: harness.club.id,
        correlationId: null,
        data: {
          memberId,
          clubId: harness.club.id,
          ...(userId === undefined ? {} : { userId }),
          from,
          to,
          reason: 'test',
          changedBy: randomUUID(),
          changedAt: at.toISOString(),
        },
      },
      { clock: () => at },
    );
  }

  async function version(userId: string): Promise<number> {
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query<{ v: number }>('SELECT authz_version AS v FROM auth.users WHERE id = $1', [userId]),
    );
    return rows[0]!.v;
  }

  async function grants(userId: string) {
    const { user } = await harness.auth.getUser({ meta: meta(await freshToken(userId)), userId: '' });
    return { roles: user!.roles.map((grant) => grant.role), permissions: user!.permissions };
  }

  /** The account's tokens are minted by login; the test's accounts share one password. */
  const logins = new Map<string, { email: string; password: string }>();
  async function freshToken(userId: string): Promise<string> {
    const login = logins.get(userId)!;
    const response = await harness.auth.login({ meta: meta(), email: login.email, password: login.password });
    return response.accessToken;
  }

  /** A registered account; `isVerified` (the default): its email verified, as a MEMBER grant needs. */
  async function account({ isVerified = true } = {}) {
    const registered = await registerUser(harness);
    logins.set(registered.userId, { email: registered.email, password: registered.password });
    if (isVerified) await verify(registered.email);
    return registered;
  }

  async function verify(email: string) {
    const token = await tokenFromOutbox(harness, email, 'auth.verify-email');
    await harness.auth.verifyEmail({ meta: meta(), token });
  }

  async function publish(...events: EventEnvelope[]) {
    await harness.member.bus.publish(events);
  }

  async function processed(eventId: string): Promise<boolean> {
    return (await harness.count('processed_events', `event_id = '${eventId}'`)) === 1;
  }

  it('puts MEMBER in force when the record is activated, withholds it while suspended, counts each change once, and refuses older tokens', async () => {
    const user = await account();
    const memberId = randomUUID();
    const t0 = new Date('2031-03-01T10:00:00Z');
    const record = created(memberId, user.userId, t0);
    await publish(record);
    await expect.poll(() => processed(record.id)).toBe(true);
    // A PENDING record is an application, not the club's acceptance: nothing in force, nothing counted.
    expect(await version(user.userId)).toBe(0);
    expect(await grants(user.userId)).toEqual({ roles: [], permissions: [] });

    const activated = changed(memberId, user.userId, 'PENDING', 'ACTIVE', new Date(t0.getTime() + 1_000));
    await publish(activated, activated);
    await expect.poll(() => version(user.userId)).toBe(1);
    expect((await grants(user.userId)).roles).toEqual(['MEMBER']);

    const suspension = changed(memberId, user.userId, 'ACTIVE', 'SUSPENDED', new Date(t0.getTime() + 2_000));
    await publish(suspension, suspension);
    await expect.poll(() => version(user.userId)).toBe(2);
    // Delivered twice, counted once.
    await publish(suspension);
    expect(await version(user.userId)).toBe(2);
    expect(await harness.cache.get(authzVersionKey(user.userId))).toBe('2');

    const refused = await harness.auth.getUser({ meta: meta(user.accessToken), userId: '' }).catch((e) => e);
    expect(isClubError(refused) && refused.code).toBe('auth.token_outdated');
    expect(await grants(user.userId)).toEqual({ roles: [], permissions: [] });

    const reinstated = changed(memberId, user.userId, 'SUSPENDED', 'ACTIVE', new Date(t0.getTime() + 3_000));
    await publish(reinstated);
    await expect.poll(() => version(user.userId)).toBe(3);
    expect((await grants(user.userId)).roles).toEqual(['MEMBER']);
  });

  it('an active record of an unverified account puts nothing in force until the email is verified, then counts once', async () => {
    const user = await account({ isVerified: false });
    const memberId = randomUUID();
    const t0 = new Date('2031-03-05T10:00:00Z');
    const activated = changed(memberId, user.userId, 'PENDING', 'ACTIVE', t0);
    await publish(activated);
    await expect.poll(() => processed(activated.id)).toBe(true);
    expect(await version(user.userId)).toBe(0);
    expect(await grants(user.userId)).toEqual({ roles: [], permissions: [] });

    await verify(user.email);
    expect(await version(user.userId)).toBe(1);
    expect(await harness.cache.get(authzVersionKey(user.userId))).toBe('1');
    expect((await grants(user.userId)).roles).toEqual(['MEMBER']);
  });

  it('an older event arriving after a newer one changes nothing', async () => {
    const user = await account();
    const memberId = randomUUID();
    const t0 = new Date('2031-03-02T10:00:00Z');
    await publish(changed(memberId, user.userId, 'PENDING', 'ACTIVE', new Date(t0.getTime() + 5_000)));
    await expect.poll(() => version(user.userId)).toBe(1);
    const late = changed(memberId, user.userId, 'ACTIVE', 'SUSPENDED', t0);
    await publish(late);
    await expect.poll(() => processed(late.id)).toBe(true);
    expect(await version(user.userId)).toBe(1);
    expect((await grants(user.userId)).roles).toEqual(['MEMBER']);
  });

  it("reads the record's account from member.created when a status change does not name it", async () => {
    const user = await account();
    const memberId = randomUUID();
    const t0 = new Date('2031-03-03T10:00:00Z');
    await publish(created(memberId, user.userId, t0));
    await publish(changed(memberId, undefined, 'PENDING', 'ACTIVE', new Date(t0.getTime() + 1_000)));
    await expect.poll(() => version(user.userId)).toBe(1);
    expect((await grants(user.userId)).roles).toEqual(['MEMBER']);
  });

  it('ignores records of no account, or of an account it does not know, without failing the event', async () => {
    const strangersRecord = randomUUID();
    const orphan = changed(randomUUID(), null, 'ACTIVE', 'SUSPENDED', new Date('2031-03-04T10:00:00Z'));
    const stranger = changed(
      strangersRecord,
      randomUUID(),
      'ACTIVE',
      'SUSPENDED',
      new Date('2031-03-04T10:00:00Z'),
    );
    await publish(orphan, stranger);
    await expect.poll(() => processed(stranger.id)).toBe(true);
    expect(await processed(orphan.id)).toBe(true);
    expect(await harness.count('club_memberships', `member_id = '${strangersRecord}'`)).toBe(0);
  });
});

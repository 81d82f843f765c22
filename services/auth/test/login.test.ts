import { ClubError } from '@clubland/errors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuthHarness, meta, registerUser, setupAuthService } from './setup.ts';

describe('login', () => {
  let harness: AuthHarness;
  beforeEach(async () => {
    harness = await setupAuthService();
  });
  afterEach(async () => {
    await harness.close();
  });

  it('answers an unknown email and a wrong password with the same error, and audits both', async () => {
    const { email, userId } = await registerUser(harness);
    const unknown = await harness.auth
      .login({ meta: meta(), email: 'nobody@example.com', password: 'Whatever-Password-1' })
      .catch((error: unknown) => error);
    const wrong = await harness.auth
      .login({ meta: meta(), email, password: 'Wrong-Password-123' })
      .catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(ClubError);
    expect(wrong).toBeInstanceOf(ClubError);
    const shape = (error: unknown) => ({
      code: (error as ClubError).code,
      message: (error as ClubError).message,
      details: (error as ClubError).details,
    });
    expect(shape(unknown)).toEqual(shape(wrong));
    expect(shape(wrong)).toMatchObject({ code: 'auth.invalid_credentials' });

    const { rows } = await harness.db.asOwner((tx) =>
      tx.query<{ userId: string | null; ip: string; userAgent: string; details: { reason: string } }>(
        `SELECT user_id AS "userId", ip, user_agent AS "userAgent", details
           FROM auth.audit_log WHERE event = 'login.failed' ORDER BY id`,
      ),
    );
    expect(rows).toEqual([
      {
        userId: null,
        ip: '203.0.113.7',
        userAgent: 'vitest/5 (auth tests)',
        details: expect.objectContaining({ reason: 'unknown_account' }),
      },
      {
        userId,
        ip: '203.0.113.7',
        userAgent: 'vitest/5 (auth tests)',
        details: expect.objectContaining({ reason: 'wrong_password' }),
      },
    ]);
  });

  it('refuses a suspended account even with the right password', async () => {
    const { email, password, userId } = await registerUser(harness);
    await harness.db.asOwner((tx) =>
      tx.query(`UPDATE auth.users SET status = 'SUSPENDED' WHERE id = $1`, [userId]),
    );
    await expect(harness.auth.login({ meta: meta(), email, password })).rejects.toMatchObject({
      code: 'auth.account_disabled',
    });
    expect(
      await harness.count('audit_log', `event = 'login.failed' AND details->>'reason' = 'account_disabled'`),
    ).toBe(1);
  });

  it('spends about as long on an unknown email as on a wrong password (a dummy hash is verified)', async () => {
    // Five accounts, one wrong attempt each, from different IPs: the limits never answer first.
    const accounts: Awaited<ReturnType<typeof registerUser>>[] = [];
    for (let i = 0; i < 5; i += 1) accounts.push(await registerUser(harness));
    // Judged by the CPU the process spends (argon2 runs on libuv's threads, inside it), one attempt of
    // each kind in turn: on a loaded machine wall-clock time measures the neighbours, not the hashing.
    const unknownTimes: number[] = [];
    const wrongTimes: number[] = [];
    const cpuOf = async (attempt: () => Promise<unknown>) => {
      const started = process.cpuUsage();
      await attempt().catch(() => undefined);
      const used = process.cpuUsage(started);
      return used.user + used.system;
    };
    for (let i = 0; i < 5; i += 1) {
      unknownTimes.push(
        await cpuOf(() =>
          harness.auth.login({
            meta: meta('', `10.1.0.${i}`),
            email: `ghost${i}@example.com`,
            password: 'Wrong-Password-123',
          }),
        ),
      );
      wrongTimes.push(
        await cpuOf(() =>
          harness.auth.login({
            meta: meta('', `10.2.0.${i}`),
            email: accounts[i]!.email,
            password: 'Wrong-Password-123',
          }),
        ),
      );
    }
    const median = (times: number[]) => times.sort((a, b) => a - b)[2]!;
    const unknown = median(unknownTimes);
    const wrong = median(wrongTimes);
    expect(unknown / wrong).toBeGreaterThan(0.5);
    expect(unknown / wrong).toBeLessThan(2);
  });

  it('refuses an oversized password before hashing it', async () => {
    await expect(
      harness.auth.login({ meta: meta(), email: 'a@example.com', password: 'x'.repeat(10_000) }),
    ).rejects.toMatchObject({ code: 'request.invalid_input', details: { field: 'password' } });
  });
});

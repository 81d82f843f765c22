import { setTimeout as sleep } from 'node:timers/promises';
import type { ClubError } from '@clubland/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { type AuthHarness, meta, registerUser, setupAuthService } from './setup.ts';

/**
 * Issue 27, item 4: strangers cannot lock an owner out. Password failures are throttled per
 * account and source with growing delays, the account's known devices are held back only by their
 * own failures, and an address many people share is held back by failures, never by successes.
 * Default throttles unless a test says otherwise (rate-limits.ts).
 */
describe('sign-in throttling', () => {
  let harness: AuthHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });
  // Each test starts its own service (some with their own throttles): time for that on a busy machine.
  const SLOW = 120_000;

  const WRONG = 'Wrong-Password-123';

  /** The error code of a login, or 'signed_in'; with the retry-after of a refusal. */
  async function tryLogin(email: string, password: string, ip: string, deviceToken = '') {
    try {
      const response = await harness!.auth.login({ meta: { ...meta('', ip), deviceToken }, email, password });
      return { outcome: 'signed_in' as const, deviceToken: response.deviceToken };
    } catch (error) {
      const { code, details } = error as ClubError;
      return { outcome: code, retryAfter: details?.retryAfterSeconds };
    }
  }

  /** Signs the owner in once from their phone, which keeps the device token it is handed. */
  async function ownerWithPhone() {
    const owner = await registerUser(harness!);
    const first = await tryLogin(owner.email, owner.password, '198.51.100.20');
    expect(first.outcome).toBe('signed_in');
    expect(first.deviceToken).toMatch(/^[\w-]{43}$/);
    return { ...owner, phone: first.deviceToken! };
  }

  it(
    "a stranger's failures from one address stop neither the owner elsewhere nor the owner's known device there",
    async () => {
      harness = await setupAuthService();
      const owner = await ownerWithPhone();
      const stranger = '203.0.113.66';
      const outcomes: string[] = [];
      for (let i = 0; i < 12; i += 1) outcomes.push((await tryLogin(owner.email, WRONG, stranger)).outcome);
      // Five free, the sixth holds the stranger's address back; nothing got near the password.
      expect(outcomes.slice(0, 6)).toEqual(Array(6).fill('auth.invalid_credentials'));
      expect(outcomes.slice(6)).toEqual(Array(6).fill('request.rate_limited'));

      // The owner at home, with the right password and no device token: in.
      expect((await tryLogin(owner.email, owner.password, '198.51.100.99')).outcome).toBe('signed_in');
      // The owner's phone in the stranger's café (the same address): in, and it keeps its token.
      const phone = await tryLogin(owner.email, owner.password, stranger, owner.phone);
      expect(phone).toEqual({ outcome: 'signed_in', deviceToken: owner.phone });
      // The owner's success there did not excuse the stranger.
      expect((await tryLogin(owner.email, WRONG, stranger)).outcome).toBe('request.rate_limited');
    },
    SLOW,
  );

  it(
    'repeated failures from one account and address wait longer each time; the right password then clears them',
    async () => {
      harness = await setupAuthService();
      const owner = await registerUser(harness!);
      const ip = '203.0.113.70';
      for (let i = 0; i < 6; i += 1) {
        expect((await tryLogin(owner.email, WRONG, ip)).outcome).toBe('auth.invalid_credentials');
      }
      expect(await tryLogin(owner.email, WRONG, ip)).toEqual({
        outcome: 'request.rate_limited',
        retryAfter: 1,
      });
      await sleep(1_050);
      expect((await tryLogin(owner.email, WRONG, ip)).outcome).toBe('auth.invalid_credentials');
      expect(await tryLogin(owner.email, WRONG, ip)).toEqual({
        outcome: 'request.rate_limited',
        retryAfter: 2,
      });
      await sleep(2_050);
      expect((await tryLogin(owner.email, WRONG, ip)).outcome).toBe('auth.invalid_credentials');
      // Held back: even the right password waits (whoever types at this address).
      expect(await tryLogin(owner.email, owner.password, ip)).toEqual({
        outcome: 'request.rate_limited',
        retryAfter: 4,
      });
      await sleep(4_050);
      expect((await tryLogin(owner.email, owner.password, ip)).outcome).toBe('signed_in');
      // The right password cleared the address's failures: typos are free again.
      for (let i = 0; i < 3; i += 1) {
        expect((await tryLogin(owner.email, WRONG, ip)).outcome).toBe('auth.invalid_credentials');
      }
    },
    SLOW,
  );

  it(
    'admits concurrent guesses one by one: of 30 sent at once, only the free ones and one more are tried',
    async () => {
      harness = await setupAuthService();
      const owner = await registerUser(harness!);
      const outcomes = await Promise.all(
        Array.from({ length: 30 }, () => tryLogin(owner.email, WRONG, '203.0.113.71')),
      );
      const count = (code: string) => outcomes.filter((o) => o.outcome === code).length;
      expect(count('auth.invalid_credentials')).toBe(6);
      expect(count('request.rate_limited')).toBe(24);
    },
    SLOW,
  );

  it(
    "a known device keeps its owner in while strangers everywhere hold the account back; another account's device does not",
    async () => {
      // The per-account hold made long, so that it is still on when the owner comes.
      harness = await setupAuthService({
        signInThrottles: {
          perAccount: { free: 20, baseDelayMs: 60_000, maxDelayMs: 60_000, windowSeconds: 86_400 },
        },
      });
      const owner = await ownerWithPhone();
      const attacker = await ownerWithPhone();
      // A botnet: one guess from each of 25 addresses.
      const outcomes: string[] = [];
      for (let i = 0; i < 25; i += 1)
        outcomes.push((await tryLogin(owner.email, WRONG, `10.9.0.${i}`)).outcome);
      expect(outcomes.slice(0, 21)).toEqual(Array(21).fill('auth.invalid_credentials'));
      expect(outcomes.slice(21)).toEqual(Array(4).fill('request.rate_limited'));

      // From a new address without a device token, even the owner waits (OWASP's trade-off)...
      const elsewhere = await tryLogin(owner.email, owner.password, '192.0.2.50');
      expect(elsewhere.outcome).toBe('request.rate_limited');
      expect(elsewhere.retryAfter).toBeGreaterThan(50);
      // ...but the owner's phone, from anywhere, is in.
      expect((await tryLogin(owner.email, owner.password, '192.0.2.51', owner.phone)).outcome).toBe(
        'signed_in',
      );
      // The attacker's own device token is not a device of the owner's account: held back like a stranger.
      expect((await tryLogin(owner.email, WRONG, '192.0.2.52', attacker.phone)).outcome).toBe(
        'request.rate_limited',
      );
      // A known device guessing is throttled on its own, like any single source.
      const guesses: string[] = [];
      for (let i = 0; i < 8; i += 1)
        guesses.push((await tryLogin(owner.email, WRONG, '192.0.2.53', owner.phone)).outcome);
      expect(guesses).toEqual([
        ...Array(6).fill('auth.invalid_credentials'),
        ...Array(2).fill('request.rate_limited'),
      ]);
    },
    SLOW,
  );

  it(
    'an office behind one address signs in 110 times unhindered; its failures are still limited, known devices aside',
    async () => {
      harness = await setupAuthService();
      const office = '198.51.100.200';
      const staff = [];
      for (let i = 0; i < 11; i += 1) staff.push(await registerUser(harness!, { ip: `10.1.1.${i}` }));
      let signedIn = 0;
      let lastDevice = '';
      for (let round = 0; round < 10; round += 1) {
        for (const person of staff) {
          const result = await tryLogin(person.email, person.password, office);
          expect(result.outcome).toBe('signed_in');
          signedIn += 1;
          if (person === staff[0]) lastDevice = result.deviceToken!;
        }
      }
      expect(signedIn).toBe(110);

      // Someone in the office sprays passwords over many accounts: 100 failures are free, then it waits.
      const spray: string[] = [];
      for (let i = 0; i < 102; i += 1) {
        spray.push((await tryLogin(`nobody-${i}@example.com`, WRONG, office)).outcome);
      }
      expect(spray.slice(0, 101)).toEqual(Array(101).fill('auth.invalid_credentials'));
      expect(spray[101]).toBe('request.rate_limited');
      expect((await tryLogin(staff[1]!.email, staff[1]!.password, office)).outcome).toBe(
        'request.rate_limited',
      );
      // A colleague whose device signed in before is not held back by the others' failures.
      expect((await tryLogin(staff[0]!.email, staff[0]!.password, office, lastDevice)).outcome).toBe(
        'signed_in',
      );
    },
    3 * SLOW,
  );
});

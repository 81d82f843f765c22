import { setTimeout as sleep } from 'node:timers/promises';
import type { ClubError } from '@clubland/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSignInThrottles, type SignInThrottleSettings } from '../src/app/rate-limits.ts';
import { type AuthHarness, meta, registerUser, setupAuthService } from './setup.ts';

/**
 * Issue 27, item 4: strangers cannot lock an owner out. Password failures are throttled per
 * account and source with growing delays, the account's known devices are held back only by their
 * own failures, and an address many people share is held back by failures, never by successes.
 * The default throttles (rate-limits.ts), with holds a busy machine cannot outlast between two
 * calls: a hold of 1 s can run out while one slow login is being answered.
 */
describe('sign-in throttling', () => {
  let harness: AuthHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });
  // Each test starts its own service (with its own throttles): time for that on a busy machine.
  const SLOW = 120_000;
  const WRONG = 'Wrong-Password-123';

  /** The default free failures and windows, every hold starting at `baseDelayMs`. */
  function throttlesFrom(baseDelayMs: number): SignInThrottleSettings {
    const slower = (policy: SignInThrottleSettings['perSource']) => ({ ...policy, baseDelayMs });
    return {
      perSource: slower(defaultSignInThrottles.perSource),
      perAccount: slower(defaultSignInThrottles.perAccount),
      perAddress: slower(defaultSignInThrottles.perAddress),
      passkeyPerAddress: slower(defaultSignInThrottles.passkeyPerAddress),
    };
  }
  const steady = throttlesFrom(60_000);

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

  const repeat = <T>(times: number, value: T): T[] => Array.from({ length: times }, () => value);

  it(
    "a stranger's failures at one address stop neither the owner elsewhere nor the owner's known device there",
    async () => {
      harness = await setupAuthService({ signInThrottles: steady });
      const owner = await ownerWithPhone();
      const stranger = '203.0.113.66';
      const outcomes: string[] = [];
      for (let i = 0; i < 12; i += 1) outcomes.push((await tryLogin(owner.email, WRONG, stranger)).outcome);
      // Five free, the sixth holds the stranger's address back for this account.
      expect(outcomes).toEqual([
        ...repeat(6, 'auth.invalid_credentials'),
        ...repeat(6, 'request.rate_limited'),
      ]);

      // The owner at home, with the right password and no device token: in.
      expect((await tryLogin(owner.email, owner.password, '198.51.100.99')).outcome).toBe('signed_in');
      // The owner's phone in the stranger's café (the same address): in, and it keeps its token.
      const phone = await tryLogin(owner.email, owner.password, stranger, owner.phone);
      expect(phone).toEqual({ outcome: 'signed_in', deviceToken: owner.phone });
      // The owner's successes did not excuse the stranger.
      expect((await tryLogin(owner.email, WRONG, stranger)).outcome).toBe('request.rate_limited');
    },
    SLOW,
  );

  it(
    "the right password clears a source's failures; repeated failures from it wait longer each time",
    async () => {
      harness = await setupAuthService({ signInThrottles: throttlesFrom(3_000) });
      const owner = await registerUser(harness);
      const attempt = (password: string) => tryLogin(owner.email, password, '203.0.113.70');
      for (let i = 0; i < 5; i += 1) expect((await attempt(WRONG)).outcome).toBe('auth.invalid_credentials');
      expect((await attempt(owner.password)).outcome).toBe('signed_in');
      // Cleared: five typos are free again, and a sixth failure is still tried.
      for (let i = 0; i < 6; i += 1) expect((await attempt(WRONG)).outcome).toBe('auth.invalid_credentials');
      expect(await attempt(WRONG)).toEqual({ outcome: 'request.rate_limited', retryAfter: 3 });
      await sleep(3_050);
      expect((await attempt(WRONG)).outcome).toBe('auth.invalid_credentials');
      expect(await attempt(WRONG)).toEqual({ outcome: 'request.rate_limited', retryAfter: 6 });
      await sleep(6_050);
      expect((await attempt(WRONG)).outcome).toBe('auth.invalid_credentials');
      // Held back: even the right password waits (whoever types at this address).
      expect(await attempt(owner.password)).toEqual({ outcome: 'request.rate_limited', retryAfter: 12 });
    },
    SLOW,
  );

  it(
    'admits concurrent guesses one by one: of 30 sent at once, only the free ones and one more are tried',
    async () => {
      harness = await setupAuthService({ signInThrottles: steady });
      const owner = await registerUser(harness);
      const outcomes = await Promise.all(
        repeat(30, 0).map(() => tryLogin(owner.email, WRONG, '203.0.113.71')),
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
      harness = await setupAuthService({ signInThrottles: steady });
      const owner = await ownerWithPhone();
      const attacker = await ownerWithPhone();
      // A botnet: one guess from each of 25 addresses. 20 free, the 21st holds the account back.
      const outcomes: string[] = [];
      for (let i = 0; i < 25; i += 1)
        outcomes.push((await tryLogin(owner.email, WRONG, `10.9.0.${i}`)).outcome);
      expect(outcomes).toEqual([
        ...repeat(21, 'auth.invalid_credentials'),
        ...repeat(4, 'request.rate_limited'),
      ]);

      // From a new address without a device token, even the owner waits (OWASP's trade-off)...
      const elsewhere = await tryLogin(owner.email, owner.password, '192.0.2.50');
      expect(elsewhere.outcome).toBe('request.rate_limited');
      expect(elsewhere.retryAfter).toBeGreaterThan(50);
      // ...but the owner's phone, from anywhere, is in.
      expect((await tryLogin(owner.email, owner.password, '192.0.2.51', owner.phone)).outcome).toBe(
        'signed_in',
      );
      // The attacker's own device token is no device of the owner's account: a stranger.
      expect((await tryLogin(owner.email, WRONG, '192.0.2.52', attacker.phone)).outcome).toBe(
        'request.rate_limited',
      );
      // A known device that guesses is throttled on its own, like any single source.
      const guesses: string[] = [];
      for (let i = 0; i < 8; i += 1) {
        guesses.push((await tryLogin(owner.email, WRONG, '192.0.2.53', owner.phone)).outcome);
      }
      expect(guesses).toEqual([
        ...repeat(6, 'auth.invalid_credentials'),
        ...repeat(2, 'request.rate_limited'),
      ]);
    },
    SLOW,
  );

  it(
    'an office behind one address signs in 110 times unhindered; its failures are still limited, known devices aside',
    async () => {
      harness = await setupAuthService({ signInThrottles: steady });
      const office = '198.51.100.200';
      const staff = [];
      for (let i = 0; i < 11; i += 1) staff.push(await registerUser(harness, { ip: `10.1.1.${i}` }));
      let signedIn = 0;
      let firstDevice = '';
      for (let round = 0; round < 10; round += 1) {
        for (const person of staff) {
          const result = await tryLogin(person.email, person.password, office);
          expect(result.outcome).toBe('signed_in');
          signedIn += 1;
          if (person === staff[0]) firstDevice = result.deviceToken!;
        }
      }
      expect(signedIn).toBe(110);

      // Someone in the office sprays passwords over many accounts: 100 failures are free, then it waits.
      const spray: string[] = [];
      for (let i = 0; i < 102; i += 1)
        spray.push((await tryLogin(`nobody-${i}@example.com`, WRONG, office)).outcome);
      expect(spray).toEqual([...repeat(101, 'auth.invalid_credentials'), 'request.rate_limited']);
      expect((await tryLogin(staff[1]!.email, staff[1]!.password, office)).outcome).toBe(
        'request.rate_limited',
      );
      // A colleague whose device signed in before is not held back by the others' failures.
      expect((await tryLogin(staff[0]!.email, staff[0]!.password, office, firstDevice)).outcome).toBe(
        'signed_in',
      );
    },
    3 * SLOW,
  );
});

import { readFileSync } from 'node:fs';
import { createRedisCache } from '@clubland/cache/redis';
import { afterEach, describe, expect, it } from 'vitest';
import { startPrivateRedis } from '../../../packages/cache/test/redis-server.ts';
import { type GatewayHarness, setupGateway } from './setup.ts';

/** The mobile client's own documents, sent as it sends them. */
function operation(path: string): string {
  return readFileSync(new URL(`../../../contract/mobile-client/operations/${path}`, import.meta.url), 'utf8');
}

const CREATE_CLUB = 'mutation($input: CreateClubInput!) { createClub(input: $input) { id slug } }';
const PASSWORD = 'correct horse battery staple';
const WRONG = 'not the password at all';

/**
 * Sign-in at the door (issue 27, items 4 and 9c): the known-device token travels beside the
 * mobile client's fixed LoginInput, as a header and a cookie; a Redis outage during login is
 * SERVICE_UNAVAILABLE at once, not INTERNAL_SERVER_ERROR after seconds.
 */
describe('sign-in through the gateway', () => {
  let harness: GatewayHarness | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await harness?.close();
    await cleanup?.();
    harness = undefined;
    cleanup = undefined;
  });

  /** A club and a member of it, registered through the mobile client's own document. */
  async function member(gateway: GatewayHarness, email: string) {
    const club = await gateway.asNetworkAdmin(CREATE_CLUB, {
      input: { name: 'The Reform Club', slug: 'reform' },
    });
    const registered = await gateway.post(operation('auth/register.graphql'), {
      email,
      password: PASSWORD,
      username: 'ada',
      clubId: club.body.data?.createClub.id,
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    expect(registered.body.errors).toBeUndefined();
    return { email };
  }

  /** The mobile client's login from `ip`, with extra headers. */
  async function login(gateway: GatewayHarness, ip: string, email: string, password: string, headers = {}) {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/graphql',
      remoteAddress: ip,
      headers: { 'content-type': 'application/json', ...headers },
      payload: { query: operation('auth/login.graphql'), variables: { email, password } },
    });
    const body = response.json() as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    return { response, code: body.errors?.[0]?.extensions?.code ?? 'OK' };
  }

  it('hands every sign-in a device token (header and HttpOnly cookie); either brings the owner past a stranger', async () => {
    // Holds that a slow machine cannot outlast between two calls (the default starts at 1 s).
    const hold = { free: 5, baseDelayMs: 60_000, maxDelayMs: 60_000, windowSeconds: 3_600 };
    harness = await setupGateway({ signInThrottles: { perSource: hold } });
    const ada = await member(harness, 'ada@example.org');
    const phone = await login(harness, '198.51.100.20', ada.email, PASSWORD);
    expect(phone.code).toBe('OK');
    const token = String(phone.response.headers['clubland-device']);
    expect(token).toMatch(/^[\w-]{43}$/);
    const cookie = String(phone.response.headers['set-cookie']);
    expect(cookie).toContain(`clubland_device=${token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);

    // A stranger in a café guesses until the café's address is held back for Ada's account.
    const cafe = '203.0.113.66';
    const codes: string[] = [];
    for (let i = 0; i < 7; i += 1) codes.push((await login(harness, cafe, ada.email, WRONG)).code);
    expect(codes.slice(0, 6)).toEqual(Array(6).fill('UNAUTHENTICATED'));
    expect(codes[6]).toBe('RATE_LIMITED');

    // Ada in the same café: her app's header, or her browser's cookie, brings her in.
    expect((await login(harness, cafe, ada.email, PASSWORD, { 'clubland-device': token })).code).toBe('OK');
    expect(
      (await login(harness, cafe, ada.email, PASSWORD, { cookie: `theme=dark; clubland_device=${token}` }))
        .code,
    ).toBe('OK');
    // Without either, she is a stranger there too.
    expect((await login(harness, cafe, ada.email, PASSWORD)).code).toBe('RATE_LIMITED');
  }, 120_000);

  it('answers login during a Redis outage with SERVICE_UNAVAILABLE at once, and signs in again once Redis is back', async () => {
    const redis = await startPrivateRedis();
    const cache = createRedisCache({ url: redis.url, keyPrefix: 'door:' });
    cleanup = async () => {
      await cache.close();
      await redis.stop();
    };
    harness = await setupGateway({ cache });
    const ada = await member(harness, 'ada@example.org');
    expect((await login(harness, '198.51.100.7', ada.email, PASSWORD)).code).toBe('OK');

    await redis.stop();
    for (const attempt of [1, 2, 3]) {
      const started = performance.now();
      const { code } = await login(harness, '198.51.100.7', ada.email, PASSWORD);
      const ms = performance.now() - started;
      expect({ attempt, code }).toEqual({ attempt, code: 'SERVICE_UNAVAILABLE' });
      // The first may wait for the first reconnect to fail; the rest are refused at once.
      expect(ms).toBeLessThan(attempt === 1 ? 2_000 : 500);
    }

    await redis.start();
    await expect
      .poll(async () => (await login(harness!, '198.51.100.7', ada.email, PASSWORD)).code, {
        timeout: 15_000,
      })
      .toBe('OK');
  }, 120_000);
});

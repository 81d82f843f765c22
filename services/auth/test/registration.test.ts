import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuthHarness, meta, registerUser, setupAuthService, strongPassword } from './setup.ts';

describe('registration', () => {
  let harness: AuthHarness;
  beforeEach(async () => {
    harness = await setupAuthService();
  });
  afterEach(async () => {
    await harness.close();
  });

  const valid = () => ({
    meta: meta(),
    email: 'grace@example.com',
    password: strongPassword,
    username: 'grace',
    clubId: harness.club.id,
    firstName: 'Grace',
    lastName: 'Hopper',
  });

  async function nothingWritten(): Promise<void> {
    for (const table of [
      'users',
      'password_credentials',
      'sessions',
      'role_grants',
      'one_time_tokens',
      'outbox',
    ]) {
      expect(await harness.count(table), table).toBe(0);
    }
    expect(await harness.outbox()).toEqual([]);
  }

  it.each([
    ['email', { email: 'not-an-email' }],
    ['email', { email: 'a@b' }],
    ['email', { email: `${'x'.repeat(250)}@example.com` }],
    ['password', { password: 'short1A!' }],
    ['password', { password: 'alllowercaseletters' }],
    ['password', { password: 'Password1234' }],
    ['password', { password: 'grace@example.com' }],
    ['password', { password: `Aa1${'x'.repeat(200)}` }],
    ['username', { username: 'no spaces allowed' }],
    ['username', { username: 'u'.repeat(31) }],
    ['firstName', { firstName: '   ' }],
    ['lastName', { lastName: 'L'.repeat(101) }],
    ['clubId', { clubId: 'not-a-uuid' }],
    ['clubId', { clubId: '0190b7a6-0000-7000-8000-000000000000' }],
  ])('refuses a bad %s with BAD_USER_INPUT naming it, and creates nothing (%j)', async (field, change) => {
    const refused = await harness.auth.register({ ...valid(), ...change }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'request.invalid_input', details: { field } });
    await nothingWritten();
  });

  it('refuses a club that is not active', async () => {
    await harness.member.db.asOwner((tx) =>
      tx.query(`UPDATE member.clubs SET status = 'SUSPENDED' WHERE id = $1`, [harness.club.id]),
    );
    await expect(harness.auth.register(valid())).rejects.toMatchObject({
      code: 'request.invalid_input',
      details: { field: 'clubId' },
    });
    await nothingWritten();
  });

  it('creates a pending account holding MEMBER, not yet in force, hashed with argon2id, and mails a verification link', async () => {
    const { user } = await harness.auth.register(valid());
    // The grant waits for a verified email and the club's acceptance (issue 29, item 6).
    expect(user).toMatchObject({ status: 5 /* PENDING_VERIFICATION */, roles: [], permissions: [] });
    expect(await harness.count('role_grants', `role = 'MEMBER' AND revoked_at IS NULL`)).toBe(1);
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query<{ hash: string }>('SELECT password_hash AS hash FROM auth.password_credentials'),
    );
    expect(rows[0]!.hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(rows[0]!.hash).not.toContain(strongPassword);

    const [mail] = await harness.outbox();
    expect(mail).toMatchObject({ to: 'grace@example.com', template: 'auth.verify-email' });
    expect(String(mail!.data.link)).toMatch(/^https:\/\/app\.clubland\.test\/verify-email\?token=[\w-]{43}$/);
    // Stored hashed: the token in the link is nowhere in the table.
    const token = new URL(String(mail!.data.link)).searchParams.get('token')!;
    expect(await harness.count('one_time_tokens', `token_hash = '${token}'`)).toBe(0);
    expect(await harness.count('one_time_tokens', `purpose = 'email_verification'`)).toBe(1);
  });

  it('refuses a taken email whatever its case, and a taken username', async () => {
    await harness.auth.register(valid());
    await expect(
      harness.auth.register({ ...valid(), email: 'GRACE@Example.com', username: '' }),
    ).rejects.toMatchObject({ code: 'auth.email_taken', details: { field: 'email' } });
    await expect(
      harness.auth.register({ ...valid(), email: 'other@example.com', username: 'GRACE' }),
    ).rejects.toMatchObject({ code: 'auth.username_taken', details: { field: 'username' } });
    expect(await harness.count('users')).toBe(1);
  });

  it('limits registrations per IP', async () => {
    await harness.close();
    harness = await setupAuthService({ rateLimits: { registerPerIp: { limit: 2, windowSeconds: 3600 } } });
    await registerUser(harness, { ip: '192.0.2.1' });
    await registerUser(harness, { ip: '192.0.2.1' });
    await expect(registerUser(harness, { ip: '192.0.2.1' })).rejects.toMatchObject({
      code: 'request.rate_limited',
    });
    await expect(registerUser(harness, { ip: '192.0.2.2' })).resolves.toBeDefined();
  });
});

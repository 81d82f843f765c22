import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuthHarness, meta, registerUser, setupAuthService, strongPassword } from './setup.ts';

const first = { email: 'root@clubland.test', password: 'First-Admin-Password-1' };

describe('bootstrapping the first network administrator', () => {
  let harness: AuthHarness;
  beforeEach(async () => {
    harness = await setupAuthService();
  });
  afterEach(async () => {
    await harness.close();
  });

  const admins = () => harness.count('role_grants', "role = 'NETWORK_ADMIN' AND revoked_at IS NULL");

  it('creates an administrator with no home club who signs in holding NETWORK_ADMIN, audited and announced', async () => {
    const outcome = await harness.service.bootstrapNetworkAdmin(first);
    expect(outcome).toMatchObject({
      outcome: 'created',
      user: {
        email: first.email,
        clubId: null,
        status: 'ACTIVE',
        roles: [{ role: 'NETWORK_ADMIN', clubId: null }],
      },
    });
    const session = await harness.auth.login({ meta: meta(), ...first });
    expect(session.user).toMatchObject({
      email: first.email,
      clubId: '',
      roles: [{ role: 'NETWORK_ADMIN', clubId: '' }],
    });
    expect(session.user?.permissions).toContain('club:create');
    expect(await harness.count('audit_log', "event = 'network_admin.bootstrapped'")).toBe(1);
    await expect.poll(() => harness.published.map((e) => e.type)).toContain('user.role_granted');
  });

  it('changes nothing once an administrator exists: no second one, no new password', async () => {
    await harness.service.bootstrapNetworkAdmin(first);
    const users = await harness.count('users');
    expect(
      await harness.service.bootstrapNetworkAdmin({
        email: 'second@clubland.test',
        password: first.password,
      }),
    ).toEqual({
      outcome: 'admin_exists',
    });
    expect(
      await harness.service.bootstrapNetworkAdmin({ email: first.email, password: 'Overwritten-Password-2' }),
    ).toEqual({ outcome: 'admin_exists' });
    expect(await harness.count('users')).toBe(users);
    expect(await admins()).toBe(1);
    await expect(
      harness.auth.login({ meta: meta(), email: first.email, password: 'Overwritten-Password-2' }),
    ).rejects.toMatchObject({
      code: 'auth.invalid_credentials',
    });
    await expect(harness.auth.login({ meta: meta(), ...first })).resolves.toBeDefined();
  });

  it('creates exactly one administrator when several processes bootstrap at once', async () => {
    const outcomes = await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        harness.service.bootstrapNetworkAdmin({ email: `${name}@clubland.test`, password: first.password }),
      ),
    );
    expect(outcomes.filter((o) => o.outcome === 'created')).toHaveLength(1);
    expect(await admins()).toBe(1);
  });

  it('refuses an address that already has an account rather than promoting it', async () => {
    const member = await registerUser(harness, { email: 'member@clubland.test' });
    await expect(
      harness.service.bootstrapNetworkAdmin({ email: 'Member@clubland.test', password: strongPassword }),
    ).rejects.toMatchObject({ code: 'auth.email_taken', details: { field: 'email' } });
    expect(await admins()).toBe(0);
    expect(await harness.count('role_grants', `user_id = '${member.userId}'`)).toBe(1);
  });

  it.each([
    [{ email: 'not an address', password: first.password }, 'email'],
    [{ email: first.email, password: 'short' }, 'password'],
  ])('refuses %o naming %s', async (input, field) => {
    await expect(harness.service.bootstrapNetworkAdmin(input)).rejects.toMatchObject({
      code: 'request.invalid_input',
      details: { field },
    });
    expect(await harness.count('users')).toBe(0);
  });
});

import { readOutbox } from '@clubland/notify';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSoftwareAuthenticator } from '../../auth/test/software-authenticator.ts';
import { type GatewayHarness, setupGateway } from './setup.ts';

/**
 * Issue 29, item 3: a person's export holds everything held about them, the auth service's part
 * gathered over RPC and never a secret; the auth audit log is readable through GraphQL with
 * audit:read (a network admin everything, a club admin their club's), filtered and paginated.
 */

const PASSWORD = 'Correct-Horse-Battery-9';
const REGISTER =
  'mutation($input: RegisterInput!) { register(input: $input) { token refreshToken user { id } } }';
const CREATE_CLUB = 'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }';
const GRANT =
  'mutation($userId: ID!, $role: String!, $clubId: ID) { grantRole(userId: $userId, role: $role, clubId: $clubId) { id } }';
const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { token refreshToken } }';
const ME = '{ me { id } }';
const CREATE_MEMBER = 'mutation($input: CreateMemberInput!) { createMember(input: $input) { id } }';
const EXPORT =
  'mutation($memberId: ID!, $clubId: ID) { exportMemberData(memberId: $memberId, clubId: $clubId) }';
const AUDIT_LOG = `query($filter: AuditLogFilter, $first: Int, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) {
    nodes { id action actorId subjectId clubId ip userAgent details occurredAt }
    pageInfo { page pageSize total totalCount hasNextPage hasPrevPage endCursor }
  }
}`;

interface Entry {
  id: string;
  action: string;
  actorId: string | null;
  subjectId: string | null;
  clubId: string | null;
  ip: string;
  userAgent: string;
  details: Record<string, unknown>;
  occurredAt: string;
}

describe('a person’s full export and the audit log, through the gateway', () => {
  let harness: GatewayHarness;
  let clubA: string;
  let clubB: string;
  let adminOfA: { id: string; token: string };
  let person: { id: string; email: string; token: string; memberId: string };
  let stranger: { id: string; token: string };
  /** What the person was handed once and must never find in an export. */
  const handedOut: string[] = [];
  let serial = 0;

  beforeAll(async () => {
    harness = await setupGateway();
    clubA = await createClub();
    clubB = await createClub();
    const admin = await register(clubA);
    await ok(harness.asNetworkAdmin(GRANT, { userId: admin.id, role: 'CLUB_ADMIN', clubId: clubA }));
    adminOfA = { id: admin.id, token: (await ok(login(admin.email))).login.token };
    const other = await register(clubB);
    stranger = { id: other.id, token: other.token };

    // The person: registered at club A, email verified, signed in twice, a passkey, TOTP on.
    const registered = await register(clubA);
    handedOut.push(registered.token, registered.refreshToken);
    await ok(
      harness.post('mutation($token: String!) { verifyEmail(token: $token) }', {
        token: await tokenIn(registered.email, 'auth.verify-email'),
      }),
    );
    const signedIn = (await ok(login(registered.email))).login;
    handedOut.push(signedIn.token, signedIn.refreshToken);
    const as = harness.as(signedIn.token);
    const init = (await ok(as('mutation { initiatePasskeyRegistration { options userId } }')))
      .initiatePasskeyRegistration;
    const authenticator = createSoftwareAuthenticator({ origin: 'http://localhost:8080' });
    await ok(
      as(
        'mutation($credential: PasskeyCredentialInput!) { completePasskeyRegistration(credential: $credential) }',
        { credential: authenticator.register(init.options) },
      ),
    );
    const { secret } = (await ok(as('mutation { beginTotpEnrolment { secret otpauthUri } }')))
      .beginTotpEnrolment;
    handedOut.push(secret);
    const code = TOTP.generate({ secret: Secret.fromBase32(secret) });
    const recoveryCodes = (
      await ok(as('mutation($code: String!) { confirmTotpEnrolment(code: $code) }', { code }))
    ).confirmTotpEnrolment as string[];
    handedOut.push(...recoveryCodes);
    const member = await ok(
      harness.as(adminOfA.token)(CREATE_MEMBER, {
        input: {
          clubId: clubA,
          memberNumber: `A-${++serial}`,
          userId: registered.id,
          firstName: 'Isabella',
          lastName: 'Bird',
          email: registered.email,
          membershipType: 'REGULAR',
        },
      }),
    );
    person = {
      id: registered.id,
      email: registered.email,
      token: signedIn.token,
      memberId: member.createMember.id,
    };
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  async function createClub(): Promise<string> {
    serial += 1;
    const input = { name: `Club ${serial}`, slug: `club-${serial}` };
    return (await ok(harness.asNetworkAdmin(CREATE_CLUB, { input }))).createClub.id;
  }

  async function register(clubId: string) {
    serial += 1;
    const email = `person-${serial}@example.org`;
    const data = await ok(
      harness.post(REGISTER, {
        input: { email, password: PASSWORD, clubId, firstName: 'Isabella', lastName: 'Bird' },
      }),
    );
    return {
      id: data.register.user.id as string,
      email,
      token: data.register.token as string,
      refreshToken: data.register.refreshToken as string,
    };
  }

  function login(email: string) {
    return harness.post(LOGIN, { input: { email, password: PASSWORD } });
  }

  async function tokenIn(to: string, template: string): Promise<string> {
    // Emails may go out after the answer (beforeAll has no expect.poll).
    await harness.settled();
    const mail = (await readOutbox(harness.mailDir))
      .filter((m) => m.to === to && m.template === template)
      .at(-1);
    if (!mail) throw new Error(`no ${template} email to ${to}`);
    return new URL(String(mail.data.link)).searchParams.get('token')!;
  }

  /** Every secret the auth service stores about the account, as the database holds it. */
  async function storedSecrets(userId: string): Promise<string[]> {
    return harness.db.asOwner(async (tx) => {
      const texts = async (sql: string) =>
        (await tx.query<{ value: string }>(sql, [userId])).rows.map((row) => row.value);
      return [
        ...(await texts('SELECT password_hash AS value FROM auth.password_credentials WHERE user_id = $1')),
        ...(await texts(
          `SELECT t.token_hash AS value FROM auth.refresh_tokens t
             JOIN auth.sessions s ON s.id = t.session_id WHERE s.user_id = $1`,
        )),
        ...(await texts('SELECT token_hash AS value FROM auth.one_time_tokens WHERE user_id = $1')),
        ...(await texts('SELECT token_hash AS value FROM auth.known_devices WHERE user_id = $1')),
        ...(await texts('SELECT secret AS value FROM auth.totp_factors WHERE user_id = $1')),
        ...(await texts('SELECT code_hash AS value FROM auth.recovery_codes WHERE user_id = $1')),
        ...(await texts('SELECT token_hash AS value FROM auth.mfa_challenges WHERE user_id = $1')),
        ...(await texts("SELECT encode(public_key, 'hex') AS value FROM auth.passkeys WHERE user_id = $1")),
        ...(await texts(
          "SELECT translate(encode(public_key, 'base64'), E'+/=\\n', '-_') AS value FROM auth.passkeys WHERE user_id = $1",
        )),
        ...(await texts(
          "SELECT encode(public_key, 'base64') AS value FROM auth.passkeys WHERE user_id = $1",
        )),
      ];
    });
  }

  function auditLog(token: string, variables: Record<string, unknown>) {
    return harness.as(token)(AUDIT_LOG, variables);
  }

  it('gives the person their account, sessions, grants, MFA, passkeys, devices and audit entries, and no secret', async () => {
    const exported = (
      await ok(harness.as(person.token)(EXPORT, { memberId: person.memberId, clubId: clubA }))
    ).exportMemberData;
    // The member service's part is still there.
    expect(exported.member.id).toBe(person.memberId);
    expect(exported.privacyAudit.length).toBeGreaterThan(0);

    const account = exported.account;
    expect(account).toMatchObject({
      id: person.id,
      email: person.email,
      firstName: 'Isabella',
      lastName: 'Bird',
      status: expect.any(String),
      homeClubId: clubA,
      emailVerified: true,
      emailVerifiedAt: expect.any(String),
      createdAt: expect.any(String),
    });
    expect(account.sessions).toHaveLength(2);
    expect(account.sessions[0]).toMatchObject({
      method: 'password',
      createdAt: expect.any(String),
      closedAt: null,
      closedReason: null,
    });
    expect(Object.keys(account.sessions[0]).sort()).toEqual(
      ['closedAt', 'closedReason', 'createdAt', 'id', 'ip', 'lastUsedAt', 'method', 'userAgent'].sort(),
    );
    expect(account.roleGrants).toEqual([
      expect.objectContaining({ role: 'MEMBER', clubId: clubA, revokedAt: null }),
    ]);
    expect(account.mfa).toEqual({
      enabled: true,
      method: 'totp',
      enabledAt: expect.any(String),
      recoveryCodesRemaining: 10,
    });
    expect(account.passkeys).toHaveLength(1);
    expect(Object.keys(account.passkeys[0]).sort()).toEqual(
      ['backedUp', 'createdAt', 'credentialId', 'deviceType', 'id', 'lastUsedAt', 'transports'].sort(),
    );
    expect(account.knownDevices.length).toBeGreaterThan(0);
    expect(Object.keys(account.knownDevices[0]).sort()).toEqual(
      ['createdAt', 'expiresAt', 'id', 'lastSeenAt'].sort(),
    );
    const actions = (account.auditEntries as Entry[]).map((entry) => entry.action);
    for (const action of [
      'user.registered',
      'email.verified',
      'login.succeeded',
      'passkey.registered',
      'mfa.enabled',
      'account.exported',
    ]) {
      expect(actions).toContain(action);
    }
    for (const entry of account.auditEntries as Entry[]) expect(entry.subjectId).toBe(person.id);

    const text = JSON.stringify(exported);
    const secrets = [...(await storedSecrets(person.id)), ...handedOut];
    expect(secrets.length).toBeGreaterThan(15);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/passwordHash|tokenHash|token_hash|publicKey|public_key|"secret"|codeHash/i);
  });

  it('gives a club exporting its member the club’s data only: no account part', async () => {
    const clubExport = (
      await ok(harness.as(adminOfA.token)(EXPORT, { memberId: person.memberId, clubId: clubA }))
    ).exportMemberData;
    expect(clubExport.member.id).toBe(person.memberId);
    expect(clubExport.account).toBeNull();
    const networkExport = (
      await ok(harness.asNetworkAdmin(EXPORT, { memberId: person.memberId, clubId: clubA }))
    ).exportMemberData;
    expect(networkExport.account).toBeNull();
  });

  it('lets a network admin read the whole log, filtered by subject, action, actor and time, page by page', async () => {
    const adminToken = await harness.networkAdminToken();
    const all = (await ok(auditLog(adminToken, { filter: { subjectId: person.id }, first: 100 }))).auditLog;
    const entries = all.nodes as Entry[];
    expect(entries.length).toBeGreaterThan(5);
    expect(all.pageInfo).toMatchObject({ total: entries.length, hasNextPage: false, page: 1 });
    for (const entry of entries) expect(entry.subjectId).toBe(person.id);
    // Newest first.
    const ids = entries.map((entry) => BigInt(entry.id));
    expect([...ids].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))).toEqual(ids);

    // Walked two at a time with the cursor: the same entries, each once, in the same order.
    const walked: Entry[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page += 1) {
      const data = await ok(auditLog(adminToken, { filter: { subjectId: person.id }, first: 2, after }));
      const result = data.auditLog as { nodes: Entry[]; pageInfo: Record<string, unknown> };
      walked.push(...result.nodes);
      expect(result.pageInfo.pageSize).toBe(2);
      expect(result.pageInfo.total).toBe(entries.length);
      expect(result.pageInfo.hasPrevPage).toBe(after !== null);
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor as string;
    }
    expect(walked.map((entry) => entry.id)).toEqual(entries.map((entry) => entry.id));

    const logins = (
      await ok(auditLog(adminToken, { filter: { subjectId: person.id, action: 'login.succeeded' } }))
    ).auditLog.nodes as Entry[];
    expect(logins.length).toBe(2);
    for (const entry of logins) {
      expect(entry).toMatchObject({ action: 'login.succeeded', actorId: person.id, clubId: clubA });
      expect(entry.details).toMatchObject({ method: 'password' });
    }

    // The network admin granted club A's admin their role: they are its actor, club A its club.
    const adminId = (await ok(harness.asNetworkAdmin(ME))).me.id;
    const granted = (await ok(auditLog(adminToken, { filter: { actorId: adminId, action: 'role.granted' } })))
      .auditLog.nodes as Entry[];
    expect(granted).toEqual([
      expect.objectContaining({ subjectId: adminOfA.id, actorId: adminId, clubId: clubA }),
    ]);

    const newest = entries[0]!.occurredAt;
    const before = (
      await ok(auditLog(adminToken, { filter: { subjectId: person.id, to: entries.at(-1)!.occurredAt } }))
    ).auditLog;
    expect(before.nodes).toEqual([]);
    const since = (await ok(auditLog(adminToken, { filter: { subjectId: person.id, from: newest } })))
      .auditLog.nodes as Entry[];
    expect(since.length).toBeGreaterThan(0);
    for (const entry of since)
      expect(Date.parse(entry.occurredAt)).toBeGreaterThanOrEqual(Date.parse(newest));
  });

  it('lets a club admin read their club’s entries only', async () => {
    const own = (await ok(auditLog(adminOfA.token, { first: 100 }))).auditLog.nodes as Entry[];
    expect(own.length).toBeGreaterThan(0);
    for (const entry of own) expect(entry.clubId).toBe(clubA);
    expect(own.some((entry) => entry.subjectId === person.id)).toBe(true);
    expect(own.some((entry) => entry.subjectId === stranger.id)).toBe(false);

    const aboutStranger = (await ok(auditLog(adminOfA.token, { filter: { subjectId: stranger.id } })))
      .auditLog;
    expect(aboutStranger.nodes).toEqual([]);
    expect(aboutStranger.pageInfo.total).toBe(0);

    const elsewhere = await auditLog(adminOfA.token, { filter: { clubId: clubB } });
    expect(elsewhere.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(elsewhere.body.data).toBeNull();
  });

  it('refuses members, and anyone without a token', async () => {
    for (const token of [person.token, stranger.token]) {
      for (const variables of [{}, { filter: { clubId: clubA } }, { filter: { subjectId: person.id } }]) {
        const { body } = await auditLog(token, variables);
        expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(body.data).toBeNull();
      }
    }
    const anonymous = await harness.post(AUDIT_LOG, {});
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers a bad filter or cursor with BAD_USER_INPUT naming the field', async () => {
    const adminToken = await harness.networkAdminToken();
    const cases: [Record<string, unknown>, string][] = [
      [{ after: 'not-a-cursor' }, 'after'],
      [{ after: Buffer.from('{"i":"-1"}').toString('base64url') }, 'after'],
      [{ first: 0 }, 'first'],
      [{ first: 101 }, 'first'],
      [{ filter: { subjectId: 'someone' } }, 'subjectId'],
      [{ filter: { actorId: '42' } }, 'actorId'],
      [{ filter: { clubId: 'club-a' } }, 'clubId'],
      [{ filter: { action: 'DROP TABLE' } }, 'action'],
      [{ filter: { from: '2026-12-02T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' } }, 'to'],
    ];
    for (const [variables, field] of cases) {
      const { body } = await auditLog(adminToken, variables);
      expect(body.errors?.[0]?.extensions, JSON.stringify(variables)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
      });
    }
    // Twice: the second run of a document goes through the compiled (JIT) path.
    for (let run = 0; run < 2; run += 1) {
      const notATime = await auditLog(adminToken, { filter: { from: 'yesterday' } });
      expect(notATime.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

/** The data of a successful response; fails the test with the errors otherwise. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary response shapes
async function ok(response: Promise<{ body: { data?: Record<string, any>; errors?: unknown[] } }>) {
  const { body } = await response;
  expect(body.errors).toBeUndefined();
  return body.data!;
}

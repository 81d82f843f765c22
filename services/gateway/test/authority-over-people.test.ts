import { readOutbox } from '@clubland/notify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, setupGateway } from './setup.ts';

/**
 * Issue 27, item 2: privilege over people, not only over clubs. Every mutation that touches a
 * user (names, status and with it the sessions, roles, erasure of their member data) is walked
 * through the gateway by each actor against each target; a refused one must be FORBIDDEN and
 * leave the target exactly as it was, an allowed one must do what it says.
 */

const PASSWORD = 'Correct-Horse-Battery-9';
const REGISTER = 'mutation($input: RegisterInput!) { register(input: $input) { token user { id } } }';
const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { token } }';
const CREATE_CLUB = 'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }';
const GRANT =
  'mutation($userId: ID!, $role: String!, $clubId: ID) { grantRole(userId: $userId, role: $role, clubId: $clubId) { id } }';
const REVOKE =
  'mutation($userId: ID!, $role: String!, $clubId: ID) { revokeRole(userId: $userId, role: $role, clubId: $clubId) { id } }';
const UPDATE_USER =
  'mutation($id: ID!, $firstName: String, $status: UserStatus) { updateUser(id: $id, firstName: $firstName, status: $status) { id } }';
const ERASE =
  'mutation($memberId: ID!, $clubId: ID) { eraseMemberData(memberId: $memberId, reason: "asked to", clubId: $clubId) { id } }';
const CREATE_MEMBER = 'mutation($input: CreateMemberInput!) { createMember(input: $input) { id } }';
const INVITE =
  'mutation($clubId: ID!, $email: String!, $role: String!) { inviteToClub(clubId: $clubId, email: $email, role: $role) { id } }';
const ACCEPT =
  'mutation($input: AcceptClubInvitationInput!) { acceptClubInvitation(input: $input) { token } }';

type ActorName = 'member of A' | 'staff of A' | 'admin of A' | 'network admin';
type TargetName =
  | 'member of A'
  | 'staff of A'
  | 'peer admin of A'
  | 'admin of B, home club A'
  | 'network admin, home club A'
  | 'member of B who joined A';

interface Target {
  id: string;
  email: string;
  /** The role at club A the revokeRole row takes away. */
  roleAtA: 'MEMBER' | 'STAFF' | 'CLUB_ADMIN';
  /** Their member record at club A, linked to the account. */
  memberId: string;
}

interface Snapshot {
  firstName: string;
  status: string;
  grants: string[];
  hasLiveSession: boolean;
  member: { firstName: string; erased: boolean };
  audits: number;
}

/** The one rule, as a table: a network admin acts on everyone; a club admin only on their club's members and staff. */
function isAllowed(actor: ActorName, target: TargetName): boolean {
  if (actor === 'network admin') return true;
  return actor === 'admin of A' && (target === 'member of A' || target === 'staff of A');
}

describe('authority over people through the gateway', () => {
  let harness: GatewayHarness;
  let clubA: string;
  let clubB: string;
  const actors = new Map<ActorName, { id: string; token: string }>();
  const targets = new Map<TargetName, Target>();
  let networkAdmin: (
    query: string,
    variables?: Record<string, unknown>,
  ) => ReturnType<GatewayHarness['post']>;
  let serial = 0;
  const next = () => {
    serial += 1;
    return serial;
  };

  beforeAll(async () => {
    harness = await setupGateway();
    networkAdmin = (query, variables = {}) => harness.asNetworkAdmin(query, variables);
    clubA = await createClub('Club A');
    clubB = await createClub('Club B');

    for (const [name, role] of [
      ['member of A', null],
      ['staff of A', 'STAFF'],
      ['admin of A', 'CLUB_ADMIN'],
    ] as const) {
      const { id, email } = await register(clubA);
      if (role) await ok(networkAdmin(GRANT, { userId: id, role, clubId: clubA }));
      // Signed in after the grant, so the token carries it (the member service reads the token's roles).
      actors.set(name, { id, token: await login(email) });
    }
    const admin = await harness.networkAdminToken();
    actors.set('network admin', { id: (await ok(harness.as(admin)('{ me { id } }'))).me.id, token: admin });

    const grants: [TargetName, string, string | null][] = [
      ['member of A', '', null],
      ['staff of A', 'STAFF', clubA],
      ['peer admin of A', 'CLUB_ADMIN', clubA],
      ['admin of B, home club A', 'CLUB_ADMIN', clubB],
      ['network admin, home club A', 'NETWORK_ADMIN', null],
    ];
    for (const [name, role, clubId] of grants) {
      const { id, email } = await register(clubA);
      if (role) await ok(networkAdmin(GRANT, { userId: id, role, clubId }));
      const roleAtA =
        role === 'STAFF' || role === 'CLUB_ADMIN' ? (clubId === clubA ? role : 'MEMBER') : 'MEMBER';
      targets.set(name, { id, email, roleAtA, memberId: '' });
    }
    // A member of club B who accepted club A's invitation (their consent) and so holds MEMBER there too.
    const traveller = await register(clubB);
    await ok(networkAdmin(INVITE, { clubId: clubA, email: traveller.email, role: 'MEMBER' }));
    await ok(
      harness.post(ACCEPT, { input: { token: await invitationToken(traveller.email), password: PASSWORD } }),
    );
    targets.set('member of B who joined A', { ...traveller, roleAtA: 'MEMBER', memberId: '' });

    for (const target of targets.values()) {
      // ACTIVE, so the status can be put back through the API after a suspension.
      await ok(networkAdmin(UPDATE_USER, { id: target.id, status: 'ACTIVE' }));
      const created = await ok(
        networkAdmin(CREATE_MEMBER, {
          input: {
            clubId: clubA,
            memberNumber: `A-${next()}`,
            userId: target.id,
            firstName: 'Erin',
            lastName: 'Target',
            email: target.email,
            membershipType: 'REGULAR',
          },
        }),
      );
      target.memberId = created.createMember.id;
    }
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function createClub(name: string): Promise<string> {
    const slug = `club-${next()}`;
    return (await ok(networkAdmin(CREATE_CLUB, { input: { name, slug } }))).createClub.id;
  }

  async function register(clubId: string): Promise<{ id: string; email: string }> {
    const email = `person-${next()}@example.org`;
    const data = await ok(
      harness.post(REGISTER, {
        input: { email, password: PASSWORD, clubId, firstName: 'Original', lastName: 'Name' },
      }),
    );
    return { id: data.register.user.id, email };
  }

  async function login(email: string): Promise<string> {
    return (await ok(harness.post(LOGIN, { input: { email, password: PASSWORD } }))).login.token;
  }

  async function invitationToken(email: string): Promise<string> {
    const mail = (await readOutbox(harness.mailDir)).filter(
      (m) => m.to === email && m.template === 'auth.club-invitation',
    );
    return new URL(String(mail.at(-1)?.data.link)).searchParams.get('token')!;
  }

  /** Everything a user-touching mutation could change about the target, read as the owner. */
  async function snapshot(target: Target): Promise<Snapshot> {
    return harness.db.asOwner(async (tx) => {
      const user = await tx.query<{ firstName: string; status: string }>(
        'SELECT first_name AS "firstName", status FROM auth.users WHERE id = $1',
        [target.id],
      );
      const grants = await tx.query<{ grant: string }>(
        `SELECT role || '@' || coalesce(club_id::text, 'network') AS grant FROM auth.role_grants
          WHERE user_id = $1 AND revoked_at IS NULL ORDER BY 1`,
        [target.id],
      );
      const sessions = await tx.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM auth.sessions WHERE user_id = $1 AND revoked_at IS NULL',
        [target.id],
      );
      const member = await tx.query<{ firstName: string; erased: boolean }>(
        'SELECT first_name AS "firstName", erased_at IS NOT NULL AS erased FROM member.members WHERE id = $1',
        [target.memberId],
      );
      const audits = await tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM member.privacy_audit WHERE member_id = $1 AND action = 'ERASE'`,
        [target.memberId],
      );
      return {
        ...user.rows[0]!,
        grants: grants.rows.map((row) => row.grant),
        hasLiveSession: sessions.rows[0]!.n > 0,
        member: member.rows[0]!,
        audits: audits.rows[0]!.n,
      };
    });
  }

  /** Puts the target back as it was, as the network admin (and signs them in again if they were signed out). */
  async function restore(target: Target, to: Snapshot): Promise<void> {
    const now = await snapshot(target);
    if (now.firstName !== to.firstName)
      await ok(networkAdmin(UPDATE_USER, { id: target.id, firstName: to.firstName }));
    if (now.status !== to.status) await ok(networkAdmin(UPDATE_USER, { id: target.id, status: to.status }));
    for (const grant of to.grants.filter((g) => !now.grants.includes(g)))
      await ok(networkAdmin(GRANT, { userId: target.id, ...roleArgs(grant) }));
    for (const grant of now.grants.filter((g) => !to.grants.includes(g)))
      await ok(networkAdmin(REVOKE, { userId: target.id, ...roleArgs(grant) }));
    if (to.hasLiveSession && !(await snapshot(target)).hasLiveSession) await login(target.email);
  }

  const mutations = {
    'rename (updateUser firstName)': {
      run: (t: Target) => [UPDATE_USER, { id: t.id, firstName: 'Mallory' }] as const,
      effect: (s: Snapshot) => expect(s.firstName).toBe('Mallory'),
    },
    'suspend, ending their sessions (updateUser status)': {
      run: (t: Target) => [UPDATE_USER, { id: t.id, status: 'SUSPENDED' }] as const,
      effect: (s: Snapshot) => expect(s).toMatchObject({ status: 'SUSPENDED', hasLiveSession: false }),
    },
    'grant STAFF at club A (grantRole)': {
      run: (t: Target) => [GRANT, { userId: t.id, role: 'STAFF', clubId: clubA }] as const,
      effect: (s: Snapshot) => expect(s.grants).toContain(`STAFF@${clubA}`),
    },
    'revoke their role at club A (revokeRole)': {
      run: (t: Target) => [REVOKE, { userId: t.id, role: t.roleAtA, clubId: clubA }] as const,
      effect: (s: Snapshot, t: Target) => expect(s.grants).not.toContain(`${t.roleAtA}@${clubA}`),
    },
  };
  // Erasure runs last, after every other row: it may close an account for good (a target whose only
  // tie is its record at club A), which no later row could then change.
  const erasure = {
    'erase their member data at club A (eraseMemberData)': {
      run: (t: Target) => [ERASE, { memberId: t.memberId, clubId: clubA }] as const,
      effect: (s: Snapshot) => expect(s.member).toEqual({ firstName: '', erased: true }),
    },
  };

  /** Waits until the auth service has applied the erasure of the record (an event, so moments later). */
  async function erasureApplied(memberId: string): Promise<void> {
    const count = async () =>
      (
        await harness.db.asOwner((tx) =>
          tx.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM auth.audit_log WHERE event = 'member.erased' AND details->>'memberId' = $1`,
            [memberId],
          ),
        )
      ).rows[0]!.n;
    await expect.poll(count).toBe(1);
  }

  const actorNames = ['member of A', 'staff of A', 'admin of A', 'network admin'] as const;
  for (const rows of [mutations, erasure]) {
    describe.each(actorNames)('as the %s', (actorName) => {
      it.each(Object.keys(rows))('%s: on each target', async (mutation) => {
        const { run, effect } = (rows as Record<string, (typeof mutations)[keyof typeof mutations]>)[
          mutation
        ]!;
        const actor = actors.get(actorName)!;
        const outcomes: Record<string, string> = {};
        const expected: Record<string, string> = {};
        for (const [targetName, target] of targets) {
          const before = await snapshot(target);
          const [query, variables] = run(target);
          const { body } = await harness.as(actor.token)(query, variables);
          const after = await snapshot(target);
          outcomes[targetName] = body.errors ? String(body.errors[0]?.extensions?.code) : 'done';
          expected[targetName] = isAllowed(actorName, targetName) ? 'done' : 'FORBIDDEN';
          if (body.errors) {
            expect(after, `${targetName}: a refused ${mutation} changed nothing`).toEqual(before);
          } else if (rows === erasure) {
            effect(after, target);
            // Erased once: asking again (another admin) changes nothing and is not audited again.
            expect(after.audits).toBe(before.member.erased ? before.audits : before.audits + 1);
            await erasureApplied(target.memberId);
          } else {
            effect(after, target);
            await restore(target, { ...before, member: after.member, audits: after.audits });
          }
        }
        expect(outcomes).toEqual(expected);
      });
    });
  }

  it('keeps self-service working: everyone renames themself', async () => {
    for (const [name, actor] of actors) {
      const self = await harness.as(actor.token)(UPDATE_USER, { id: actor.id, firstName: 'Myself' });
      expect(self.body.errors, name).toBeUndefined();
      expect(self.body.data?.updateUser.id).toBe(actor.id);
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

function roleArgs(grant: string): { role: string; clubId: string | null } {
  const [role, club] = grant.split('@') as [string, string];
  return { role, clubId: club === 'network' ? null : club };
}

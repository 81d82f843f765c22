import { readOutbox } from '@clubland/notify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, setupGateway } from './setup.ts';

/**
 * Issue 27, item 3: members belong to real accounts of their club. A club links a member record
 * only to an account of the club (home club, a role there, or an invitation it accepted), and a
 * club's export of its member holds that club's data only; the person's own export holds all of it.
 */

const PASSWORD = 'Correct-Horse-Battery-9';
const REGISTER = 'mutation($input: RegisterInput!) { register(input: $input) { token user { id } } }';
const CREATE_CLUB = 'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }';
const GRANT =
  'mutation($userId: ID!, $role: String!, $clubId: ID) { grantRole(userId: $userId, role: $role, clubId: $clubId) { id } }';
const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { token } }';
const CREATE_MEMBER = 'mutation($input: CreateMemberInput!) { createMember(input: $input) { id userId } }';
const INVITE =
  'mutation($clubId: ID!, $email: String!, $role: String!) { inviteToClub(clubId: $clubId, email: $email, role: $role) { id } }';
const ACCEPT =
  'mutation($input: AcceptClubInvitationInput!) { acceptClubInvitation(input: $input) { token } }';
const REVIEW =
  'mutation($clubId: ID!) { reviewClub(clubId: $clubId, rating: 4, comment: "A fine library.") { id } }';
const FAVOURITE = 'mutation($clubId: ID!) { toggleFavoriteClub(clubId: $clubId) { success } }';
const EXPORT =
  'mutation($memberId: ID!, $clubId: ID) { exportMemberData(memberId: $memberId, clubId: $clubId) }';

describe('member records linked to accounts, through the gateway', () => {
  let harness: GatewayHarness;
  let clubA: string;
  let clubB: string;
  let clubC: string;
  let adminOfA: string;
  let serial = 0;
  const next = () => {
    serial += 1;
    return serial;
  };

  beforeAll(async () => {
    harness = await setupGateway();
    clubA = await createClub();
    clubB = await createClub();
    clubC = await createClub();
    const admin = await register(clubA);
    await ok(harness.asNetworkAdmin(GRANT, { userId: admin.id, role: 'CLUB_ADMIN', clubId: clubA }));
    adminOfA = (await ok(harness.post(LOGIN, { input: { email: admin.email, password: PASSWORD } }))).login
      .token;
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function createClub(): Promise<string> {
    const slug = `club-${next()}`;
    return (await ok(harness.asNetworkAdmin(CREATE_CLUB, { input: { name: `Club ${serial}`, slug } })))
      .createClub.id;
  }

  async function register(clubId: string) {
    const email = `person-${next()}@example.org`;
    const data = await ok(
      harness.post(REGISTER, {
        input: { email, password: PASSWORD, clubId, firstName: 'Isabella', lastName: 'Bird' },
      }),
    );
    return { id: data.register.user.id as string, email, token: data.register.token as string };
  }

  /**
   * A member of `clubId` the club accepted: invited by the network admin, the invitation redeemed
   * (which also proves the mailbox), so the MEMBER grant there is in force (issue 29, item 6).
   */
  async function invitedMember(clubId: string) {
    const email = `member-${next()}@example.org`;
    await ok(harness.asNetworkAdmin(INVITE, { clubId, email, role: 'MEMBER' }));
    const accepted = await ok(
      harness.post(
        'mutation($input: AcceptClubInvitationInput!) { acceptClubInvitation(input: $input) { token user { id } } }',
        {
          input: {
            token: await invitationToken(email),
            password: PASSWORD,
            firstName: 'Isabella',
            lastName: 'Bird',
          },
        },
      ),
    );
    const { token, user } = accepted.acceptClubInvitation;
    return { id: user.id as string, email, token: token as string };
  }

  function memberInput(userId: string | null) {
    return {
      clubId: clubA,
      memberNumber: `A-${next()}`,
      ...(userId ? { userId } : {}),
      firstName: 'Isabella',
      lastName: 'Bird',
      email: 'isabella@example.org',
      membershipType: 'REGULAR',
    };
  }

  async function membersOfA() {
    const { rows } = await harness.db.asOwner((tx) =>
      tx.query<{ id: string; userId: string | null }>(
        'SELECT id, user_id AS "userId" FROM member.members WHERE club_id = $1 ORDER BY id',
        [clubA],
      ),
    );
    return rows;
  }

  it('refuses to link another club’s account, or an unknown id, with BAD_USER_INPUT on userId, and changes nothing', async () => {
    const stranger = await register(clubB);
    const before = await membersOfA();
    for (const userId of [stranger.id, '0190b7a6-0000-7000-8000-0000000000ff']) {
      const { body } = await harness.as(adminOfA)(CREATE_MEMBER, { input: memberInput(userId) });
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userId' });
    }
    expect(await membersOfA()).toEqual(before);
  });

  it('links an account of the club, and a record not linked yet', async () => {
    const local = await register(clubA);
    const linked = await ok(harness.as(adminOfA)(CREATE_MEMBER, { input: memberInput(local.id) }));
    expect(linked.createMember.userId).toBe(local.id);
    const unlinked = await ok(harness.as(adminOfA)(CREATE_MEMBER, { input: memberInput(null) }));
    expect(unlinked.createMember.userId).toBeNull();
  });

  it('links another club’s member once they accept the club’s invitation, and scopes each export to its reader', async () => {
    const traveller = await invitedMember(clubB);
    for (const clubId of [clubA, clubC]) {
      await ok(harness.as(traveller.token)(REVIEW, { clubId }));
      await ok(harness.as(traveller.token)(FAVOURITE, { clubId }));
    }
    await ok(harness.as(adminOfA)(INVITE, { clubId: clubA, email: traveller.email, role: 'MEMBER' }));
    const accepted = await ok(
      harness.post(ACCEPT, { input: { token: await invitationToken(traveller.email), password: PASSWORD } }),
    );
    const member = await ok(harness.as(adminOfA)(CREATE_MEMBER, { input: memberInput(traveller.id) }));
    const memberId = member.createMember.id;

    const clubExport = (await ok(harness.as(adminOfA)(EXPORT, { memberId, clubId: clubA }))).exportMemberData;
    expect(clubIdsOf(clubExport.reviews)).toEqual([clubA]);
    expect(clubExport.favouriteClubIds).toEqual([clubA]);
    const networkAdminExport = (await ok(harness.asNetworkAdmin(EXPORT, { memberId, clubId: clubA })))
      .exportMemberData;
    expect(clubIdsOf(networkAdminExport.reviews)).toEqual([clubA]);
    expect(networkAdminExport.favouriteClubIds).toEqual([clubA]);

    // Their own export, with the token the acceptance gave them (it carries MEMBER at club A).
    const own = (
      await ok(harness.as(accepted.acceptClubInvitation.token)(EXPORT, { memberId, clubId: clubA }))
    ).exportMemberData;
    expect(clubIdsOf(own.reviews)).toEqual([clubA, clubC].sort());
    expect([...own.favouriteClubIds].sort()).toEqual([clubA, clubC].sort());
  });

  async function invitationToken(email: string): Promise<string> {
    const mail = (await readOutbox(harness.mailDir)).filter(
      (m) => m.to === email && m.template === 'auth.club-invitation',
    );
    return new URL(String(mail.at(-1)?.data.link)).searchParams.get('token')!;
  }
});

function clubIdsOf(reviews: { clubId: string }[]): string[] {
  return reviews.map((review) => review.clubId).sort();
}

/** The data of a successful response; fails the test with the errors otherwise. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary response shapes
async function ok(response: Promise<{ body: { data?: Record<string, any>; errors?: unknown[] } }>) {
  const { body } = await response;
  expect(body.errors).toBeUndefined();
  return body.data!;
}

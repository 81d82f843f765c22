import { readOutbox } from '@clubland/notify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, setupGateway } from './setup.ts';

/**
 * Issue 29, items 5 and 7, through the gateway over the real auth and member services.
 * A member may read only their own record: anyone else's reads exactly as a record that does not
 * exist, so member numbers and ids cannot be probed. And a member finds their own records (the
 * card needs the member id) without knowing their number: myMembership, myMemberships.
 */

const PASSWORD = 'Correct-Horse-Battery-9';
const REGISTER = 'mutation($input: RegisterInput!) { register(input: $input) { token user { id } } }';
const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { token } }';
const CREATE_CLUB = 'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }';
const GRANT =
  'mutation($userId: ID!, $role: String!, $clubId: ID) { grantRole(userId: $userId, role: $role, clubId: $clubId) { id } }';
const CREATE_MEMBER =
  'mutation($input: CreateMemberInput!) { createMember(input: $input) { id memberNumber clubId } }';
const INVITE =
  'mutation($clubId: ID!, $email: String!, $role: String!) { inviteToClub(clubId: $clubId, email: $email, role: $role) { id } }';
const ACCEPT =
  'mutation($input: AcceptClubInvitationInput!) { acceptClubInvitation(input: $input) { token } }';
const BY_NUMBER =
  'query($memberNumber: String!, $clubId: ID) { memberByNumber(memberNumber: $memberNumber, clubId: $clubId) { id memberNumber notes } }';
const BY_ID = 'query($id: ID!, $clubId: ID) { member(id: $id, clubId: $clubId) { id memberNumber } }';
const HISTORY = 'query($memberId: ID!) { memberStatusHistory(memberId: $memberId) { id } }';
const CARD = 'mutation($memberId: ID!) { issueMembershipCard(memberId: $memberId) { token } }';
const EXPORT = 'mutation($memberId: ID!) { exportMemberData(memberId: $memberId) }';
const MINE = `query {
  myMembership { id clubId memberNumber userId notes status }
  myMemberships { id clubId memberNumber userId notes }
}`;
/** A well-formed member id (UUIDv7) that no club uses. */
const UNUSED_ID = '01900000-0000-7000-8000-00000000abcd';

describe('a member’s own records, and no probing of anyone else’s, through the gateway', () => {
  let harness: GatewayHarness;
  let clubA: string;
  let clubB: string;
  let adminOfA: string;
  let mary: Person;
  let marysRecord: string;
  let othersRecord: string;
  let stranger: Person;
  let serial = 0;
  const next = () => {
    serial += 1;
    return serial;
  };

  interface Person {
    id: string;
    email: string;
    token: string;
  }

  beforeAll(async () => {
    harness = await setupGateway();
    clubA = await createClub();
    clubB = await createClub();
    const admin = await register(clubA);
    await ok(harness.asNetworkAdmin(GRANT, { userId: admin.id, role: 'CLUB_ADMIN', clubId: clubA }));
    adminOfA = (await ok(harness.post(LOGIN, { input: { email: admin.email, password: PASSWORD } }))).login
      .token;

    mary = await register(clubA);
    marysRecord = (
      await ok(
        harness.as(adminOfA)(CREATE_MEMBER, {
          input: { ...memberInput('PMC-0001'), userId: mary.id, notes: 'prefers the library' },
        }),
      )
    ).createMember.id;
    await ok(harness.as(adminOfA)(CREATE_MEMBER, { input: memberInput('PMC-0002') }));
    othersRecord = (await ok(harness.as(adminOfA)(CREATE_MEMBER, { input: memberInput('PMC-0003') })))
      .createMember.id;
    stranger = await register(clubB);
  });
  afterAll(async () => {
    await harness?.close();
  });

  async function createClub(): Promise<string> {
    const slug = `club-${next()}`;
    return (await ok(harness.asNetworkAdmin(CREATE_CLUB, { input: { name: `Club ${serial}`, slug } })))
      .createClub.id;
  }

  /** An account at `clubId` whose email is verified (the mailed link opened), signed in. */
  async function register(clubId: string): Promise<Person> {
    const email = `person-${next()}@example.org`;
    const data = await ok(
      harness.post(REGISTER, {
        input: { email, password: PASSWORD, clubId, firstName: 'Mary', lastName: 'Somerville' },
      }),
    );
    const link = (await readOutbox(harness.mailDir)).find(
      (mail) => mail.to === email && mail.template === 'auth.verify-email',
    );
    const token = new URL(String(link?.data.link)).searchParams.get('token');
    await ok(harness.post('mutation($token: String!) { verifyEmail(token: $token) }', { token }));
    const login = await ok(harness.post(LOGIN, { input: { email, password: PASSWORD } }));
    return { id: data.register.user.id as string, email, token: login.login.token as string };
  }

  function memberInput(memberNumber: string) {
    return {
      memberNumber,
      firstName: 'Caroline',
      lastName: 'Herschel',
      email: `${memberNumber.toLowerCase()}@example.org`,
      membershipType: 'REGULAR',
    };
  }

  it('answers a member’s lookup of another’s number exactly as one of a number nobody has', async () => {
    const taken = await harness.as(mary.token)(BY_NUMBER, { memberNumber: 'PMC-0003' });
    const free = await harness.as(mary.token)(BY_NUMBER, { memberNumber: 'PMC-9999' });
    expect(taken.body).toEqual({ data: { memberByNumber: null } });
    expect(free.body).toEqual(taken.body);
    // Their own number still finds their own record, without the staff's notes.
    const own = await harness.as(mary.token)(BY_NUMBER, { memberNumber: 'PMC-0001' });
    expect(own.body).toEqual({
      data: { memberByNumber: { id: marysRecord, memberNumber: 'PMC-0001', notes: null } },
    });
    // Staff see the roster: for them the number exists.
    const staff = await harness.as(adminOfA)(BY_NUMBER, { memberNumber: 'PMC-0003' });
    expect(staff.body.data?.memberByNumber).toMatchObject({ id: othersRecord });
  });

  it('answers member(id) alike for another’s record and an unused id', async () => {
    const taken = await harness.as(mary.token)(BY_ID, { id: othersRecord });
    const free = await harness.as(mary.token)(BY_ID, { id: UNUSED_ID });
    expect(taken.body).toEqual({ data: { member: null } });
    expect(free.body).toEqual(taken.body);
  });

  it('answers every other lookup by member id alike: status history, card, export', async () => {
    for (const query of [HISTORY, CARD, EXPORT]) {
      const taken = await harness.as(mary.token)(query, { memberId: othersRecord });
      const free = await harness.as(mary.token)(query, { memberId: UNUSED_ID });
      const shape = (body: typeof taken.body) => ({
        data: body.data,
        errors: body.errors?.map((error) => ({
          code: error.extensions?.code,
          // The id asked for is the only difference the message may carry.
          message: error.message.replace(othersRecord, '<id>').replace(UNUSED_ID, '<id>'),
        })),
      });
      expect(taken.body.errors?.[0]?.extensions?.code, query).toBe('NOT_FOUND');
      expect(shape(taken.body), query).toEqual(shape(free.body));
    }
  });

  it('gives a caller from another club the same refusal whether the number exists or not', async () => {
    const taken = await harness.as(stranger.token)(BY_NUMBER, { memberNumber: 'PMC-0003', clubId: clubA });
    const free = await harness.as(stranger.token)(BY_NUMBER, { memberNumber: 'PMC-9999', clubId: clubA });
    expect(taken.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(free.body).toEqual(taken.body);
  });

  it('myMembership finds the caller’s own record at their home club, with the id the card needs', async () => {
    const { body } = await harness.as(mary.token)(MINE);
    expect(body.errors).toBeUndefined();
    expect(body.data?.myMembership).toEqual({
      id: marysRecord,
      clubId: clubA,
      memberNumber: 'PMC-0001',
      userId: mary.id,
      notes: null,
      status: 'PENDING',
    });
    expect(body.data?.myMemberships).toEqual([
      { id: marysRecord, clubId: clubA, memberNumber: 'PMC-0001', userId: mary.id, notes: null },
    ]);
    // The id is what the card takes, once the club has activated the membership.
    await ok(
      harness.as(adminOfA)('mutation($id: ID!) { activateMember(id: $id) { id } }', { id: marysRecord }),
    );
    const card = await ok(harness.as(mary.token)(CARD, { memberId: body.data?.myMembership.id }));
    expect(card.issueMembershipCard.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('myMemberships adds the records other clubs hold for the caller, and nobody sees another’s', async () => {
    await ok(harness.asNetworkAdmin(INVITE, { clubId: clubB, email: mary.email, role: 'MEMBER' }));
    const invitation = (await readOutbox(harness.mailDir)).findLast(
      (mail) => mail.to === mary.email && mail.template === 'auth.club-invitation',
    );
    const token = new URL(String(invitation?.data.link)).searchParams.get('token');
    const accepted = await ok(harness.post(ACCEPT, { input: { token, password: PASSWORD } }));
    const atB = (
      await ok(
        harness.asNetworkAdmin(CREATE_MEMBER, {
          input: { ...memberInput('B-17'), clubId: clubB, userId: mary.id, notes: 'staff only' },
        }),
      )
    ).createMember;

    const { body } = await harness.as(accepted.acceptClubInvitation.token)(MINE);
    expect(body.errors).toBeUndefined();
    expect(body.data?.myMembership).toMatchObject({ id: marysRecord, clubId: clubA });
    // Home club first, then the others; no staff notes anywhere.
    expect(body.data?.myMemberships).toEqual([
      { id: marysRecord, clubId: clubA, memberNumber: 'PMC-0001', userId: mary.id, notes: null },
      { id: atB.id, clubId: clubB, memberNumber: 'B-17', userId: mary.id, notes: null },
    ]);

    // The stranger (a member of B, no record anywhere) sees none of Mary's.
    const theirs = await harness.as(stranger.token)(MINE);
    expect(theirs.body).toEqual({ data: { myMembership: null, myMemberships: [] } });
    // Anonymous callers are told to sign in.
    const anonymous = await harness.post('{ myMemberships { id } }');
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

/** The data of a successful response; fails the test with the errors otherwise. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary response shapes
async function ok(response: Promise<{ body: { data?: Record<string, any>; errors?: unknown[] } }>) {
  const { body } = await response;
  expect(body.errors).toBeUndefined();
  return body.data!;
}

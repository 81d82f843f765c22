import { readOutbox } from '@clubland/notify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayHarness, setupGateway } from './setup.ts';

const CREATE = 'mutation($input: CreateClubInput!) { createClub(input: $input) { id slug status } }';
const UPDATE =
  'mutation($id: ID!, $input: UpdateClubInput!) { updateClub(id: $id, input: $input) { id name slug } }';
const SET_STATUS =
  'mutation($id: ID!, $status: ClubStatus!, $reason: String!) { setClubStatus(id: $id, status: $status, reason: $reason) { id status } }';
const INVITE_ADMIN =
  'mutation($clubId: ID!, $email: String!) { inviteClubAdmin(clubId: $clubId, email: $email) { clubId email role expiresAt } }';
const ACCEPT =
  'mutation($input: AcceptClubInvitationInput!) { acceptClubInvitation(input: $input) { token user { email clubId roles } } }';
const CLUB = 'query($id: ID!) { club(id: $id) { name slug status location address { city } } }';
const PASSWORD = 'Club-Admin-Password-1';
const london = {
  street: '104 Pall Mall',
  city: 'London',
  state: '',
  postalCode: 'SW1Y 5EP',
  country: 'United Kingdom',
};

/** Onboarding through GraphQL: network administrators register clubs and appoint their first admin by email. */
describe('club onboarding through the gateway', () => {
  let harness: GatewayHarness;
  let pallMall: string;
  let reform: string;
  let clubAdminToken: string;
  let memberToken: string;

  beforeAll(async () => {
    harness = await setupGateway();
    const created = await harness.asNetworkAdmin(CREATE, {
      input: {
        name: 'The Pall Mall Club',
        slug: 'pall-mall-club',
        address: london,
        latitude: 51.5066,
        longitude: -0.1337,
      },
    });
    expect(created.body.errors).toBeUndefined();
    pallMall = created.body.data?.createClub.id;
    reform = (await harness.asNetworkAdmin(CREATE, { input: { name: 'The Reform Club', slug: 'reform' } }))
      .body.data?.createClub.id;

    const invited = await harness.asNetworkAdmin(INVITE_ADMIN, {
      clubId: pallMall,
      email: 'henry@example.org',
    });
    expect(invited.body.data?.inviteClubAdmin).toMatchObject({
      clubId: pallMall,
      email: 'henry@example.org',
      role: 'CLUB_ADMIN',
    });
    const accepted = await harness.post(ACCEPT, {
      input: {
        token: await invitationToken('henry@example.org'),
        password: PASSWORD,
        firstName: 'Henry',
        lastName: 'Wotton',
      },
    });
    expect(accepted.body.data?.acceptClubInvitation.user).toEqual({
      email: 'henry@example.org',
      clubId: pallMall,
      roles: ['CLUB_ADMIN'],
    });
    clubAdminToken = accepted.body.data?.acceptClubInvitation.token;
    const registered = await harness.post(
      'mutation($input: RegisterInput!) { register(input: $input) { token } }',
      {
        input: {
          email: 'ada@example.org',
          password: PASSWORD,
          clubId: pallMall,
          firstName: 'Ada',
          lastName: 'Lovelace',
        },
      },
    );
    memberToken = registered.body.data?.register.token;
  });
  afterAll(async () => {
    await harness.close();
  });

  async function invitationToken(email: string): Promise<string> {
    const mail = (await readOutbox(harness.mailDir)).filter(
      (m) => m.to === email && m.template === 'auth.club-invitation',
    );
    return new URL(String(mail.at(-1)?.data.link)).searchParams.get('token')!;
  }

  async function clubs() {
    return Promise.all(
      [pallMall, reform].map(async (id) => (await harness.post(CLUB, { id })).body.data?.club),
    );
  }

  it('refuses createClub, updateClub and setClubStatus to a member and to nobody, and changes nothing', async () => {
    const before = await clubs();
    const attempts = [
      [CREATE, { input: { name: 'Rogue', slug: 'rogue-club' } }],
      [UPDATE, { id: pallMall, input: { name: 'Rogue' } }],
      [SET_STATUS, { id: pallMall, status: 'SUSPENDED', reason: 'because' }],
    ] as const;
    for (const [query, variables] of attempts) {
      const asMember = await harness.as(memberToken)(query, variables);
      expect(asMember.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const anonymous = await harness.post(query, variables);
      expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(await clubs()).toEqual(before);
    const listed = await harness.post('{ clubs { pageInfo { totalCount } } }');
    expect(listed.body.data?.clubs.pageInfo.totalCount).toBe(2);
  });

  it('lets a club admin edit their own club but neither another club nor any club’s status', async () => {
    const own = await harness.as(clubAdminToken)(UPDATE, { id: pallMall, input: { name: 'The Pall Mall' } });
    expect(own.body.data?.updateClub).toEqual({
      id: pallMall,
      name: 'The Pall Mall',
      slug: 'pall-mall-club',
    });
    const before = await clubs();
    const other = await harness.as(clubAdminToken)(UPDATE, { id: reform, input: { name: 'Taken Over' } });
    expect(other.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const status = await harness.as(clubAdminToken)(SET_STATUS, {
      id: pallMall,
      status: 'INACTIVE',
      reason: 'closing',
    });
    expect(status.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await clubs()).toEqual(before);
  });

  it('answers a bad slug, a taken slug and a malformed address with BAD_USER_INPUT naming the field', async () => {
    const before = await clubs();
    const cases = [
      [CREATE, { input: { name: 'X', slug: 'Not A Slug' } }, 'slug'],
      [CREATE, { input: { name: 'X', slug: 'reform' } }, 'slug'],
      [CREATE, { input: { name: 'X', slug: 'good-slug', address: { ...london, city: '' } } }, 'address.city'],
      [UPDATE, { id: pallMall, input: { slug: 'reform' } }, 'slug'],
      [UPDATE, { id: pallMall, input: { slug: '-bad-' } }, 'slug'],
      [UPDATE, { id: pallMall, input: { address: { ...london, country: '' } } }, 'address.country'],
    ] as const;
    for (const [query, variables, field] of cases) {
      const { body } = await harness.asNetworkAdmin(query, variables);
      expect(body.errors?.[0]?.extensions, JSON.stringify(variables)).toEqual({
        code: 'BAD_USER_INPUT',
        field,
      });
    }
    expect(await clubs()).toEqual(before);
  });

  it('lets a network administrator suspend a club with a reason', async () => {
    const { body } = await harness.asNetworkAdmin(SET_STATUS, {
      id: reform,
      status: 'SUSPENDED',
      reason: 'dues unpaid',
    });
    expect(body.data?.setClubStatus).toEqual({ id: reform, status: 'SUSPENDED' });
  });

  it('refuses an invitation link the second time', async () => {
    await harness.asNetworkAdmin(INVITE_ADMIN, { clubId: pallMall, email: 'second@example.org' });
    const token = await invitationToken('second@example.org');
    const input = { token, password: PASSWORD, firstName: 'Second', lastName: 'Admin' };
    expect((await harness.post(ACCEPT, { input })).body.errors).toBeUndefined();
    const again = await harness.post(ACCEPT, { input });
    expect(again.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'token' });
  });
});

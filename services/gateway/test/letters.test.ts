import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Principal } from '@clubland/authz';
import { ClubError } from '@clubland/errors';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkAdminCaller, principalWith } from '../../member/test/setup.ts';
import { type GatewayHarness, setupGateway } from './setup.ts';

/**
 * Letters of introduction through GraphQL: the mobile contract's LOI operations (issueLOI, loi,
 * verifyLOI, approveLOI, declineLOI) and ours (revokeLOI, reissueLOI, lettersOfIntroduction,
 * myLettersOfIntroduction), over the real reciprocal and member services. Tokens stand for
 * principals (a verifier that maps one to the other): token checking is tested in the auth service.
 */
const LOI_FIELDS = `id memberId homeClubId visitingClubId purpose requestedDate issuedDate expiryDate durationDays
  status blockchainTxId approvedBy approvedAt guestCount arrivesOn departsOn delivery statusReason replacesId code`;

describe('letters of introduction through GraphQL', () => {
  let gateway: GatewayHarness;
  const principals = new Map<string, Principal>();
  let home: string;
  let host: string;
  let third: string;
  let memberId: string;
  let memberEmail: string;

  function tokenFor(principal: Principal): string {
    const token = `token-${uuidv7()}`;
    principals.set(token, principal);
    return token;
  }
  const as = (principal: Principal) => gateway.as(tokenFor(principal));

  beforeAll(async () => {
    gateway = await setupGateway({
      gateway: {
        callerVerifier: {
          async verify(token: string) {
            const principal = principals.get(token);
            if (!principal) throw new ClubError('request.unauthenticated', 'bad token');
            return principal;
          },
        },
      },
    });
    const club = async (name: string) =>
      (
        await gateway.clubRegistry.createClub({
          name,
          slug: `${name.toLowerCase()}-${uuidv7().slice(-8)}`,
          caller: networkAdminCaller(),
        })
      ).club!.id;
    home = await club('Home');
    host = await club('Host');
    third = await club('Third');
    const admin = as(principalWith('CLUB_ADMIN', home));
    memberEmail = `loi-${uuidv7().slice(-8)}@example.org`;
    const created = await admin(
      `mutation($input: CreateMemberInput!) { createMember(input: $input) { id } }`,
      {
        input: {
          clubId: home,
          memberNumber: 'L1',
          firstName: 'Grace',
          lastName: 'Visitor',
          email: memberEmail,
          membershipType: 'REGULAR',
        },
      },
    );
    memberId = created.body.data!.createMember.id;
    await admin(`mutation($id: ID!, $clubId: ID) { activateMember(id: $id, clubId: $clubId) { id } }`, {
      id: memberId,
      clubId: home,
    });
  });
  afterAll(() => gateway.close());

  const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

  it('issues, approves and verifies a letter, with its history, and emails it to the member', async () => {
    const homeStaff = as(principalWith('STAFF', home));
    const issued = await homeStaff(
      `mutation($input: IssueLOIInput!) { issueLOI(input: $input) { ${LOI_FIELDS} } }`,
      {
        input: {
          memberId,
          homeClubId: home,
          visitingClubId: host,
          purpose: 'Business dinner',
          requestedDate: `${tomorrow()}T00:00:00Z`,
          durationDays: 2,
          guestCount: 1,
          delivery: 'ALL',
        },
      },
    );
    expect(issued.body.errors).toBeUndefined();
    const letter = issued.body.data!.issueLOI;
    expect(letter).toMatchObject({
      memberId,
      homeClubId: home,
      visitingClubId: host,
      status: 'PENDING',
      durationDays: 2,
      arrivesOn: tomorrow(),
      delivery: 'ALL',
      approvedBy: null,
    });
    expect(letter.code).toBe(`clubland:loi:${letter.id}`);
    expect(letter.blockchainTxId).toEqual(expect.any(String));
    const mails = readdirSync(gateway.mailDir).map((name) =>
      JSON.parse(readFileSync(join(gateway.mailDir, name), 'utf8')),
    );
    expect(mails.find((mail) => mail.to === memberEmail)).toMatchObject({
      template: 'reciprocal.letter-issued',
    });

    const hostStaffPrincipal = principalWith('STAFF', host);
    const hostStaff = as(hostStaffPrincipal);
    const refused = await homeStaff(`mutation($id: ID!) { approveLOI(id: $id, approverID: "me") { id } }`, {
      id: letter.id,
    });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const approved = await hostStaff(
      `mutation($id: ID!) { approveLOI(id: $id, approverID: "ignored") { status approvedBy approvedAt } }`,
      {
        id: letter.id,
      },
    );
    expect(approved.body.data!.approveLOI).toMatchObject({
      status: 'APPROVED',
      approvedBy: hostStaffPrincipal.userId,
    });

    const read = await hostStaff(
      `query($id: ID!) { loi(id: $id) { status history { fromStatus toStatus changedBy } } verifyLOI(id: $id) { valid status message } }`,
      { id: letter.id },
    );
    expect(read.body.data!.loi.history.map((c: { toStatus: string }) => c.toStatus)).toEqual([
      'PENDING',
      'APPROVED',
    ]);
    // Valid from tomorrow, not today.
    expect(read.body.data!.verifyLOI).toMatchObject({ valid: false, status: 'APPROVED' });

    const listed = await hostStaff(
      `query($filter: LOIFilter) { lettersOfIntroduction(filter: $filter) { nodes { id } pageInfo { total } } }`,
      { filter: { clubId: host, side: 'HOST', status: 'APPROVED' } },
    );
    expect(listed.body.data!.lettersOfIntroduction.nodes.map((n: { id: string }) => n.id)).toContain(
      letter.id,
    );

    const reissued = await homeStaff(
      `mutation($id: ID!, $input: ReissueLOIInput!) { reissueLOI(id: $id, input: $input) { id status replacesId durationDays } }`,
      { id: letter.id, input: { durationDays: 3, reason: 'longer stay' } },
    );
    expect(reissued.body.data!.reissueLOI).toMatchObject({
      status: 'PENDING',
      replacesId: letter.id,
      durationDays: 3,
    });
    const old = await homeStaff(`query($id: ID!) { loi(id: $id) { status statusReason } }`, {
      id: letter.id,
    });
    expect(old.body.data!.loi.status).toBe('REVOKED');

    const declined = await hostStaff(
      `mutation($id: ID!) { declineLOI(id: $id, reason: "closed for refurbishment") { status statusReason } }`,
      { id: reissued.body.data!.reissueLOI.id },
    );
    expect(declined.body.data!.declineLOI).toEqual({
      status: 'DECLINED',
      statusReason: 'closed for refurbishment',
    });
  });

  it('answers a third club with nothing, and a duplicate letter with CONFLICT', async () => {
    const homeStaff = as(principalWith('STAFF', home));
    const input = {
      memberId,
      visitingClubId: third,
      purpose: 'Tennis',
      requestedDate: `${tomorrow()}T00:00:00Z`,
      durationDays: 1,
    };
    const first = await homeStaff(`mutation($input: IssueLOIInput!) { issueLOI(input: $input) { id } }`, {
      input: { ...input, homeClubId: home },
    });
    const id = first.body.data!.issueLOI.id;
    const second = await homeStaff(`mutation($input: IssueLOIInput!) { issueLOI(input: $input) { id } }`, {
      input: { ...input, homeClubId: home },
    });
    expect(second.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const outsider = as(principalWith('STAFF', host));
    const seen = await outsider(`query($id: ID!) { loi(id: $id) { id } verifyLOI(id: $id) { valid } }`, {
      id,
    });
    expect(seen.body.data).toEqual({ loi: null, verifyLOI: null });
    const revoke = await outsider(`mutation($id: ID!) { revokeLOI(id: $id) { id } }`, { id });
    expect(revoke.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const revoked = await homeStaff(
      `mutation($id: ID!) { revokeLOI(id: $id, reason: "cancelled") { status } }`,
      { id },
    );
    expect(revoked.body.data!.revokeLOI.status).toBe('REVOKED');
  });

  it('refuses bad dates as BAD_USER_INPUT naming the field, and lists a member’s own letters', async () => {
    const homeStaff = as(principalWith('STAFF', home));
    const past = await homeStaff(`mutation($input: IssueLOIInput!) { issueLOI(input: $input) { id } }`, {
      input: {
        memberId,
        homeClubId: home,
        visitingClubId: host,
        purpose: 'Golf',
        requestedDate: '2020-01-01T00:00:00Z',
        durationDays: 1,
      },
    });
    expect(past.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'arrivesOn' });
    const tooLong = await homeStaff(`mutation($input: IssueLOIInput!) { issueLOI(input: $input) { id } }`, {
      input: {
        memberId,
        homeClubId: home,
        visitingClubId: host,
        purpose: 'Golf',
        requestedDate: `${tomorrow()}T00:00:00Z`,
        durationDays: 91,
      },
    });
    expect(tooLong.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.durationDays',
    });

    const stranger = as(principalWith('MEMBER', home));
    const mine = await stranger(`{ myLettersOfIntroduction { nodes { id } pageInfo { total } } }`);
    expect(mine.body.data!.myLettersOfIntroduction).toEqual({ nodes: [], pageInfo: { total: 0 } });
  });
});

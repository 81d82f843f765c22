import { readFileSync } from 'node:fs';
import { readOutbox } from '@clubland/notify';
import { expect } from 'vitest';
import type { GatewayHarness, GraphqlBody } from './setup.ts';

/**
 * The people of the reciprocal tests, made through the API as they are in life: clubs registered
 * by the network administrator, accounts that register, verify their email (until then they hold
 * no role, not even MEMBER) and sign in, roles granted by the network administrator, member
 * records the club's admin creates for an account and activates.
 */

const OPERATIONS = new URL('../../../contract/mobile-client/operations/', import.meta.url);
/** A mobile client's operation exactly as the app sends it, e.g. `bookings/visits`. */
export const mobileOperation = (name: string) => readFileSync(new URL(`${name}.graphql`, OPERATIONS), 'utf8');

export const PASSWORD = 'Correct-Horse-Battery-9';
const REGISTER = 'mutation($input: RegisterInput!) { register(input: $input) { user { id } } }';
const LOGIN = 'mutation($input: LoginInput!) { login(input: $input) { token } }';
const CREATE_CLUB = 'mutation($input: CreateClubInput!) { createClub(input: $input) { id } }';
const GRANT =
  'mutation($userId: ID!, $role: String!, $clubId: ID) { grantRole(userId: $userId, role: $role, clubId: $clubId) { id } }';
const CREATE_MEMBER = 'mutation($input: CreateMemberInput!) { createMember(input: $input) { id } }';
const ACTIVATE = 'mutation($id: ID!, $clubId: ID) { activateMember(id: $id, clubId: $clubId) { id } }';

export type As = (query: string, variables?: Record<string, unknown>) => Promise<{ body: GraphqlBody }>;

export interface Account {
  userId: string;
  email: string;
  token: string;
  /** POST as this account. */
  as: As;
}

/** The answer's data; its errors, if any, fail the test with the errors shown. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary response shapes
export async function data(request: Promise<{ body: GraphqlBody }>): Promise<Record<string, any>> {
  const { body } = await request;
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

/** The answer's one error's extensions (its code, and the field or reasons it exposes). */
export async function errorOf(request: Promise<{ body: GraphqlBody }>) {
  const { body } = await request;
  expect(body.errors, JSON.stringify(body)).toHaveLength(1);
  return body.errors![0]!.extensions as { code: string; field?: string; reasons?: string[] };
}

export function reciprocalFixtures(harness: GatewayHarness) {
  let serial = 0;
  const next = () => {
    serial += 1;
    return serial;
  };

  /**
   * An account registered at `clubId` with its email verified (unless `verified` is false: then it
   * holds no role), granted `role` there when given, signed in.
   */
  async function account(
    clubId: string,
    options: { role?: string; firstName?: string; lastName?: string; verified?: boolean } = {},
  ): Promise<Account> {
    const email = `person-${next()}-${clubId.slice(-8)}@example.org`;
    const { register } = await data(
      harness.post(REGISTER, {
        input: {
          email,
          password: PASSWORD,
          clubId,
          firstName: options.firstName ?? 'Club',
          lastName: options.lastName ?? `Person ${serial}`,
        },
      }),
    );
    const userId: string = register.user.id;
    if (options.verified === false) return signIn(userId, email);
    const mail = (await readOutbox(harness.mailDir)).find(
      (sent) => sent.to === email && sent.template === 'auth.verify-email',
    );
    const token = new URL(String(mail?.data.link)).searchParams.get('token');
    await data(harness.post('mutation($token: String!) { verifyEmail(token: $token) }', { token }));
    if (options.role) await data(harness.asNetworkAdmin(GRANT, { userId, role: options.role, clubId }));
    return signIn(userId, email);
  }

  /** Signed in afresh: the token carries the roles and the account's standing as they are now. */
  async function signIn(userId: string, email: string): Promise<Account> {
    const { login } = await data(harness.post(LOGIN, { input: { email, password: PASSWORD } }));
    return { userId, email, token: login.token, as: harness.as(login.token) };
  }

  return {
    account,

    /** A club registered by the network administrator; `input` adds to its name and a unique slug. */
    async club(name: string, input: Record<string, unknown> = {}): Promise<string> {
      const slug = `${name.toLowerCase().replace(/[^a-z]+/g, '-')}-${next()}-${Date.now()}`;
      return (await data(harness.asNetworkAdmin(CREATE_CLUB, { input: { name, slug, ...input } }))).createClub
        .id;
    },

    /**
     * A member of `clubId` with an account: the account registers at the club, the club's admin
     * (`admin`) creates the member record for it and activates it.
     */
    async member(
      clubId: string,
      admin: As,
      person: { memberNumber: string; firstName: string; lastName: string; verified?: boolean },
    ): Promise<Account & { memberId: string; memberNumber: string }> {
      const signedUp = await account(clubId, person);
      const { createMember } = await data(
        admin(CREATE_MEMBER, {
          input: {
            clubId,
            userId: signedUp.userId,
            memberNumber: person.memberNumber,
            firstName: person.firstName,
            lastName: person.lastName,
            email: `${person.memberNumber.toLowerCase()}@example.org`,
            membershipType: 'REGULAR',
          },
        }),
      );
      await data(admin(ACTIVATE, { id: createMember.id, clubId }));
      // The record linked to the account outdates the token it had, once the auth service hears of it
      // (over the bus: on NATS, some time after this). A verified account's MEMBER grant is in force
      // from then on: sign in until a token carries it, so no later event of this setup outdates it.
      let signedIn = await signIn(signedUp.userId, signedUp.email);
      for (let attempt = 0; person.verified !== false; attempt++) {
        const { body } = await signedIn.as('{ me { permissions } }');
        if (!body.errors && ((body.data?.me?.permissions ?? []) as string[]).includes('visit:request')) break;
        if (attempt > 300) throw new Error(`the MEMBER grant of ${signedUp.email} never came into force`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        signedIn = await signIn(signedUp.userId, signedUp.email);
      }
      return {
        ...signedIn,
        memberId: createMember.id,
        memberNumber: person.memberNumber,
      };
    },
  };
}

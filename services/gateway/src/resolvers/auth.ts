import { type AuthService, type SignInResponse, type User, UserStatus } from '@clubland/contract/auth/v1';
import { ClubError, invalidInput } from '@clubland/errors';
import type { Client } from '@connectrpc/connect';
import type { FastifyReply } from 'fastify';
import { type Caller, metaOf } from '../caller.ts';
import type {
  AuthPayload,
  User as GraphqlUser,
  UserStatus as GraphqlUserStatus,
  MutationGrantRoleArgs,
  MutationResolvers,
  PasskeyCredentialInput,
  PasskeyUser,
  QueryResolvers,
} from '../generated/graphql.ts';
import { deviceTokenOf, handOverDevice } from '../known-device.ts';
import { optionalIso, requiredIso } from './timestamps.ts';

type AuthClient = Client<typeof AuthService>;

const statusNames: Record<UserStatus, GraphqlUserStatus> = {
  [UserStatus.UNSPECIFIED]: 'PENDING_VERIFICATION',
  [UserStatus.ACTIVE]: 'ACTIVE',
  [UserStatus.INACTIVE]: 'INACTIVE',
  [UserStatus.SUSPENDED]: 'SUSPENDED',
  [UserStatus.LOCKED]: 'LOCKED',
  [UserStatus.PENDING_VERIFICATION]: 'PENDING_VERIFICATION',
};
const statusValues: Record<GraphqlUserStatus, UserStatus> = {
  ACTIVE: UserStatus.ACTIVE,
  INACTIVE: UserStatus.INACTIVE,
  SUSPENDED: UserStatus.SUSPENDED,
  LOCKED: UserStatus.LOCKED,
  PENDING_VERIFICATION: UserStatus.PENDING_VERIFICATION,
};

/** What every call to the auth service carries: the caller's token and origin. */
/** A sign-in's meta: the caller's, and the known-device token the client presents (known-device.ts). */
export function signInMetaOf(caller: Caller, reply: FastifyReply | undefined) {
  return { ...metaOf(caller), deviceToken: deviceTokenOf(reply?.request) };
}

/** The payload of a sign-in, once the client has been handed its device token for the next one. */
export function signedIn(reply: FastifyReply | undefined, response: SignInResponse): AuthPayload {
  handOverDevice(reply, response.deviceToken);
  return toAuthPayload(response);
}

export function authResolvers(auth: AuthClient): { Query: QueryResolvers; Mutation: MutationResolvers } {
  return {
    Query: {
      async me(_root, _args, { caller }) {
        if (!(await caller.principal())) return null;
        const { user } = await auth.getUser({ meta: metaOf(caller), userId: '' });
        return user ? toUser(user) : null;
      },
    },
    Mutation: {
      async register(_root, { input }, { caller, reply }) {
        return signedIn(
          reply,
          await auth.register({
            meta: signInMetaOf(caller, reply),
            email: input.email,
            password: input.password,
            username: input.username ?? '',
            clubId: input.clubId,
            firstName: input.firstName,
            lastName: input.lastName,
          }),
        );
      },
      async login(_root, { input }, { caller, reply }) {
        const meta = signInMetaOf(caller, reply);
        return signedIn(reply, await auth.login({ meta, email: input.email, password: input.password }));
      },
      async completeMfaLogin(_root, args, { caller, reply }) {
        return signedIn(reply, await auth.completeMfaLogin({ meta: signInMetaOf(caller, reply), ...args }));
      },
      async refreshToken(_root, args, { caller }) {
        return toAuthPayload(
          await auth.refreshSession({ meta: metaOf(caller), refreshToken: args.refreshToken }),
        );
      },
      async logout(_root, _args, { caller }) {
        await caller.requirePrincipal();
        return (await auth.logout({ meta: metaOf(caller) })).loggedOut;
      },
      async initiatePasskeyRegistration(_root, _args, { caller }) {
        const ceremony = await auth.initiatePasskeyRegistration({ meta: metaOf(caller) });
        return { options: parseJson(ceremony.optionsJson), userId: ceremony.userId };
      },
      async completePasskeyRegistration(_root, args, { caller }) {
        await auth.completePasskeyRegistration({
          meta: metaOf(caller),
          credentialJson: credentialJson(args.credential),
        });
        return true;
      },
      async initiatePasskeyLogin(_root, args, { caller }) {
        const ceremony = await auth.initiatePasskeyLogin({ meta: metaOf(caller), ...args });
        return { options: parseJson(ceremony.optionsJson), userId: ceremony.userId || null };
      },
      async completePasskeyLogin(_root, args, { caller, reply }) {
        const response = await auth.completePasskeyLogin({
          meta: signInMetaOf(caller, reply),
          clubSlug: args.clubSlug,
          userId: args.userId,
          credentialJson: credentialJson(args.credential),
        });
        const payload = signedIn(reply, response);
        return { ...payload, user: toPasskeyUser(response.user!) };
      },
      async syncUser(_root, _args, { caller }) {
        if (caller.token === '') throw new ClubError('request.unauthenticated', 'sign in with Hanko first');
        const { user } = await auth.syncHankoUser({ meta: metaOf(caller), hankoToken: caller.token });
        return toUser(required(user));
      },
      async updateUser(_root, args, { caller }) {
        await caller.requirePrincipal();
        const { user } = await auth.updateUser({
          meta: metaOf(caller),
          userId: args.id,
          ...(args.firstName == null ? {} : { firstName: args.firstName }),
          ...(args.lastName == null ? {} : { lastName: args.lastName }),
          ...(args.status == null ? {} : { status: statusValues[args.status] }),
        });
        return toUser(required(user));
      },
      async requestEmailVerification(_root, _args, { caller }) {
        await caller.requirePrincipal();
        await auth.requestEmailVerification({ meta: metaOf(caller) });
        return true;
      },
      async verifyEmail(_root, args, { caller }) {
        await auth.verifyEmail({ meta: metaOf(caller), token: args.token });
        return true;
      },
      async requestPasswordReset(_root, args, { caller }) {
        await auth.requestPasswordReset({ meta: metaOf(caller), email: args.email });
        return true;
      },
      async resetPassword(_root, args, { caller }) {
        await auth.resetPassword({ meta: metaOf(caller), ...args });
        return true;
      },
      async beginTotpEnrolment(_root, _args, { caller }) {
        await caller.requirePrincipal();
        return auth.beginTotpEnrolment({ meta: metaOf(caller) });
      },
      async confirmTotpEnrolment(_root, args, { caller }) {
        await caller.requirePrincipal();
        return (await auth.confirmTotpEnrolment({ meta: metaOf(caller), code: args.code })).recoveryCodes;
      },
      async disableTotp(_root, args, { caller }) {
        await caller.requirePrincipal();
        await auth.disableTotp({ meta: metaOf(caller), code: args.code });
        return true;
      },
      async grantRole(_root, args, { caller }) {
        await caller.requirePrincipal();
        const { user } = await auth.grantRole({ meta: metaOf(caller), ...roleArgs(args) });
        return toUser(required(user));
      },
      async revokeRole(_root, args, { caller }) {
        await caller.requirePrincipal();
        const { user } = await auth.revokeRole({ meta: metaOf(caller), ...roleArgs(args) });
        return toUser(required(user));
      },
    },
  };
}

function roleArgs(args: MutationGrantRoleArgs) {
  return { userId: args.userId, role: args.role, clubId: args.clubId ?? '' };
}

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the auth service answered without a user');
  return value;
}

function parseJson(text: string): unknown {
  return text === '' ? null : JSON.parse(text);
}

/** The WebAuthn JSON form the auth service verifies, from the GraphQL input. */
function credentialJson(credential: PasskeyCredentialInput): string {
  if (typeof credential.response !== 'object' || credential.response === null) {
    throw invalidInput('credential.response', 'credential.response must be an object');
  }
  return JSON.stringify({
    id: credential.id,
    rawId: credential.rawId,
    type: credential.type,
    response: credential.response,
    clientExtensionResults: credential.clientExtensionResults ?? {},
    ...(credential.authenticatorAttachment
      ? { authenticatorAttachment: credential.authenticatorAttachment }
      : {}),
  });
}

/** An MFA-enabled login has no tokens yet: the client gets MFA_REQUIRED with the token to finish. */
export function toAuthPayload(response: SignInResponse): AuthPayload {
  if (response.mfaRequired) {
    throw new ClubError('auth.mfa_required', 'a second factor is required', { mfaToken: response.mfaToken });
  }
  return {
    token: response.accessToken,
    refreshToken: response.refreshToken,
    expiresAt: requiredIso(response.accessTokenExpiresAt, "the session's accessTokenExpiresAt"),
    user: toUser(required(response.user)),
  };
}

function roleNamesAtHome(user: User): string[] {
  const names = user.roles
    .filter((grant) => grant.clubId === user.clubId || grant.role === 'NETWORK_ADMIN')
    .map((grant) => grant.role);
  return [...new Set(names)];
}

/** Output guard: exactly the fields the SDL declares. */
function toUser(user: User): GraphqlUser {
  return {
    id: user.id,
    clubId: user.clubId,
    email: user.email,
    username: user.username || null,
    firstName: user.firstName || null,
    lastName: user.lastName || null,
    status: statusNames[user.status],
    roles: roleNamesAtHome(user),
    permissions: user.permissions,
    roleGrants: user.roles.map((grant) => ({ role: grant.role, clubId: grant.clubId || null })),
    emailVerified: user.emailVerified,
    mfaEnabled: user.mfaEnabled,
    createdAt: requiredIso(user.createdAt, "the user's createdAt"),
    updatedAt: requiredIso(user.updatedAt, "the user's updatedAt"),
    lastLoginAt: optionalIso(user.lastLoginAt),
  };
}

function toPasskeyUser(user: User): PasskeyUser {
  const { roles, permissions, roleGrants, emailVerified, mfaEnabled, ...rest } = toUser(user);
  return { ...rest, roles: roles.map((name) => ({ name, clubId: user.clubId, permissions })) };
}

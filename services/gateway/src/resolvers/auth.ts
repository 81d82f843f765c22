import { timestampDate } from '@bufbuild/protobuf/wkt';
import { type AuthService, type SignInResponse, type User, UserStatus } from '@clubland/contract/auth/v1';
import { ClubError, invalidInput } from '@clubland/errors';
import type { Client } from '@connectrpc/connect';
import type { Caller } from '../caller.ts';

type AuthClient = Client<typeof AuthService>;
interface Context {
  caller: Caller;
}

const statusNames: Record<UserStatus, string> = {
  [UserStatus.UNSPECIFIED]: 'PENDING_VERIFICATION',
  [UserStatus.ACTIVE]: 'ACTIVE',
  [UserStatus.INACTIVE]: 'INACTIVE',
  [UserStatus.SUSPENDED]: 'SUSPENDED',
  [UserStatus.LOCKED]: 'LOCKED',
  [UserStatus.PENDING_VERIFICATION]: 'PENDING_VERIFICATION',
};
const statusValues = Object.fromEntries(
  Object.entries(statusNames)
    .filter(([value]) => Number(value) !== UserStatus.UNSPECIFIED)
    .map(([value, name]) => [name, Number(value) as UserStatus]),
);

/** What every call to the auth service carries: the caller's token and origin. */
function metaOf(caller: Caller) {
  return { accessToken: caller.token, ip: caller.ip, userAgent: caller.userAgent };
}

interface PasskeyCredentialArg {
  id: string;
  rawId: string;
  type: string;
  response: unknown;
  clientExtensionResults?: unknown;
  authenticatorAttachment?: string | null;
}

export function authResolvers(auth: AuthClient) {
  return {
    Query: {
      async me(_root: unknown, _args: unknown, { caller }: Context) {
        if (!(await caller.principal())) return null;
        const { user } = await auth.getUser({ meta: metaOf(caller), userId: '' });
        return user ? toUser(user) : null;
      },
    },
    Mutation: {
      async register(_root: unknown, { input }: { input: RegisterArgs }, { caller }: Context) {
        return toAuthPayload(
          await auth.register({
            meta: metaOf(caller),
            email: input.email,
            password: input.password,
            username: input.username ?? '',
            clubId: input.clubId,
            firstName: input.firstName,
            lastName: input.lastName,
          }),
        );
      },
      async login(
        _root: unknown,
        { input }: { input: { email: string; password: string } },
        { caller }: Context,
      ) {
        return toAuthPayload(
          await auth.login({ meta: metaOf(caller), email: input.email, password: input.password }),
        );
      },
      async completeMfaLogin(_root: unknown, args: { mfaToken: string; code: string }, { caller }: Context) {
        return toAuthPayload(await auth.completeMfaLogin({ meta: metaOf(caller), ...args }));
      },
      async refreshToken(_root: unknown, args: { refreshToken: string }, { caller }: Context) {
        return toAuthPayload(
          await auth.refreshSession({ meta: metaOf(caller), refreshToken: args.refreshToken }),
        );
      },
      async logout(_root: unknown, _args: unknown, { caller }: Context) {
        await caller.requirePrincipal();
        return (await auth.logout({ meta: metaOf(caller) })).loggedOut;
      },
      async initiatePasskeyRegistration(_root: unknown, _args: unknown, { caller }: Context) {
        const ceremony = await auth.initiatePasskeyRegistration({ meta: metaOf(caller) });
        return { options: parseJson(ceremony.optionsJson), userId: ceremony.userId };
      },
      async completePasskeyRegistration(
        _root: unknown,
        args: { credential: PasskeyCredentialArg },
        { caller }: Context,
      ) {
        await auth.completePasskeyRegistration({
          meta: metaOf(caller),
          credentialJson: credentialJson(args.credential),
        });
        return true;
      },
      async initiatePasskeyLogin(
        _root: unknown,
        args: { email: string; clubSlug: string },
        { caller }: Context,
      ) {
        const ceremony = await auth.initiatePasskeyLogin({ meta: metaOf(caller), ...args });
        return { options: parseJson(ceremony.optionsJson), userId: ceremony.userId || null };
      },
      async completePasskeyLogin(
        _root: unknown,
        args: { clubSlug: string; userId: string; credential: PasskeyCredentialArg },
        { caller }: Context,
      ) {
        const response = await auth.completePasskeyLogin({
          meta: metaOf(caller),
          clubSlug: args.clubSlug,
          userId: args.userId,
          credentialJson: credentialJson(args.credential),
        });
        const payload = toAuthPayload(response);
        return { ...payload, user: toPasskeyUser(response.user!) };
      },
      async syncUser(_root: unknown, _args: unknown, { caller }: Context) {
        if (caller.token === '') throw new ClubError('request.unauthenticated', 'sign in with Hanko first');
        const { user } = await auth.syncHankoUser({ meta: metaOf(caller), hankoToken: caller.token });
        return toUser(required(user));
      },
      async updateUser(
        _root: unknown,
        args: { id: string; firstName?: string | null; lastName?: string | null; status?: string | null },
        { caller }: Context,
      ) {
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
      async requestEmailVerification(_root: unknown, _args: unknown, { caller }: Context) {
        await caller.requirePrincipal();
        await auth.requestEmailVerification({ meta: metaOf(caller) });
        return true;
      },
      async verifyEmail(_root: unknown, args: { token: string }, { caller }: Context) {
        await auth.verifyEmail({ meta: metaOf(caller), token: args.token });
        return true;
      },
      async requestPasswordReset(_root: unknown, args: { email: string }, { caller }: Context) {
        await auth.requestPasswordReset({ meta: metaOf(caller), email: args.email });
        return true;
      },
      async resetPassword(_root: unknown, args: { token: string; newPassword: string }, { caller }: Context) {
        await auth.resetPassword({ meta: metaOf(caller), ...args });
        return true;
      },
      async beginTotpEnrolment(_root: unknown, _args: unknown, { caller }: Context) {
        await caller.requirePrincipal();
        return auth.beginTotpEnrolment({ meta: metaOf(caller) });
      },
      async confirmTotpEnrolment(_root: unknown, args: { code: string }, { caller }: Context) {
        await caller.requirePrincipal();
        return (await auth.confirmTotpEnrolment({ meta: metaOf(caller), code: args.code })).recoveryCodes;
      },
      async disableTotp(_root: unknown, args: { code: string }, { caller }: Context) {
        await caller.requirePrincipal();
        await auth.disableTotp({ meta: metaOf(caller), code: args.code });
        return true;
      },
      async grantRole(_root: unknown, args: RoleArgs, { caller }: Context) {
        await caller.requirePrincipal();
        const { user } = await auth.grantRole({ meta: metaOf(caller), ...roleArgs(args) });
        return toUser(required(user));
      },
      async revokeRole(_root: unknown, args: RoleArgs, { caller }: Context) {
        await caller.requirePrincipal();
        const { user } = await auth.revokeRole({ meta: metaOf(caller), ...roleArgs(args) });
        return toUser(required(user));
      },
    },
  };
}

interface RegisterArgs {
  email: string;
  password: string;
  username?: string | null;
  clubId: string;
  firstName: string;
  lastName: string;
}

interface RoleArgs {
  userId: string;
  role: string;
  clubId?: string | null;
}

function roleArgs(args: RoleArgs) {
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
function credentialJson(credential: PasskeyCredentialArg): string {
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
function toAuthPayload(response: SignInResponse) {
  if (response.mfaRequired) {
    throw new ClubError('auth.mfa_required', 'a second factor is required', { mfaToken: response.mfaToken });
  }
  return {
    token: response.accessToken,
    refreshToken: response.refreshToken,
    expiresAt: iso(response.accessTokenExpiresAt),
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
function toUser(user: User) {
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
    createdAt: iso(user.createdAt),
    updatedAt: iso(user.updatedAt),
    lastLoginAt: user.lastLoginAt ? iso(user.lastLoginAt) : null,
  };
}

function toPasskeyUser(user: User) {
  const { roles, permissions, roleGrants, emailVerified, mfaEnabled, ...rest } = toUser(user);
  return { ...rest, roles: roles.map((name) => ({ name, clubId: user.clubId, permissions })) };
}

function iso(timestamp: Parameters<typeof timestampDate>[0] | undefined): string | null {
  return timestamp ? timestampDate(timestamp).toISOString() : null;
}

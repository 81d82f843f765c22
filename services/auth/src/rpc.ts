import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  AuthService,
  type ClubInvitation,
  ClubInvitationSchema,
  DescribeAccountResponseSchema,
  type RequestMeta as RequestMetaMessage,
  RoleGrantSchema,
  type SignInResponse,
  SignInResponseSchema,
  type User,
  UserSchema,
  UserStatus,
} from '@clubland/contract/auth/v1';
import { invalidInput } from '@clubland/errors';
import type { RegisterRoutes } from '@clubland/rpc';
import { acceptClubInvitation, inviteToClub } from './app/club-invitations.ts';
import type { AuthDeps, RequestMeta } from './app/deps.ts';
import { describeAccount } from './app/describe-account.ts';
import { requestEmailVerification, verifyEmail } from './app/email-verification.ts';
import { exportAccount } from './app/export-account.ts';
import { syncHankoUser } from './app/hanko.ts';
import { listAuditEntries } from './app/list-audit-entries.ts';
import { login } from './app/login.ts';
import { logout } from './app/logout.ts';
import { beginTotpEnrolment, completeMfaLogin, confirmTotpEnrolment, disableTotp } from './app/mfa.ts';
import {
  completePasskeyLogin,
  completePasskeyRegistration,
  initiatePasskeyLogin,
  initiatePasskeyRegistration,
} from './app/passkeys.ts';
import { requestPasswordReset, resetPassword } from './app/password-reset.ts';
import { refreshSession } from './app/refresh-session.ts';
import { register } from './app/register.ts';
import { grantRole, revokeRole } from './app/roles.ts';
import type { SignInResult } from './app/sign-in.ts';
import type { UserView } from './app/user-view.ts';
import { getUser, type UserChanges, updateUser } from './app/users.ts';
import type { UserStatus as DomainUserStatus } from './domain/user-status.ts';
import { auditLogRequestOf, auditPageMessage, exportMessage } from './rpc-export.ts';
import type { InvitationRow } from './store/invitation-queries.ts';

/** Maps protobuf messages to use cases and back. Thin on purpose: no rules live here. */

export function registerAuthRpc(router: Parameters<RegisterRoutes>[0], deps: AuthDeps): void {
  router.service(AuthService, {
    async register(request) {
      const result = await register(deps, metaOf(request.meta), {
        email: request.email,
        password: request.password,
        username: request.username,
        clubId: request.clubId,
        firstName: request.firstName,
        lastName: request.lastName,
      });
      return signInMessage(result);
    },

    async login(request) {
      return signInMessage(await login(deps, metaOf(request.meta), request));
    },

    async completeMfaLogin(request) {
      return signInMessage(
        await completeMfaLogin(deps, metaOf(request.meta), request.mfaToken, request.code),
      );
    },

    async refreshSession(request) {
      return signInMessage(await refreshSession(deps, metaOf(request.meta), request.refreshToken));
    },

    async logout(request) {
      await logout(deps, metaOf(request.meta));
      return { loggedOut: true };
    },

    async requestEmailVerification(request) {
      await requestEmailVerification(deps, metaOf(request.meta));
      return {};
    },

    async verifyEmail(request) {
      await verifyEmail(deps, metaOf(request.meta), request.token);
      return {};
    },

    async requestPasswordReset(request) {
      await requestPasswordReset(deps, metaOf(request.meta), request.email);
      return {};
    },

    async resetPassword(request) {
      await resetPassword(deps, metaOf(request.meta), {
        token: request.token,
        newPassword: request.newPassword,
      });
      return {};
    },

    async beginTotpEnrolment(request) {
      return beginTotpEnrolment(deps, metaOf(request.meta));
    },

    async confirmTotpEnrolment(request) {
      return confirmTotpEnrolment(deps, metaOf(request.meta), request.code);
    },

    async disableTotp(request) {
      await disableTotp(deps, metaOf(request.meta), request.code);
      return {};
    },

    async initiatePasskeyRegistration(request) {
      return initiatePasskeyRegistration(deps, metaOf(request.meta));
    },

    async completePasskeyRegistration(request) {
      await completePasskeyRegistration(deps, metaOf(request.meta), request.credentialJson);
      return {};
    },

    async initiatePasskeyLogin(request) {
      return initiatePasskeyLogin(deps, metaOf(request.meta), request.email, request.clubSlug);
    },

    async completePasskeyLogin(request) {
      const result = await completePasskeyLogin(
        deps,
        metaOf(request.meta),
        request.clubSlug,
        request.userId,
        request.credentialJson,
      );
      return signInMessage(result);
    },

    async syncHankoUser(request) {
      return { user: userMessage(await syncHankoUser(deps, metaOf(request.meta), request.hankoToken)) };
    },

    async getUser(request) {
      return { user: userMessage(await getUser(deps, metaOf(request.meta), request.userId)) };
    },

    async updateUser(request) {
      const changes: UserChanges = {};
      if (request.firstName !== undefined) changes.firstName = request.firstName;
      if (request.lastName !== undefined) changes.lastName = request.lastName;
      if (request.status !== undefined) changes.status = domainStatusOf(request.status);
      return { user: userMessage(await updateUser(deps, metaOf(request.meta), request.userId, changes)) };
    },

    async grantRole(request) {
      const user = await grantRole(deps, metaOf(request.meta), request);
      return { user: userMessage(user) };
    },

    async revokeRole(request) {
      const user = await revokeRole(deps, metaOf(request.meta), request);
      return { user: userMessage(user) };
    },

    async inviteToClub(request) {
      const invitation = await inviteToClub(deps, metaOf(request.meta), {
        clubId: request.clubId,
        email: request.email,
        role: request.role,
      });
      return { invitation: invitationMessage(invitation) };
    },

    async acceptClubInvitation(request) {
      const result = await acceptClubInvitation(deps, metaOf(request.meta), {
        token: request.token,
        password: request.password,
        firstName: request.firstName,
        lastName: request.lastName,
      });
      return signInMessage(result);
    },

    async getJwks() {
      return { jwksJson: JSON.stringify(await deps.keys.jwks()) };
    },

    async exportAccount(request) {
      return exportMessage(await exportAccount(deps, metaOf(request.meta)));
    },

    async listAuditEntries(request) {
      return auditPageMessage(await listAuditEntries(deps, metaOf(request.meta), auditLogRequestOf(request)));
    },

    async describeAccount(request) {
      const account = await describeAccount(deps, request.userId, request.clubId);
      if (!account) return create(DescribeAccountResponseSchema, { found: false });
      return create(DescribeAccountResponseSchema, {
        found: true,
        homeClubId: account.homeClubId ?? '',
        roles: account.grants.map((grant) =>
          create(RoleGrantSchema, { role: grant.role, clubId: grant.clubId ?? '' }),
        ),
        belongsToClub: account.belongsToClub,
      });
    },
  });
}

const MAX_ACCESS_TOKEN = 8192;

function metaOf(meta: RequestMetaMessage | undefined): RequestMeta {
  const accessToken = meta?.accessToken ?? '';
  if (accessToken.length > MAX_ACCESS_TOKEN)
    throw invalidInput('meta.accessToken', 'access token is too long');
  const deviceToken = meta?.deviceToken ?? '';
  return {
    accessToken,
    ip: meta?.ip ?? '',
    userAgent: meta?.userAgent ?? '',
    ...(deviceToken === '' ? {} : { deviceToken }),
  };
}

function signInMessage(result: SignInResult): SignInResponse {
  if (result.kind === 'mfa_required') {
    return create(SignInResponseSchema, {
      mfaRequired: true,
      mfaToken: result.mfaToken,
      user: userMessage(result.user),
    });
  }
  return create(SignInResponseSchema, {
    accessToken: result.accessToken,
    refreshToken: result.refreshToken,
    accessTokenExpiresAt: timestampFromDate(result.accessTokenExpiresAt),
    user: userMessage(result.user),
    deviceToken: result.deviceToken ?? '',
  });
}

const statuses: Record<DomainUserStatus, UserStatus> = {
  ACTIVE: UserStatus.ACTIVE,
  INACTIVE: UserStatus.INACTIVE,
  SUSPENDED: UserStatus.SUSPENDED,
  LOCKED: UserStatus.LOCKED,
  PENDING_VERIFICATION: UserStatus.PENDING_VERIFICATION,
};

function domainStatusOf(status: UserStatus): DomainUserStatus {
  const entry = Object.entries(statuses).find(([, value]) => value === status);
  if (!entry) throw invalidInput('status', 'status is not a user status');
  return entry[0] as DomainUserStatus;
}

/** Output guard: who is invited where, never the link's token. */
function invitationMessage(invitation: InvitationRow): ClubInvitation {
  return create(ClubInvitationSchema, {
    id: invitation.id,
    clubId: invitation.clubId,
    email: invitation.email,
    role: invitation.role,
    createdAt: timestampFromDate(invitation.createdAt),
    expiresAt: timestampFromDate(invitation.expiresAt),
  });
}

/** Output guard: only the fields the contract names leave the service. */
function userMessage(user: UserView): User {
  return create(UserSchema, {
    id: user.id,
    clubId: user.clubId ?? '',
    email: user.email,
    username: user.username ?? '',
    firstName: user.firstName,
    lastName: user.lastName,
    status: statuses[user.status],
    roles: user.roles.map((grant) =>
      create(RoleGrantSchema, { role: grant.role, clubId: grant.clubId ?? '' }),
    ),
    permissions: user.permissions,
    emailVerified: user.emailVerified,
    mfaEnabled: user.mfaEnabled,
    createdAt: timestampFromDate(user.createdAt),
    updatedAt: timestampFromDate(user.updatedAt),
    ...(user.lastLoginAt ? { lastLoginAt: timestampFromDate(user.lastLoginAt) } : {}),
  });
}

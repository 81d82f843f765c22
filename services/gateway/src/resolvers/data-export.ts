import type { AuthService, ExportAccountResponse } from '@clubland/contract/auth/v1';
import type { MemberService } from '@clubland/contract/member/v1/members';
import type { Client } from '@connectrpc/connect';
import { metaOf } from '../caller.ts';
import type { MutationResolvers } from '../generated/graphql.ts';
import { callerContextOf } from './members.ts';
import { optionalIso, requiredIso } from './timestamps.ts';

/**
 * A person's data export, gathered over RPC from the services that hold it: the member service's
 * part (the record, its history, reviews and favourites; it decides who may export and audits it)
 * and, when the record exported is the caller's own (subject access), the auth service's part
 * under `account`: the account, sessions, role grants, MFA and passkey metadata, known devices and
 * the audit entries about it, never a secret. A club's export of its member holds the club's data
 * only, so `account` is null there: a club learns nothing of the person's sign-ins or other roles.
 */

type AuthClient = Client<typeof AuthService>;
type MemberClient = Client<typeof MemberService>;

export function dataExportResolvers(clients: { members: MemberClient; auth: AuthClient }): {
  Mutation: Pick<MutationResolvers, 'exportMemberData'>;
} {
  return {
    Mutation: {
      async exportMemberData(_root, args, { caller }) {
        const principal = await caller.requirePrincipal();
        const { json } = await clients.members.exportMember({
          caller: callerContextOf(principal),
          clubId: args.clubId ?? '',
          memberId: args.memberId,
        });
        const memberPart = JSON.parse(json) as { member?: { userId?: unknown } };
        const isOwn = memberPart.member?.userId === principal.userId;
        const account = isOwn
          ? accountPartOf(await clients.auth.exportAccount({ meta: metaOf(caller) }))
          : null;
        return { ...memberPart, account };
      },
    },
  };
}

/** The auth service's part as plain JSON: ids and instants as strings, absent values null. */
function accountPartOf(account: ExportAccountResponse) {
  return {
    id: account.id,
    email: account.email,
    username: account.username || null,
    firstName: account.firstName,
    lastName: account.lastName,
    status: account.status,
    homeClubId: account.homeClubId || null,
    emailVerified: account.emailVerifiedAt !== undefined,
    emailVerifiedAt: optionalIso(account.emailVerifiedAt),
    createdAt: requiredIso(account.createdAt, 'createdAt'),
    updatedAt: requiredIso(account.updatedAt, 'updatedAt'),
    lastLoginAt: optionalIso(account.lastLoginAt),
    hankoLinked: account.hankoLinked,
    sessions: account.sessions.map((session) => ({
      id: session.id,
      method: session.method,
      ip: session.ip,
      userAgent: session.userAgent,
      createdAt: requiredIso(session.createdAt, 'createdAt'),
      lastUsedAt: optionalIso(session.lastUsedAt),
      closedAt: optionalIso(session.closedAt),
      closedReason: session.closedReason || null,
    })),
    roleGrants: account.roleGrants.map((grant) => ({
      role: grant.role,
      clubId: grant.clubId || null,
      grantedAt: requiredIso(grant.grantedAt, 'grantedAt'),
      grantedBy: grant.grantedBy || null,
      revokedAt: optionalIso(grant.revokedAt),
      revokedBy: grant.revokedBy || null,
    })),
    mfa: {
      enabled: account.mfa?.enabled ?? false,
      method: account.mfa?.method || null,
      enabledAt: optionalIso(account.mfa?.enabledAt),
      recoveryCodesRemaining: account.mfa?.recoveryCodesRemaining ?? 0,
    },
    passkeys: account.passkeys.map((passkey) => ({
      id: passkey.id,
      credentialId: passkey.credentialId,
      deviceType: passkey.deviceType,
      backedUp: passkey.backedUp,
      transports: passkey.transports,
      createdAt: requiredIso(passkey.createdAt, 'createdAt'),
      lastUsedAt: optionalIso(passkey.lastUsedAt),
    })),
    knownDevices: account.knownDevices.map((device) => ({
      id: device.id,
      createdAt: requiredIso(device.createdAt, 'createdAt'),
      lastSeenAt: requiredIso(device.lastSeenAt, 'lastSeenAt'),
      expiresAt: requiredIso(device.expiresAt, 'expiresAt'),
    })),
    auditEntries: account.auditEntries.map(auditEntryOf),
  };
}

/** An audit entry as GraphQL and the export show it. */
export function auditEntryOf(entry: ExportAccountResponse['auditEntries'][number]) {
  return {
    id: entry.id,
    action: entry.action,
    actorId: entry.actorId || null,
    subjectId: entry.subjectId || null,
    clubId: entry.clubId || null,
    ip: entry.ip,
    userAgent: entry.userAgent,
    details: JSON.parse(entry.detailsJson || '{}') as unknown,
    occurredAt: requiredIso(entry.occurredAt, 'occurredAt'),
  };
}

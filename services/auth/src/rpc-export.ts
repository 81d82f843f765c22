import { create } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  type AuditEntry,
  AuditEntrySchema,
  type ExportAccountResponse,
  ExportAccountResponseSchema,
  type ListAuditEntriesRequest,
  type ListAuditEntriesResponse,
  ListAuditEntriesResponseSchema,
} from '@clubland/contract/auth/v1';
import type { AccountExport } from './app/export-account.ts';
import type { AuditLogRequest, AuditPage } from './app/list-audit-entries.ts';
import type { AuditEntryRow } from './store/audit-queries.ts';

/**
 * Messages of ExportAccount and ListAuditEntries. Output guards: each message is built field by
 * field from what the contract names, so nothing else a row may carry leaves the service.
 */

const at = (value: Date | null) => (value ? timestampFromDate(value) : undefined);

export function exportMessage(account: AccountExport): ExportAccountResponse {
  const { user } = account;
  return create(ExportAccountResponseSchema, {
    id: user.id,
    email: user.email,
    username: user.username ?? '',
    firstName: user.firstName,
    lastName: user.lastName,
    status: user.status,
    homeClubId: user.clubId ?? '',
    createdAt: at(user.createdAt),
    updatedAt: at(user.updatedAt),
    lastLoginAt: at(user.lastLoginAt),
    emailVerifiedAt: at(user.emailVerifiedAt),
    hankoLinked: account.hankoLinked,
    sessions: account.sessions.map((session) => ({
      id: session.id,
      method: session.method,
      ip: session.ip,
      userAgent: session.userAgent,
      createdAt: at(session.createdAt),
      lastUsedAt: at(session.lastRefreshedAt),
      closedAt: at(session.revokedAt),
      closedReason: session.revokedReason ?? '',
    })),
    roleGrants: account.roleGrants.map((grant) => ({
      role: grant.role,
      clubId: grant.clubId ?? '',
      grantedAt: at(grant.grantedAt),
      grantedBy: grant.grantedBy ?? '',
      revokedAt: at(grant.revokedAt),
      revokedBy: grant.revokedBy ?? '',
    })),
    mfa: {
      enabled: account.mfa.enabled,
      method: account.mfa.method ?? '',
      enabledAt: at(account.mfa.enabledAt),
      recoveryCodesRemaining: account.mfa.recoveryCodesRemaining,
    },
    passkeys: account.passkeys.map((passkey) => ({
      id: passkey.id,
      credentialId: passkey.credentialId,
      deviceType: passkey.deviceType,
      backedUp: passkey.backedUp,
      transports: passkey.transports,
      createdAt: at(passkey.createdAt),
      lastUsedAt: at(passkey.lastUsedAt),
    })),
    knownDevices: account.knownDevices.map((device) => ({
      id: device.id,
      createdAt: at(device.createdAt),
      lastSeenAt: at(device.lastSeenAt),
      expiresAt: at(device.expiresAt),
    })),
    auditEntries: account.auditEntries.map(auditEntryMessage),
  });
}

export function auditLogRequestOf(request: ListAuditEntriesRequest): AuditLogRequest {
  return {
    clubId: request.clubId,
    actorId: request.actorId,
    subjectId: request.subjectId,
    action: request.action,
    from: request.from ? timestampDate(request.from) : null,
    to: request.to ? timestampDate(request.to) : null,
    first: request.first,
    after: request.after,
  };
}

export function auditPageMessage(page: AuditPage): ListAuditEntriesResponse {
  return create(ListAuditEntriesResponseSchema, {
    entries: page.entries.map(auditEntryMessage),
    endCursor: page.endCursor,
    hasNextPage: page.hasNextPage,
    totalCount: page.totalCount,
  });
}

function auditEntryMessage(entry: AuditEntryRow): AuditEntry {
  return create(AuditEntrySchema, {
    id: entry.id,
    action: entry.event,
    actorId: entry.actorId ?? '',
    subjectId: entry.subjectId ?? '',
    clubId: entry.clubId ?? '',
    ip: entry.ip,
    userAgent: entry.userAgent,
    detailsJson: JSON.stringify(entry.details),
    occurredAt: at(entry.occurredAt),
  });
}

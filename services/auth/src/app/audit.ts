import type { Tx } from '@clubland/db';
import { isUuid } from '@clubland/errors';
import { createAuditQueries } from '../store/audit-queries.ts';
import type { RequestMeta } from './deps.ts';

/**
 * Security events: login.succeeded, login.failed, login.mfa_required, session.logged_out, token.reused,
 * session.refresh_refused (a refresh token of an ended session, with the reason it ended),
 * role.granted, role.revoked, mfa.enabled, mfa.disabled, passkey.registered, password.reset,
 * password.reset_requested, email.verified, user.registered, user.updated, account.exported.
 * Written in the caller's transaction, so the record commits with the change it describes.
 * IP and user agent come from the client: clipped, never trusted for decisions.
 *
 * Each entry names who acted and the club it belongs to, for the audit log's readers (audit:read,
 * list-audit-entries.ts): the actor is `details.by` where an admin acted on the account, else the
 * account itself; the club is the one `details.clubId` names (a role, an invitation), else the
 * account's home club (store/audit-queries.ts reads it in the same statement).
 */
export async function audit(
  tx: Tx,
  entry: {
    userId: string | null;
    event: string;
    meta: RequestMeta;
    details?: Record<string, unknown>;
    /** Defaults to the wall clock; use cases pass their `deps.clock()`. */
    at?: Date;
  },
): Promise<void> {
  const details = entry.details ?? {};
  await createAuditQueries(tx).insert({
    userId: entry.userId,
    actorId: uuidOr(details.by, entry.userId),
    clubId: uuidOr(details.clubId, null),
    event: entry.event,
    ip: entry.meta.ip.slice(0, 64),
    userAgent: entry.meta.userAgent.slice(0, 512),
    details,
    occurredAt: entry.at ?? new Date(),
  });
}

function uuidOr(value: unknown, fallback: string | null): string | null {
  return typeof value === 'string' && isUuid(value) ? value.toLowerCase() : fallback;
}

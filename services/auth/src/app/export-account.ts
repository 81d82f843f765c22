import { notFound } from '@clubland/errors';
import {
  createAccountExportQueries,
  type ExportedDeviceRow,
  type ExportedGrantRow,
  type ExportedPasskeyRow,
  type ExportedSessionRow,
} from '../store/account-export-queries.ts';
import { type AuditEntryRow, createAuditQueries } from '../store/audit-queries.ts';
import { createUserQueries, type UserRow } from '../store/user-queries.ts';
import { currentPrincipal, requireCaller } from './access.ts';
import { audit } from './audit.ts';
import type { AuthDeps, RequestMeta } from './deps.ts';

/** What the auth service holds about one person, secrets left out (store/account-export-queries.ts). */
export interface AccountExport {
  user: UserRow;
  hankoLinked: boolean;
  sessions: ExportedSessionRow[];
  roleGrants: ExportedGrantRow[];
  mfa: { enabled: boolean; method: 'totp' | null; enabledAt: Date | null; recoveryCodesRemaining: number };
  passkeys: ExportedPasskeyRow[];
  knownDevices: ExportedDeviceRow[];
  auditEntries: AuditEntryRow[];
}

/**
 * The caller's own account for their data export (subject access; the gateway adds it to the
 * member service's part when the member record exported is the caller's). Only the caller's own:
 * the account comes from the token, never from a parameter. Audited as account.exported in the
 * same transaction, so the export lists its own making.
 *
 * Audit entries about the account where someone else acted (an admin granting a role) keep what
 * was done and by whom, not that person's IP address and user agent: those are the actor's data.
 */
export async function exportAccount(deps: AuthDeps, meta: RequestMeta): Promise<AccountExport> {
  const caller = await requireCaller(deps, meta);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const principal = await currentPrincipal(tx, caller);
    const user = await createUserQueries(tx).findById(principal.userId);
    if (!user) throw notFound('user', principal.userId);
    await audit(tx, { userId: user.id, event: 'account.exported', meta, at: now });
    const held = createAccountExportQueries(tx);
    const mfa = await held.mfa(user.id);
    const entries = await createAuditQueries(tx).aboutSubject(user.id);
    return {
      user,
      hankoLinked: await held.isHankoLinked(user.id),
      sessions: await held.sessions(user.id),
      roleGrants: await held.roleGrants(user.id),
      mfa: {
        enabled: mfa.confirmedAt !== null,
        method: mfa.confirmedAt !== null ? 'totp' : null,
        enabledAt: mfa.confirmedAt,
        recoveryCodesRemaining: mfa.confirmedAt !== null ? mfa.recoveryCodesRemaining : 0,
      },
      passkeys: await held.passkeys(user.id),
      knownDevices: await held.knownDevices(user.id),
      auditEntries: entries.map((entry) =>
        entry.actorId === user.id ? entry : { ...entry, ip: '', userAgent: '' },
      ),
    };
  });
}

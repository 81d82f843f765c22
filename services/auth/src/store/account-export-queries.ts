import type { Queryable } from '@clubland/db';

/**
 * Read-only queries for a person's data export (app/export-account.ts). Each one names the columns
 * it returns and none of them is a secret: no password hash, token hash, TOTP secret, recovery code
 * hash or passkey public key is ever selected, so none can reach an export by a later `SELECT *`.
 */

export interface ExportedSessionRow {
  id: string;
  method: string;
  ip: string;
  userAgent: string;
  createdAt: Date;
  lastRefreshedAt: Date | null;
  revokedAt: Date | null;
  revokedReason: string | null;
}

export interface ExportedGrantRow {
  role: string;
  clubId: string | null;
  grantedBy: string | null;
  grantedAt: Date;
  revokedBy: string | null;
  revokedAt: Date | null;
}

export interface ExportedMfaRow {
  /** When the TOTP factor was confirmed; null while none is. */
  confirmedAt: Date | null;
  recoveryCodesRemaining: number;
}

export interface ExportedPasskeyRow {
  id: string;
  credentialId: string;
  deviceType: string;
  backedUp: boolean;
  transports: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface ExportedDeviceRow {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export function createAccountExportQueries(db: Queryable) {
  return {
    /** Every session the account has had, oldest first, open or closed. */
    async sessions(userId: string): Promise<ExportedSessionRow[]> {
      const { rows } = await db.query<ExportedSessionRow>(
        `SELECT id, method, ip, user_agent AS "userAgent", created_at AS "createdAt",
                last_refreshed_at AS "lastRefreshedAt", revoked_at AS "revokedAt", revoked_reason AS "revokedReason"
           FROM auth.sessions WHERE user_id = $1 ORDER BY created_at, id`,
        [userId],
      );
      return rows;
    },

    /** Every role grant, held or revoked, oldest first (the network's view: all clubs). */
    async roleGrants(userId: string): Promise<ExportedGrantRow[]> {
      const { rows } = await db.query<ExportedGrantRow>(
        `SELECT role, club_id AS "clubId", granted_by AS "grantedBy", granted_at AS "grantedAt",
                revoked_by AS "revokedBy", revoked_at AS "revokedAt"
           FROM auth.role_grants WHERE user_id = $1 ORDER BY granted_at, id`,
        [userId],
      );
      return rows;
    },

    async mfa(userId: string): Promise<ExportedMfaRow> {
      const { rows } = await db.query<ExportedMfaRow>(
        `SELECT (SELECT confirmed_at FROM auth.totp_factors WHERE user_id = $1) AS "confirmedAt",
                (SELECT count(*)::int FROM auth.recovery_codes WHERE user_id = $1 AND used_at IS NULL)
                  AS "recoveryCodesRemaining"`,
        [userId],
      );
      return rows[0] ?? { confirmedAt: null, recoveryCodesRemaining: 0 };
    },

    async passkeys(userId: string): Promise<ExportedPasskeyRow[]> {
      const { rows } = await db.query<ExportedPasskeyRow>(
        `SELECT id, credential_id AS "credentialId", device_type AS "deviceType", backed_up AS "backedUp",
                transports, created_at AS "createdAt", last_used_at AS "lastUsedAt"
           FROM auth.passkeys WHERE user_id = $1 ORDER BY created_at, id`,
        [userId],
      );
      return rows;
    },

    async knownDevices(userId: string): Promise<ExportedDeviceRow[]> {
      const { rows } = await db.query<ExportedDeviceRow>(
        `SELECT id, created_at AS "createdAt", last_seen_at AS "lastSeenAt", expires_at AS "expiresAt"
           FROM auth.known_devices WHERE user_id = $1 ORDER BY created_at, id`,
        [userId],
      );
      return rows;
    },

    async isHankoLinked(userId: string): Promise<boolean> {
      const { rows } = await db.query<{ linked: boolean }>(
        'SELECT hanko_subject IS NOT NULL AS linked FROM auth.users WHERE id = $1',
        [userId],
      );
      return rows[0]?.linked === true;
    },
  };
}

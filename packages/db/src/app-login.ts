import { ClubError } from '@clubland/errors';
import { ensureAppRole } from './app-role.ts';
import { APP_ROLE, type Db } from './db.ts';
import { scramSha256Verifier } from './scram.ts';

/**
 * The application's login on PostgreSQL: the role in DATABASE_URL. Row-level security must hold
 * against anything a statement on that connection can do, and `SET LOCAL ROLE` alone does not:
 * a superuser or the tables' owner undoes it with one injected `RESET ROLE`. So the login must be
 * a role of its own, a member of the group role `clubland_app` (which holds the grants) and of
 * nothing that owns the tables or reaches the server's files or programs. Migrations run on the
 * owner's connection (DATABASE_OWNER_URL); see the README, "Running on real infrastructure".
 */

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Predefined roles that reach past the database: files and programs on the server. */
const SERVER_ACCESS_ROLES = ['pg_execute_server_program', 'pg_read_server_files', 'pg_write_server_files'];

/**
 * Run on the owner's connection: makes the login role of `appUrl` a member of `clubland_app`,
 * creating it first (LOGIN, no superuser, no BYPASSRLS, CREATEROLE or CREATEDB) when it does not
 * exist. A password in the URL becomes a SCRAM verifier here, so the clear password is neither sent
 * nor logged; an existing role's password is never touched. Idempotent and safe to run from several
 * processes at once (roles are cluster-wide). Nothing to do when the login is the owner itself.
 */
export async function ensureAppLogin(owner: Db, appUrl: string): Promise<void> {
  if (owner.kind !== 'postgres') return;
  const url = new URL(appUrl);
  const role = decodeURIComponent(url.username);
  if (role === '') return;
  if (!ROLE_NAME.test(role)) {
    throw new ClubError(
      'internal',
      `the login role of DATABASE_URL ("${role}") is not a plain lower-case name; create it yourself: ` +
        `CREATE ROLE "${role}" LOGIN PASSWORD '…'; GRANT ${APP_ROLE} TO "${role}"`,
    );
  }
  const password = decodeURIComponent(url.password);
  const passwordSql = password === '' ? '' : ` PASSWORD '${scramSha256Verifier(password)}'`;
  await ensureAppRole(owner);
  try {
    await owner.asOwner((tx) => tx.query(ensureAppLoginSql(role, passwordSql)));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ClubError(
      'internal',
      `cannot set up the login role ${role} of DATABASE_URL from DATABASE_OWNER_URL (${reason}); ` +
        `have an administrator run: CREATE ROLE ${role} LOGIN PASSWORD '…'; GRANT ${APP_ROLE} TO ${role}`,
      {},
      error,
    );
  }
}

/** `role` is checked against ROLE_NAME and `passwordSql` holds only a verifier's base64: no quoting needed. */
function ensureAppLoginSql(role: string, passwordSql: string): string {
  return `DO $ensure_app_login$
BEGIN
  IF '${role}' = current_user THEN
    RETURN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
    BEGIN
      CREATE ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB INHERIT${passwordSql};
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
  END IF;
  IF NOT pg_has_role('${role}', '${APP_ROLE}', 'MEMBER') THEN
    BEGIN
      GRANT ${APP_ROLE} TO ${role};
    EXCEPTION WHEN unique_violation THEN
      NULL;
    END;
  END IF;
END
$ensure_app_login$`;
}

export interface AppLoginCheck {
  /** The role the connection logged in as (`session_user`). */
  login: string;
  /** What that role could do past row-level security; empty when nothing. */
  risks: string[];
}

/**
 * What the application's connection could do if a statement on it were not ours: become a
 * superuser or the owner of the tables in `schemas` (and so switch row-level security off or drop
 * the tables), bypass row-level security, create roles, or reach the server's files and programs.
 * Asked of the login (`session_user`), whatever role the transaction has switched to.
 */
export async function appLoginRisks(db: Db, schemas: readonly string[]): Promise<AppLoginCheck> {
  const { rows } = await db.transaction((tx) =>
    tx.query<{
      login: string;
      rolsuper: boolean;
      rolbypassrls: boolean;
      rolcreaterole: boolean;
      owners: string[];
      server_access: string[];
    }>(
      `SELECT r.rolname AS login, r.rolsuper, r.rolbypassrls, r.rolcreaterole,
         ARRAY(SELECT DISTINCT pg_get_userbyid(o.owner)::text FROM (
             SELECT n.nspowner AS owner FROM pg_namespace n WHERE n.nspname = ANY($1::text[])
             UNION SELECT c.relowner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = ANY($1::text[])
           ) AS o WHERE pg_has_role(session_user, o.owner, 'MEMBER') ORDER BY 1) AS owners,
         ARRAY(SELECT p.rolname::text FROM pg_roles p
           WHERE p.rolname = ANY($2::text[]) AND pg_has_role(session_user, p.oid, 'MEMBER') ORDER BY 1) AS server_access
       FROM pg_roles r WHERE r.rolname = session_user`,
      [schemas, SERVER_ACCESS_ROLES],
    ),
  );
  const row = rows[0];
  if (!row) return { login: '', risks: ['its login role is not in pg_roles'] };
  // A superuser may do all the rest, so that alone is said.
  if (row.rolsuper) return { login: row.login, risks: ['is a superuser'] };
  const risks: string[] = [];
  if (row.rolbypassrls) risks.push('bypasses row-level security (BYPASSRLS)');
  if (row.rolcreaterole) risks.push('may create roles and grant itself theirs (CREATEROLE)');
  if (row.owners.length > 0)
    risks.push(`owns the tables or can become their owner (${row.owners.join(', ')})`);
  if (row.server_access.length > 0)
    risks.push(`reaches the server's files or programs (${row.server_access.join(', ')})`);
  return { login: row.login, risks };
}

/** Which database a connection reaches: its name and the server it runs on (by start time). */
export async function databaseIdentity(db: Db): Promise<string> {
  const { rows } = await db.asOwner((tx) =>
    tx.query<{ identity: string }>(
      `SELECT current_database() || ' (server up since ' || pg_postmaster_start_time() || ')' AS identity`,
    ),
  );
  return rows[0]?.identity ?? '';
}

import { APP_ROLE, type Db } from './db.ts';

/**
 * Makes sure the application role exists and that we may switch to it.
 * - Created NOLOGIN NOSUPERUSER NOBYPASSRLS: a group role that holds the application's grants,
 *   `SET ROLE`d to in every application transaction and joined by the application's login
 *   (ensureAppLogin); row-level security must apply to it. An existing role that could bypass RLS
 *   is refused, not used.
 * - Roles are cluster-wide, so processes migrating different databases race to create it; the loser
 *   of the race sees duplicate_object or unique_violation and carries on.
 * - A non-superuser may `SET ROLE` only to roles it is a member of, hence the grant.
 */
export const ensureAppRoleSql = `DO $ensure_app_role$
DECLARE
  app pg_roles%ROWTYPE;
BEGIN
  SELECT * INTO app FROM pg_roles WHERE rolname = '${APP_ROLE}';
  IF NOT FOUND THEN
    BEGIN
      CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
    SELECT * INTO app FROM pg_roles WHERE rolname = '${APP_ROLE}';
  END IF;
  IF app.rolsuper OR app.rolbypassrls THEN
    RAISE EXCEPTION 'role ${APP_ROLE} exists but bypasses row-level security (SUPERUSER or BYPASSRLS); alter it to NOSUPERUSER NOBYPASSRLS';
  END IF;
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
     AND NOT pg_has_role(current_user, '${APP_ROLE}', 'MEMBER') THEN
    BEGIN
      EXECUTE format('GRANT %I TO %I', '${APP_ROLE}', current_user);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE EXCEPTION 'role % must be a member of ${APP_ROLE} to switch to it; ask an administrator to run: GRANT ${APP_ROLE} TO %', current_user, current_user;
    END;
  END IF;
END
$ensure_app_role$`;

export async function ensureAppRole(db: Db): Promise<void> {
  await db.asOwner((tx) => tx.query(ensureAppRoleSql));
}

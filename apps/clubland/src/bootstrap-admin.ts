import type { AuthService } from '@clubland/auth-service';
import type { AppConfig } from '@clubland/config';
import { isClubError } from '@clubland/errors';
import type { Logger } from '@clubland/log';

/** The operator's first administrator from CLUBLAND_BOOTSTRAP_ADMIN_EMAIL and _PASSWORD, when both are set. */
export function bootstrapCredentials(config: AppConfig): { email: string; password: string } | undefined {
  const email = config.CLUBLAND_BOOTSTRAP_ADMIN_EMAIL;
  const password = config.CLUBLAND_BOOTSTRAP_ADMIN_PASSWORD;
  if (email === undefined && password === undefined) return undefined;
  if (email === undefined || password === undefined) {
    throw new Error(
      'CLUBLAND_BOOTSTRAP_ADMIN_EMAIL and CLUBLAND_BOOTSTRAP_ADMIN_PASSWORD go together: set both or neither',
    );
  }
  return { email, password };
}

/**
 * Unattended installs: the variables are honoured once, while the network has no administrator.
 * Once one exists they change nothing, and every start says so, so that a forgotten password in
 * the environment is noticed rather than trusted.
 */
export async function bootstrapAdminFromEnvironment(
  config: AppConfig,
  auth: Pick<AuthService, 'bootstrapNetworkAdmin'>,
  log: Logger,
): Promise<void> {
  const credentials = bootstrapCredentials(config);
  if (!credentials) return;
  const outcome = await auth.bootstrapNetworkAdmin(credentials).catch((error: unknown) => {
    // Name the variable, as every other bad value at start-up does.
    if (isClubError(error) && error.code === 'request.invalid_input') {
      const name = error.details.field === 'password' ? 'PASSWORD' : 'EMAIL';
      throw new Error(`CLUBLAND_BOOTSTRAP_ADMIN_${name}: ${error.message}`);
    }
    throw error;
  });
  if (outcome.outcome === 'created') {
    log.info(
      { userId: outcome.user.id, email: outcome.user.email },
      'network administrator created from CLUBLAND_BOOTSTRAP_ADMIN_*',
    );
  } else {
    log.warn(
      'CLUBLAND_BOOTSTRAP_ADMIN_EMAIL/PASSWORD ignored: a network administrator exists already, nothing changed (remove the variables)',
    );
  }
}

import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the embedded default keeps its generated secret, under CLUBLAND_DATA_DIR. */
export const UNSUBSCRIBE_SECRET_FILE = 'notification-unsubscribe-secret';

/**
 * The secrets that sign and verify unsubscribe links: NOTIFICATION_UNSUBSCRIBE_SECRETS (comma
 * separated, the first signs, each at least 32 bytes), or, outside production, one generated on
 * first start and kept in the data directory, so links in mails already sent keep working across
 * restarts. Production without the variable is refused: a generated secret would differ between
 * instances.
 */
export function unsubscribeSecretsOf(config: {
  NODE_ENV: string;
  CLUBLAND_DATA_DIR: string;
  NOTIFICATION_UNSUBSCRIBE_SECRETS?: string | undefined;
}): string[] {
  const given = config.NOTIFICATION_UNSUBSCRIBE_SECRETS?.split(',')
    .map((secret) => secret.trim())
    .filter((secret) => secret.length > 0);
  if (given && given.length > 0) {
    if (given.some((secret) => Buffer.byteLength(secret) < 32))
      throw new Error('NOTIFICATION_UNSUBSCRIBE_SECRETS: each secret must be at least 32 bytes');
    return given;
  }
  if (config.NODE_ENV === 'production')
    throw new Error(
      'NOTIFICATION_UNSUBSCRIBE_SECRETS is required in production (comma-separated secrets of at least 32 bytes)',
    );
  const file = join(config.CLUBLAND_DATA_DIR, UNSUBSCRIBE_SECRET_FILE);
  try {
    const kept = readFileSync(file, 'utf8').trim();
    if (Buffer.byteLength(kept) >= 32) return [kept];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(config.CLUBLAND_DATA_DIR, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return [secret];
}

import { countAccountsAtDomain } from '@clubland/auth-service';
import type { AppConfig } from '@clubland/config';
import type { Db } from '@clubland/db';
import type { DemoState } from './banner.ts';
import { DEMO_EMAIL_DOMAIN } from './demo-network.ts';

/**
 * Production never runs with the demo network: every demo account, its network administrator
 * included, signs in with the password printed in the README. Each check ends start-up (or the
 * command) with one line saying why, before anything is served or written.
 */

/** `clubland seed --demo` in production: refused. */
export function refuseDemoSeedInProduction(config: AppConfig): void {
  if (config.NODE_ENV !== 'production') return;
  throw new Error(
    'NODE_ENV=production: the demo network is never loaded in production (its password is published); load it where NODE_ENV is not production',
  );
}

/** A process holding accounts (all-in-one, the auth service) refuses a database with demo accounts. */
export async function refuseDemoAccountsInProduction(config: AppConfig, db: Db): Promise<void> {
  if (config.NODE_ENV !== 'production') return;
  const accounts = await countAccountsAtDomain(db, DEMO_EMAIL_DOMAIN);
  if (accounts === 0) return;
  throw new Error(
    `NODE_ENV=production and the database holds the demo network (${accounts} accounts @${DEMO_EMAIL_DOMAIN}, ` +
      'whose password is published): refusing to start; use a database without the demo, or run the demo outside production',
  );
}

/** Whether an earlier start or `clubland seed --demo` left the demo network in this database. */
export async function demoStateOf(db: Db): Promise<Exclude<DemoState, 'seeded'>> {
  return (await countAccountsAtDomain(db, DEMO_EMAIL_DOMAIN)) > 0 ? 'present' : 'absent';
}

import type { AppConfig } from '@clubland/config';
import { createLogger } from '@clubland/log';
import { pino } from 'pino';
import { bootstrapAdminFromEnvironment, bootstrapCredentials } from './bootstrap-admin.ts';
import { DEMO_PASSWORD } from './demo/demo-network.ts';
import { refuseDemoSeedInProduction } from './demo/production-guard.ts';
import { type DemoSeedResult, seedDemoNetwork } from './demo/seed-demo.ts';
import { openLocalServices } from './local-services.ts';
import { readStdin } from './secret-input.ts';

export interface SeedOptions {
  json: boolean;
  /** Act as this existing network administrator (password from standard input). */
  adminEmail?: string | undefined;
  passwordStdin: boolean;
}

/**
 * `clubland seed --demo`: loads the demo network, idempotently, on whatever database the
 * configuration names (PostgreSQL too: there it is always this explicit command). Logs go to
 * standard error, so `--json` leaves one JSON document alone on standard output.
 */
export async function runSeedDemo(config: AppConfig, options: SeedOptions): Promise<void> {
  refuseDemoSeedInProduction(config);
  if (options.adminEmail && !options.passwordStdin) throw new Error('--admin-email needs --password-stdin');
  const log = createLogger({ service: 'seed', level: config.LOG_LEVEL, destination: pino.destination(2) });
  const admin = options.adminEmail
    ? { email: options.adminEmail, password: await readStdin() }
    : bootstrapCredentials(config);
  const local = await openLocalServices(config, log);
  let result: DemoSeedResult;
  try {
    await bootstrapAdminFromEnvironment(config, local.auth, log);
    result = await seedDemoNetwork({
      clients: local.clients,
      bootstrapNetworkAdmin: (input) => local.auth.bootstrapNetworkAdmin(input),
      mail: local.mail,
      log,
      admin,
    });
  } finally {
    await local.close();
  }
  process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : summary(result));
}

function summary(result: DemoSeedResult): string {
  const {
    clubs,
    accounts,
    members,
    agreements,
    letters,
    visits,
    facilities,
    bookings,
    events,
    rsvps,
    notifications,
  } = result.created;
  const lines = [
    `demo network: ${result.clubs.length} clubs, ${result.accounts.length} accounts, ` +
      `${result.agreements.length} agreements, ${result.letters.length} letters, ${result.visits.length} visits, ` +
      `${result.facilities.length} facilities, ${result.bookings.length} bookings, ${result.events.length} events ` +
      `(this run added ${clubs} clubs, ${accounts} accounts, ${members} members, ` +
      `${agreements} agreements, ${letters} letters, ${visits} visits, ` +
      `${facilities} facilities, ${bookings} bookings, ${events} events, ${rsvps} RSVPs, ` +
      `${notifications} announcements)`,
    `every demo password: ${DEMO_PASSWORD}`,
    ...result.agreements.map((a) => `  agreement ${a.proposer} ⇄ ${a.partner}: ${a.status}`),
    '',
    ...result.accounts.map(
      (account) =>
        `  ${account.email.padEnd(44)} ${account.roles.join(',').padEnd(14)} ${account.club ?? '(network)'}` +
        (account.member ? `  ${account.member.membershipType} ${account.member.status}` : ''),
    ),
    '',
  ];
  return lines.join('\n');
}

import type { AppConfig } from '@clubland/config';
import { createLogger } from '@clubland/log';
import { pino } from 'pino';
import { openLocalServices } from './local-services.ts';
import { promptHidden, readStdin } from './secret-input.ts';

export interface AdminCreateOptions {
  email: string;
  /** Read the password from standard input instead of asking on the terminal. */
  passwordStdin: boolean;
  firstName?: string | undefined;
  lastName?: string | undefined;
}

/**
 * `clubland admin create --email <e>`: the network's first administrator, for an operator at the
 * console. Refuses (exit 1, nothing changed) once any network administrator exists: further ones
 * are granted by an existing administrator (grantRole), never created here silently.
 */
export async function runAdminCreate(config: AppConfig, options: AdminCreateOptions): Promise<void> {
  const password = await passwordFor(options);
  const log = createLogger({ service: 'admin', level: config.LOG_LEVEL, destination: pino.destination(2) });
  const local = await openLocalServices(config, log);
  let outcome: Awaited<ReturnType<typeof local.auth.bootstrapNetworkAdmin>>;
  try {
    outcome = await local.auth.bootstrapNetworkAdmin({
      email: options.email,
      password,
      firstName: options.firstName,
      lastName: options.lastName,
    });
  } finally {
    await local.close();
  }
  if (outcome.outcome === 'admin_exists') {
    console.error(
      'clubland: a network administrator exists already; nothing changed. ' +
        'An administrator makes another with grantRole(userId, "NETWORK_ADMIN").',
    );
    process.exitCode = 1;
    return;
  }
  console.log(`network administrator ${outcome.user.email} created (user id ${outcome.user.id})`);
}

async function passwordFor(options: AdminCreateOptions): Promise<string> {
  if (options.passwordStdin) return readStdin();
  if (!process.stdin.isTTY)
    throw new Error('no terminal to ask for the password: pipe it with --password-stdin');
  const password = await promptHidden(`Password for ${options.email}: `);
  if ((await promptHidden('Again: ')) !== password) throw new Error('the passwords differ; nothing changed');
  return password;
}

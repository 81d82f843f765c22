#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadAppConfigOrExit } from './app-config.ts';
import { assertPortsFree, plannedPorts, SERVICE_NAMES, type ServiceName } from './port-check.ts';

// Each command's module is imported when it runs: the services, the gateway and the database take
// seconds to load on a busy machine, and a taken port or a bad argument is answered before that.

const USAGE = `Usage:
  clubland start [--no-demo]           run every service in one process (embedded defaults); a first
                                       start on an empty data directory seeds the demo network
  clubland start --service <name>      run one service on its own ports (${SERVICE_NAMES.join(', ')})
  clubland migrate                     apply every service's pending migrations, then exit
  clubland seed --demo [--json]        load the demo network (idempotent); --json prints its accounts
      [--admin-email <e> --password-stdin]   act as this existing network administrator
  clubland admin create --email <e> [--password-stdin] [--first-name <f>] [--last-name <l>]
                                       create the first network administrator (only while none exists)
Configuration comes from environment variables; see the README.`;

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      service: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      'no-demo': { type: 'boolean' },
      demo: { type: 'boolean' },
      json: { type: 'boolean' },
      email: { type: 'string' },
      'admin-email': { type: 'string' },
      'password-stdin': { type: 'boolean' },
      'first-name': { type: 'string' },
      'last-name': { type: 'string' },
    },
  });
  const [command, subcommand] = positionals;
  if (values.help || command === undefined) {
    console.log(USAGE);
    return;
  }
  const config = loadAppConfigOrExit();
  switch (command) {
    case 'start': {
      const which = parseService(values.service);
      // Before anything is loaded or opened: a taken port ends start-up at once, nothing created.
      await assertPortsFree(config.HOST, plannedPorts(config, which));
      const { runStart } = await import('./start.ts');
      return runStart(config, which, { demo: !values['no-demo'] });
    }
    case 'migrate': {
      const { runMigrate } = await import('./migrate.ts');
      return runMigrate(config);
    }
    case 'seed':
      if (!values.demo) fail(`seed needs --demo (the one data set there is)\n${USAGE}`);
      return (await import('./seed.ts')).runSeedDemo(config, {
        json: values.json === true,
        adminEmail: values['admin-email'],
        passwordStdin: values['password-stdin'] === true,
      });
    case 'admin':
      if (subcommand !== 'create' || !values.email)
        fail(`usage: clubland admin create --email <e>\n${USAGE}`);
      return (await import('./admin-create.ts')).runAdminCreate(config, {
        email: values.email,
        passwordStdin: values['password-stdin'] === true,
        firstName: values['first-name'],
        lastName: values['last-name'],
      });
    default:
      fail(`unknown command "${command}"\n${USAGE}`);
  }
}

function parseService(name: string | undefined): ServiceName | 'all' {
  if (name === undefined) return 'all';
  if ((SERVICE_NAMES as readonly string[]).includes(name)) return name as ServiceName;
  return fail(`unknown service "${name}"; expected one of: ${SERVICE_NAMES.join(', ')}`);
}

function fail(message: string): never {
  console.error(`clubland: ${message}`);
  process.exit(2);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`clubland: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadAppConfigOrExit } from './app-config.ts';
import { runMigrate } from './migrate.ts';
import { runStart, SERVICE_NAMES, type ServiceName } from './start.ts';

const USAGE = `Usage:
  clubland start                       run every service in one process (embedded defaults)
  clubland start --service <name>      run one service on its own ports (${SERVICE_NAMES.join(', ')})
  clubland migrate                     apply every service's pending migrations, then exit
Configuration comes from environment variables; see the README.`;

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { service: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command] = positionals;
  if (values.help || command === undefined) {
    console.log(USAGE);
    return;
  }
  const config = loadAppConfigOrExit();
  switch (command) {
    case 'start':
      return runStart(config, parseService(values.service));
    case 'migrate':
      return runMigrate(config);
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

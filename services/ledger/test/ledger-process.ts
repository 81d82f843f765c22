/**
 * The ledger service alone in a process of its own, for kill.test.ts: on the PostgreSQL database
 * and the NATS stream the test names (LEDGER_TEST_*), consuming ledger.entry_requested until it is
 * killed. Prints "ready" once it consumes. Not the production entry point (`clubland start --service
 * ledger`): that one also serves RPC and metrics, which a kill test does not need.
 */
import { createNatsBus } from '@clubland/bus/nats';
import { createPostgresDb } from '@clubland/db';
import pino from 'pino';
import { createLedgerService } from '../src/index.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const db = createPostgresDb({ url: required('LEDGER_TEST_DATABASE_URL'), poolSize: 4 });
const bus = await createNatsBus({
  url: required('NATS_URL'),
  stream: required('LEDGER_TEST_STREAM'),
  subjectPrefix: required('LEDGER_TEST_SUBJECT_PREFIX'),
  pullBatch: 200,
  // What the killed process had pulled and not acknowledged comes back after this long.
  ackWaitMs: 3_000,
});
const service = await createLedgerService({
  db,
  bus,
  log: pino({ level: process.env.TEST_LOG ?? 'silent' }),
  keyEncryptionKey: required('LEDGER_KEY_ENCRYPTION_KEY'),
  maxBlockEntries: 100,
  blockIntervalMs: 20,
  outboxPollIntervalMs: 20,
});
await service.start();
process.stdout.write('ready\n');

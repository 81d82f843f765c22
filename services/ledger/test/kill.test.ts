import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type Bus, createMemoryBus } from '@clubland/bus';
import { createNatsBus } from '@clubland/bus/nats';
import { migrate } from '@clubland/db';
import { createTestDb, type TestDb } from '@clubland/db/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createLedgerService } from '../src/index.ts';
import { eventually, requestOf, TEST_KEY_ENCRYPTION_KEY, visitEntry } from './setup.ts';

/**
 * A crash, not a shutdown: the ledger's consumer runs in a process of its own (ledger-process.ts) on
 * PostgreSQL and NATS JetStream, is SIGKILLed while batches are in flight, and a new process takes
 * over. Needs a server database and a bus outside the process, so it runs in the real-servers mode
 * only: on the embedded defaults the bus lives and dies with the one process.
 */
const real = Boolean(process.env.DATABASE_URL && process.env.NATS_URL);

describe.skipIf(!real)(
  'the ledger consumer killed mid-batch (PostgreSQL + NATS, processes of its own)',
  () => {
    const token = randomBytes(4).toString('hex');
    const stream = `LEDGERKILL${token.toUpperCase()}`;
    const subjectPrefix = `ledgerkill${token}`;
    const children: ChildProcess[] = [];
    let db: TestDb | undefined;
    let bus: Bus | undefined;
    afterAll(async () => {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      await bus?.close();
      await db?.close();
      const nc = await connect({ servers: process.env.NATS_URL });
      await (await jetstreamManager(nc)).streams.delete(stream).catch(() => false);
      await nc.close();
    });

    function startConsumer(): Promise<ChildProcess> {
      const child = spawn(
        process.execPath,
        [fileURLToPath(new URL('./ledger-process.ts', import.meta.url))],
        {
          env: {
            ...process.env,
            LEDGER_TEST_DATABASE_URL: db?.url,
            LEDGER_TEST_STREAM: stream,
            LEDGER_TEST_SUBJECT_PREFIX: subjectPrefix,
            LEDGER_KEY_ENCRYPTION_KEY: TEST_KEY_ENCRYPTION_KEY,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      children.push(child);
      let output = '';
      return new Promise((resolve, reject) => {
        child.stdout?.on('data', (chunk) => {
          output += chunk;
          if (output.includes('ready')) resolve(child);
        });
        child.stderr?.on('data', (chunk) => {
          output += chunk;
        });
        child.on('exit', (code) =>
          reject(new Error(`the ledger process exited (${code}) before it was ready:\n${output}`)),
        );
      });
    }

    async function chainFacts() {
      const { rows } = await db!.transaction((tx) =>
        tx.query<{ entries: string; distinct_ids: string; pending: string }>(
          `SELECT (SELECT count(*) FROM ledger.entries) AS entries,
                (SELECT count(DISTINCT id) FROM ledger.entries) AS distinct_ids,
                (SELECT count(*) FROM ledger.pending) AS pending`,
        ),
      );
      return rows[0]!;
    }

    it('loses and doubles nothing: every requested entry ends on the chain once, and the chain verifies', async () => {
      db = await createTestDb();
      // The schema as the service defines it, migrated by the owner, as `clubland migrate` does.
      const reader = await createLedgerService({
        db,
        bus: createMemoryBus(),
        log: pino({ level: 'silent' }),
        keyEncryptionKey: TEST_KEY_ENCRYPTION_KEY,
      });
      await migrate(db, { schema: reader.schema, migrations: reader.migrations });
      bus = await createNatsBus({ url: process.env.NATS_URL!, stream, subjectPrefix });

      const first = await startConsumer();
      const clubs = Array.from({ length: 4 }, () => randomUUID());
      const entries = Array.from({ length: 3000 }, (_, i) => visitEntry(clubs[i % 4]!, clubs[(i + 1) % 4]!));
      let published = 0;
      const publishing = (async () => {
        for (let i = 0; i < entries.length; i += 100) {
          await bus!.publish(entries.slice(i, i + 100).map(requestOf));
          published += 100;
        }
      })();

      // Kill it while it is taking entries and requests are still arriving.
      await eventually(async () => Number((await chainFacts()).entries) >= 200, 60_000);
      first.kill('SIGKILL');
      await once(first, 'exit');
      const atKill = await chainFacts();
      expect(Number(atKill.entries)).toBeLessThan(entries.length);
      await publishing;
      expect(published).toBe(entries.length);

      const successor = await startConsumer();
      await eventually(async () => {
        const facts = await chainFacts();
        return Number(facts.entries) >= entries.length && Number(facts.pending) === 0;
      }, 120_000);
      successor.kill('SIGTERM');
      await once(successor, 'exit');

      expect(await chainFacts()).toEqual({ entries: '3000', distinct_ids: '3000', pending: '0' });
      const { rows } = await db.transaction((tx) =>
        tx.query<{ missing: string }>(
          `SELECT count(*) AS missing FROM unnest($1::uuid[]) AS wanted(id)
          WHERE NOT EXISTS (SELECT 1 FROM ledger.entries e WHERE e.id = wanted.id)`,
          [entries.map((e) => e.id)],
        ),
      );
      expect(rows[0]?.missing).toBe('0');
      const verdict = await reader.ledger.verifyChain();
      expect(verdict).toMatchObject({ ok: true, entries: 3000 });
    }, 240_000);
  },
);

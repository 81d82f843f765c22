/**
 * The embedded ledger on PostgreSQL: confirmed entries per second with signatures and Merkle
 * roots, and proof verifications per second beside raw Ed25519 verifications in the same run.
 *
 *   DATABASE_OWNER_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *   DATABASE_URL=postgres://clubland_login@127.0.0.1:5432/postgres node bench/ledger.ts [entries=20000] [block=1000]
 *
 * Without DATABASE_URL it runs on PGlite. A fresh database for each path. "Confirmed" counts from
 * the first submit to the last block committed (each entry signed by its club's Ed25519 key, RFC
 * 6962 root, block, entries, payloads and CONFIRMED events in one transaction), entries submitted
 * (SUBMITTED, with their outbox events) in batches of 500 as the consumer batches them. Two paths:
 * "port": every batch submitted, then every block sealed, one after the other; "service": the
 * service's own submit, as its consumer calls it, with its sealer sealing full blocks meanwhile.
 *
 * Then the Hyperledger Fabric network beside the embedded ledger, in the same run, when its settings
 * are there (FABRIC_* or deploy/fabric/up.sh's fabric.env; npm run fabric:up): the same service on
 * each ledger, entries offered by an open-loop producer at LEDGER_BENCH_RATE entries/s (default
 * 2,500) in 50 ms ticks for LEDGER_BENCH_SECONDS (default 4), blocks sealed when full or every
 * 100 ms; each entry's confirmation latency runs from its submit to the commit of its CONFIRMED
 * change, confirmed entries/s from the first submit to the last confirmation. On Fabric a block of
 * the service is one Fabric transaction of LEDGER_BENCH_FABRIC_BLOCK entries (default 1,000),
 * LEDGER_BENCH_FABRIC_CONCURRENCY (default 3) in flight; the orderer's batch settings are printed.
 */
import { createPublicKey, generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';
import { createMemoryBus } from '@clubland/bus';
import { migrate } from '@clubland/db';
import { createTestDb } from '@clubland/db/testing';
import {
  createLedgerService,
  DEFAULT_FABRIC_ENV_FILE,
  fabricSettingsFromEnv,
  type LedgerEntry,
  readEnvFile,
} from '@clubland/ledger-service';
import { type ProofDocument, signedMessage, verifyLedgerProof } from '@clubland/ledger-verify';
import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';

const entryCount = Number(process.argv[2] ?? 20_000);
const blockSize = Number(process.argv[3] ?? 1000);
const SUBMIT_BATCH = 500;

async function startLedger() {
  const db = await createTestDb();
  const service = await createLedgerService({
    db,
    bus: createMemoryBus(),
    log: pino({ level: 'silent' }),
    keyEncryptionKey: 'bench-ledger-key-encryption-key-0123456789',
    maxBlockEntries: blockSize,
    blockIntervalMs: 0,
    outboxPollIntervalMs: 60_000,
  });
  await migrate(db, { schema: service.schema, migrations: service.migrations });
  return { db, service };
}

const clubs = Array.from({ length: 20 }, () => randomUUID());
function newEntries(count = entryCount): LedgerEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const id = uuidv7();
    return {
      id,
      entityKind: 'visit',
      entityId: randomUUID(),
      fact: 'visit.checked_in',
      clubId: clubs[i % clubs.length] as string,
      counterpartyClubId: clubs[(i + 1) % clubs.length] as string,
      payload: JSON.stringify({ fee: 2500, guestCount: 1, visitId: id }),
      at: new Date().toISOString(),
    };
  });
}

async function confirm(
  path: 'port' | 'service',
  entries: readonly LedgerEntry[],
  started: Awaited<ReturnType<typeof startLedger>>,
) {
  const { service } = started;
  const since = performance.now();
  if (path === 'port') {
    for (let i = 0; i < entries.length; i += SUBMIT_BATCH)
      await service.ledger.submit(entries.slice(i, i + SUBMIT_BATCH));
    while ((await service.ledger.sealBlock(1)) > 0) {}
  } else {
    for (let i = 0; i < entries.length; i += SUBMIT_BATCH)
      await service.submit(entries.slice(i, i + SUBMIT_BATCH));
    await service.flush();
  }
  const seconds = (performance.now() - since) / 1000;
  const verdict = await service.ledger.verifyChain();
  if (!verdict.ok || verdict.entries !== entryCount)
    throw new Error(`chain not sound: ${JSON.stringify(verdict)}`);
  return {
    path,
    adapter: started.db.kind,
    blocks: verdict.blocks,
    confirmedPerSec: Math.round(entryCount / seconds),
  };
}

const service = await startLedger();
const serviceRow = await confirm('service', newEntries(), service);
await service.service.stop();
await service.db.close();

const entries = newEntries();
const { db, service: ledgerService } = await startLedger();
const portRow = await confirm('port', entries, { db, service: ledgerService });
const { ledger } = ledgerService;

// Proofs of a sample, verified many times over, against raw Ed25519 verifications of a message of
// the same size, in the same run.
const sample: ProofDocument[] = [];
for (let i = 0; i < 200; i++) {
  const proof = await ledger.proof((entries[(i * 97) % entries.length] as LedgerEntry).id);
  if (proof) sample.push(proof);
}
// Proofs and raw Ed25519 verifications take turns, ROUNDS rounds of PER_ROUND each, and each figure
// is the median of the rounds: this VM's speed drifts by tens of per cent within seconds, and two
// runs one after the other measured the drift as much as the verifier. "Raw" verifies the same
// entries' signatures with the same club keys (imported once, messages and signatures decoded
// beforehand): what a proof adds to the signature check is what the ratio shows. "Raw, one
// message" is the earlier baseline, one 320-byte message and one key over and over.
const raw = sample.map((proof) => ({
  message: signedMessage(proof.entry),
  key: createPublicKey({ key: Buffer.from(proof.publicKey, 'base64'), format: 'der', type: 'spki' }),
  signature: Buffer.from(proof.signature, 'base64'),
}));
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const message = Buffer.alloc(320, 7);
const signature = sign(null, message, privateKey);
const ROUNDS = 10;
const PER_ROUND = 2_000;
const rates = { proof: [] as number[], raw: [] as number[], one: [] as number[], ratio: [] as number[] };
const perSecond = (since: number) => PER_ROUND / ((performance.now() - since) / 1000);
function verifyProofs(): number {
  const since = performance.now();
  for (let i = 0; i < PER_ROUND; i++)
    if (!verifyLedgerProof(sample[i % sample.length] as ProofDocument).ok) throw new Error('proof failed');
  return perSecond(since);
}
function verifyRaw(): number {
  const since = performance.now();
  for (let i = 0; i < PER_ROUND; i++) {
    const { message, key, signature } = raw[i % raw.length] as (typeof raw)[number];
    if (!verify(null, message, key, signature)) throw new Error('raw failed');
  }
  return perSecond(since);
}
for (let round = 0; round < ROUNDS; round++) {
  // Which goes first alternates, so neither always runs right after the other's garbage.
  let proofRate: number;
  let rawRate: number;
  if (round % 2 === 0) {
    proofRate = verifyProofs();
    rawRate = verifyRaw();
  } else {
    rawRate = verifyRaw();
    proofRate = verifyProofs();
  }
  const since = performance.now();
  for (let i = 0; i < PER_ROUND; i++)
    if (!verify(null, message, publicKey, signature)) throw new Error('raw failed');
  rates.proof.push(proofRate);
  rates.raw.push(rawRate);
  rates.one.push(perSecond(since));
  rates.ratio.push(proofRate / rawRate);
}
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

console.table([portRow, serviceRow].map((row) => ({ ...row, entries: entryCount, blockSize, target: 5000 })));
console.table([
  {
    proofVerifyPerSec: Math.round(median(rates.proof)),
    rawEd25519VerifyPerSec: Math.round(median(rates.raw)),
    ratio: Number(median(rates.ratio).toFixed(2)),
    target: 0.8,
    rawOneMessagePerSec: Math.round(median(rates.one)),
  },
]);
await ledgerService.stop();
await db.close();

// --- The Fabric network beside the embedded ledger: the same service, the same offered load.
const fabricSettings = fabricSettingsFromEnv();
const RATE = Number(process.env.LEDGER_BENCH_RATE ?? 2500);
const SECONDS = Number(process.env.LEDGER_BENCH_SECONDS ?? 4);
const FABRIC_BLOCK = Number(process.env.LEDGER_BENCH_FABRIC_BLOCK ?? 1000);
const FABRIC_CONCURRENCY = Number(process.env.LEDGER_BENCH_FABRIC_CONCURRENCY ?? 3);
const TICK_MS = 50;

async function openLoop(kind: 'embedded' | 'fabric') {
  const loopDb = await createTestDb();
  const submittedAt = new Map<string, number>();
  const latencies: number[] = [];
  let lastConfirmed = 0;
  const loopService = await createLedgerService({
    db: loopDb,
    bus: createMemoryBus(),
    log: pino({ level: 'silent' }),
    keyEncryptionKey: 'bench-ledger-key-encryption-key-0123456789',
    maxBlockEntries: kind === 'fabric' ? FABRIC_BLOCK : blockSize,
    blockIntervalMs: 100,
    outboxPollIntervalMs: 60_000,
    ...(kind === 'fabric' && fabricSettings
      ? { ledger: 'fabric' as const, fabric: fabricSettings, fabricConcurrency: FABRIC_CONCURRENCY }
      : {}),
    observe: (changes) => {
      const now = performance.now();
      for (const change of changes) {
        const at = change.status === 'CONFIRMED' ? submittedAt.get(change.entry.id) : undefined;
        if (at === undefined) continue;
        latencies.push(now - at);
        lastConfirmed = now;
      }
    },
  });
  await migrate(loopDb, { schema: loopService.schema, migrations: loopService.migrations });
  await loopService.start();
  // Not counted: each club's first entry (its key made, and on Fabric registered on the channel).
  await loopService.submit(newEntries(clubs.length));
  await loopService.flush();
  const total = RATE * SECONDS;
  const perTick = Math.max(1, Math.round((RATE * TICK_MS) / 1000));
  const started = performance.now();
  const submits: Promise<unknown>[] = [];
  for (let i = 0; i < total; i += perTick) {
    const due = started + (i / RATE) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    // Made as they are offered: an entry's id is a UUIDv7 of the moment its fact happened.
    const chunk = newEntries(Math.min(perTick, total - i));
    const now = performance.now();
    for (const entry of chunk) submittedAt.set(entry.id, now);
    submits.push(loopService.submit(chunk));
  }
  await Promise.all(submits);
  const deadline = Date.now() + 600_000;
  while (latencies.length < total) {
    if (Date.now() > deadline) throw new Error(`${kind}: ${latencies.length} of ${total} confirmed in time`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await loopService.stop();
  await loopDb.close();
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);
  return {
    ledger: kind,
    adapter: loopDb.kind,
    offeredPerSec: RATE,
    entries: total,
    entriesPerBlock: kind === 'fabric' ? FABRIC_BLOCK : blockSize,
    confirmedPerSec: Math.round(total / ((lastConfirmed - started) / 1000)),
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    target: kind === 'fabric' ? '>= 2000/s, p95 < 2000 ms' : '',
  };
}

if (fabricSettings) {
  const orderer = (() => {
    try {
      return readEnvFile(process.env.FABRIC_ENV_FILE || DEFAULT_FABRIC_ENV_FILE);
    } catch {
      return {} as Record<string, string>;
    }
  })();
  const rows = [await openLoop('embedded'), await openLoop('fabric')];
  console.log(
    `Fabric orderer batch settings: BatchTimeout ${orderer.FABRIC_BATCH_TIMEOUT ?? '?'}, MaxMessageCount ${orderer.FABRIC_MAX_MESSAGE_COUNT ?? '?'}; ` +
      `${FABRIC_CONCURRENCY} Fabric transactions in flight, both organisations endorsing`,
  );
  console.table(rows);
} else {
  console.log('Fabric: skipped, no FABRIC_* settings nor fabric.env (npm run fabric:up starts a network)');
}

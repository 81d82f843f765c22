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
 */
import { createPublicKey, generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';
import { createMemoryBus } from '@clubland/bus';
import { migrate } from '@clubland/db';
import { createTestDb } from '@clubland/db/testing';
import { createLedgerService, type LedgerEntry } from '@clubland/ledger-service';
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
function newEntries(): LedgerEntry[] {
  return Array.from({ length: entryCount }, (_, i) => {
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

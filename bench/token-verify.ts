/**
 * Access-token verification throughput, as the gateway does it.
 *
 *   node bench/token-verify.ts [distinctTokens=20000] [cachedCalls=200000] [inFlight=64] [users=1000]
 *   taskset -c 0 node bench/token-verify.ts          # pin the whole process (and its libuv pool) to one core
 *
 * (a) distinct tokens: every verification is a real RS256 check. "jose" calls jwtVerify
 *     directly; "verifier, cold" goes through createAccessTokenVerifier with every token new
 *     (header check, kid lookup, jose, claim parsing, cache insert, revocation lookup).
 * (b) the gateway's real path: `users` users' tokens, each presented again and again within its
 *     lifetime, so after the first request per token the verified-token cache answers; the
 *     revocation check still runs on every call (an in-memory cache here, as in all-in-one).
 *
 * Each row runs serially (await one, then the next) and with `inFlight` verifications in
 * flight. "per CPU-s" divides by the process's CPU time (main thread and libuv pool together),
 * which is the per-core cost whatever the pinning.
 */
import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { createAccessTokenVerifier, revokedSessionKey, signAccessToken } from '@clubland/authz';
import { createMemoryCache } from '@clubland/cache';
import { type CryptoKey, exportJWK, generateKeyPair, jwtVerify } from 'jose';

const distinctTokens = Number(process.argv[2] ?? 20_000);
const cachedCalls = Number(process.argv[3] ?? 200_000);
const inFlight = Number(process.argv[4] ?? 64);
const users = Number(process.argv[5] ?? 1_000);
const TARGET = 20_000;
const issuer = 'https://auth.clubland.bench';
const audience = 'clubland';
const kid = 'bench-key';
const clubId = '0190a000-0000-7000-8000-00000000000a';

interface Row {
  path: string;
  mode: string;
  calls: number;
  perSec: number;
  perCpuSec: number;
}

/** Runs `verify` over `tokens` (cycling) `calls` times, `concurrency` at a time. */
async function measure(
  path: string,
  tokens: string[],
  calls: number,
  concurrency: number,
  verify: (token: string) => Promise<unknown>,
): Promise<Row> {
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  async function lane(): Promise<void> {
    while (next < calls) {
      const token = tokens[next++ % tokens.length] as string;
      await verify(token);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    path,
    mode: concurrency === 1 ? 'serial' : `${concurrency} in flight`,
    calls,
    perSec: calls / seconds,
    perCpuSec: calls / cpuSeconds,
  };
}

async function signTokens(privateKey: CryptoKey, count: number, offset: number): Promise<string[]> {
  const now = new Date();
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 256) {
    const batch = Array.from({ length: Math.min(256, count - i) }, (_, j) =>
      signAccessToken(
        privateKey,
        kid,
        {
          sub: `user-${offset + i + j}`,
          sid: `session-${offset + i + j}`,
          clubId,
          roles: [{ role: 'MEMBER', clubId }],
          permissions: ['club:read', 'visit:request', 'booking:create', 'event:rsvp', 'review:write'],
        },
        { issuer, audience, ttlSeconds: 900, now },
      ),
    );
    tokens.push(...(await Promise.all(batch)));
  }
  return tokens;
}

const format = (value: number) => Math.round(value).toLocaleString('en-US');

async function main(): Promise<void> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const revocations = createMemoryCache();
  await revocations.set(revokedSessionKey('session-revoked'), '1', 900);
  const newVerifier = () =>
    createAccessTokenVerifier({
      jwks: async () => ({ keys: [jwk] }),
      issuer,
      audience,
      isSessionRevoked: async (sid) => (await revocations.get(revokedSessionKey(sid))) !== null,
      cacheSize: 10_000,
    });

  process.stdout.write(`signing ${format(distinctTokens * 2 + users)} RS256 tokens ... `);
  const joseTokens = await signTokens(privateKey, distinctTokens, 0);
  const coldTokens = await signTokens(privateKey, distinctTokens, distinctTokens);
  const userTokens = await signTokens(privateKey, users, 2 * distinctTokens);
  console.log('done');

  const joseVerify = (token: string) =>
    jwtVerify(token, publicKey, { algorithms: ['RS256'], issuer, audience, typ: 'at+jwt' });
  // Warm up JIT and the thread pool on a few tokens before any row is measured.
  await measure('warm-up', userTokens, 2_000, inFlight, joseVerify);

  const rows: Row[] = [];
  const half = Math.floor(distinctTokens / 2);
  rows.push(
    await measure('(a) jose jwtVerify, distinct tokens', joseTokens.slice(0, half), half, 1, joseVerify),
  );
  rows.push(
    await measure('(a) jose jwtVerify, distinct tokens', joseTokens.slice(half), half, inFlight, joseVerify),
  );

  // Reference, not a verifier: the RSA signature check alone, synchronous node:crypto on this thread.
  const keyObject = createPublicKey({ key: jwk, format: 'jwk' });
  const signatureOnly = async (token: string) => {
    const dot = token.lastIndexOf('.');
    const signature = Buffer.from(token.slice(dot + 1), 'base64url');
    if (!verifySignature('sha256', Buffer.from(token.slice(0, dot)), keyObject, signature))
      throw new Error('bad');
  };
  rows.push(await measure('(ref) node:crypto RSA check only, sync', joseTokens, half, 1, signatureOnly));

  const cold = newVerifier();
  await cold.verify(userTokens[0] as string); // load the JWKS outside the clock
  rows.push(
    await measure('(a) verifier, cold (all distinct)', coldTokens.slice(0, half), half, 1, cold.verify),
  );
  rows.push(
    await measure('(a) verifier, cold (all distinct)', coldTokens.slice(half), half, inFlight, cold.verify),
  );

  const gateway = newVerifier();
  // The first request per user pays the RS256 check; every later one within the token's lifetime is a cache hit.
  await measure('warm-up', userTokens, users, inFlight, gateway.verify);
  const label = `(b) verifier, ${format(users)} users' tokens cached`;
  rows.push(await measure(label, userTokens, cachedCalls, 1, gateway.verify));
  rows.push(await measure(label, userTokens, cachedCalls, inFlight, gateway.verify));

  console.log(
    `\nNode ${process.version}, ${availableParallelism()} CPUs available, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}\n`,
  );
  const header = ['path', 'mode', 'verifications', 'per second', 'per CPU-second', `>= ${format(TARGET)}/s`];
  const table = rows.map((row) => [
    row.path,
    row.mode,
    format(row.calls),
    format(row.perSec),
    format(row.perCpuSec),
    row.perSec >= TARGET ? 'yes' : 'no',
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...table.map((cells) => (cells[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ')} |`;
  console.log(line(header));
  console.log(`| ${widths.map((w, i) => (i < 2 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`);
  for (const cells of table) console.log(line(cells));
  await revocations.close();
}

await main();

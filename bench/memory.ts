// The resident memory of `clubland start` (what `npm start` runs), from outside the process: its
// peak while starting and what it holds idle afterwards, on the embedded default and (when
// DATABASE_URL is set) on PostgreSQL.
// Target (issue 27): embedded idle < 300 MB.
// Run: node bench/memory.ts   (= npm run bench:memory; BENCH_IDLE_SECONDS=20)
//      DATABASE_OWNER_URL=... DATABASE_URL=... REDIS_URL=... NATS_URL=... node bench/memory.ts
//
// The process is started by package.json's start script, as `npm start` runs it. Each run is a fresh process on a fresh data directory (embedded: a first start, so it creates the
// database and seeds the demo network as `npm start` does; then a restart on that directory) or a
// fresh database on the server. RSS is read from /proc/<pid>/status every 50 ms: VmRSS now, VmHWM
// the kernel's own high-water mark (so a peak between two samples is not missed).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './lib/clubland.ts';
import { freshDatabase } from './lib/database.ts';

const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 20);
const SAMPLE_MS = 50;
const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const startScript = (
  JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: { start: string } }
).scripts.start;

interface MemoryRun {
  mode: string;
  /** From spawn to /ready answering 200. */
  readySeconds: number;
  /** VmHWM when ready: the most the process held while starting. */
  peakAtStartMb: number;
  /** VmRSS after IDLE_SECONDS with no requests. */
  idleMb: number;
  /** VmHWM at the end (higher than the start's peak if idling grew it). */
  peakOverallMb: number;
}

/** VmRSS and VmHWM of `pid`, in MB (10^6 bytes), or undefined once it has exited. */
function residentOf(pid: number): { rss: number; hwm: number } | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: (kb('VmRSS') * 1024) / 1e6, hwm: (kb('VmHWM') * 1024) / 1e6 };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts `clubland start` with `env`, measures it, stops it. */
async function measure(mode: string, env: Record<string, string | undefined>): Promise<MemoryRun> {
  const port = await freePort();
  const startedAt = performance.now();
  // package.json's start script, run as npm runs it: `sh -c`, whose `exec` makes that PID node's.
  const child: ChildProcess = spawn('sh', ['-c', startScript], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PATH: `${join(repoRoot, 'node_modules', '.bin')}:${process.env.PATH}`,
      LOG_LEVEL: 'warn',
      GATEWAY_PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = once(child, 'exit');
  const pid = child.pid!;
  let peakSampled = 0;
  const sampler = setInterval(() => {
    const now = residentOf(pid);
    if (now) peakSampled = Math.max(peakSampled, now.rss);
  }, SAMPLE_MS);
  try {
    let ready = false;
    for (let attempt = 0; attempt < 1800 && child.exitCode === null; attempt++) {
      try {
        ready = (await fetch(`http://127.0.0.1:${port}/ready`)).ok;
      } catch {
        // not listening yet
      }
      if (ready) break;
      await sleep(100);
    }
    if (!ready) throw new Error(`${mode}: clubland start did not become ready (exit code ${child.exitCode})`);
    const readySeconds = (performance.now() - startedAt) / 1000;
    const atReady = residentOf(pid)!;
    await sleep(IDLE_SECONDS * 1000);
    const idle = residentOf(pid)!;
    return {
      mode,
      readySeconds: Math.round(readySeconds * 10) / 10,
      peakAtStartMb: Math.round(Math.max(atReady.hwm, peakSampled)),
      idleMb: Math.round(idle.rss),
      peakOverallMb: Math.round(idle.hwm),
    };
  } finally {
    clearInterval(sampler);
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
}

async function main(): Promise<void> {
  const runs: MemoryRun[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'clubland-bench-memory-'));
  const embedded = {
    DATABASE_URL: undefined,
    DATABASE_OWNER_URL: undefined,
    REDIS_URL: undefined,
    NATS_URL: undefined,
  };
  try {
    runs.push(
      await measure('embedded (PGlite), first start: creates the database, seeds the demo', {
        ...embedded,
        CLUBLAND_DATA_DIR: dataDir,
      }),
    );
    runs.push(
      await measure('embedded (PGlite), restart on that data', { ...embedded, CLUBLAND_DATA_DIR: dataDir }),
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const appServer = process.env.DATABASE_URL;
  if (appServer) {
    const fresh = await freshDatabase(appServer, process.env.DATABASE_OWNER_URL);
    const extras = [process.env.REDIS_URL && 'Redis', process.env.NATS_URL && 'NATS'].filter(Boolean);
    const pgDataDir = mkdtempSync(join(tmpdir(), 'clubland-bench-memory-'));
    try {
      runs.push(
        await measure(['PostgreSQL', ...extras].join(' + '), {
          DATABASE_URL: fresh.url,
          DATABASE_OWNER_URL: fresh.ownerUrl,
          CLUBLAND_DATA_DIR: pgDataDir,
        }),
      );
    } finally {
      await fresh.drop();
      rmSync(pgDataDir, { recursive: true, force: true });
    }
  } else {
    console.log('DATABASE_URL is unset: no PostgreSQL row.');
  }
  console.log(`RSS of clubland start (MB = 10^6 bytes), idle after ${IDLE_SECONDS} s without requests`);
  console.table(
    runs.map((run) => ({
      mode: run.mode,
      'ready s': run.readySeconds,
      'peak RSS at start MB': run.peakAtStartMb,
      'idle RSS MB': run.idleMb,
      'peak overall MB': run.peakOverallMb,
    })),
  );
}

await main();

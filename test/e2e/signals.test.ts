import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, repoRoot } from './clubland-process.ts';

const embedded = { DATABASE_URL: undefined, NATS_URL: undefined, REDIS_URL: undefined };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

describe('npm start and signals', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clubland-signals-'));
  let serverPid = 0;
  afterAll(() => {
    // Before the fix the server outlived npm: never leave one running after a failure.
    if (serverPid > 0 && isAlive(serverPid)) process.kill(serverPid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  // A process manager or a terminal signals the PID it started: npm's. The server must drain
  // and exit 0, and npm with it, leaving no server behind.
  it('drains and exits 0 when SIGTERM goes to the PID of npm start', async () => {
    const port = await freePort();
    const npm = spawn('npm', ['start', '--', '--no-demo'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        ...embedded,
        LOG_LEVEL: 'info',
        GATEWAY_PORT: String(port),
        CLUBLAND_DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout.on('data', (chunk) => {
      output += chunk;
    });
    npm.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const exited = once(npm, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 120_000;
    while (!(await answers(`${url}/ready`))) {
      if (npm.exitCode !== null || Date.now() > deadline) throw new Error(`never ready:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    serverPid = Number(/"pid":(\d+)/.exec(output)?.[1]);
    expect(serverPid).toBeGreaterThan(0);

    npm.kill('SIGTERM');
    const [code, signal] = await exited;

    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(output).toContain('shutting down: draining');
    expect(output).toContain('shut down cleanly');
    expect(isAlive(serverPid)).toBe(false);
    expect(await answers(`${url}/health`)).toBe(false);
  }, 300_000);
});

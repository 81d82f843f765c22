import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  freePort,
  graphql,
  type RunningClubland,
  runClublandToEnd,
  startClubland,
} from './clubland-process.ts';

// The embedded database is what one process at a time may hold; nothing else is needed here.
const embedded = { DATABASE_URL: undefined, NATS_URL: undefined, REDIS_URL: undefined };
const CLUB_COUNT = '{ clubs { pageInfo { totalCount } } }';

const dirs: string[] = [];
const running: RunningClubland[] = [];
afterAll(async () => {
  for (const process of running) await process.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clubland-data-dir-'));
  dirs.push(dir);
  return join(dir, 'data');
}

/** The JSON log lines in a process's output (the banner and other plain text left out). */
function logLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function waitFor(condition: () => boolean, what: string, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`no ${what} in:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a taken port', () => {
  it('ends start-up at once with one line naming the variable and port, before the data directory exists', async () => {
    const blocker = createServer();
    blocker.listen(0);
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    const dataDir = freshDataDir();
    try {
      const startedAt = Date.now();
      const result = await runClublandToEnd(['start'], {
        ...embedded,
        CLUBLAND_DATA_DIR: dataDir,
        GATEWAY_PORT: String(port),
      });
      const elapsedMs = Date.now() - startedAt;
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`GATEWAY_PORT=${port}`);
      expect(existsSync(dataDir)).toBe(false);
      // Was ~10 s of database work first on a quiet machine; now no more than loading the config.
      expect(elapsedMs).toBeLessThan(5_000);

      // A service run alone checks both its ports: here the second one is taken.
      const alone = await runClublandToEnd(['start', '--service', 'member'], {
        ...embedded,
        CLUBLAND_DATA_DIR: dataDir,
        AUTH_SERVICE_URL: 'http://127.0.0.1:1',
        MEMBER_RPC_PORT: String(await freePort()),
        MEMBER_HTTP_PORT: String(port),
      });
      expect(alone.code).toBe(1);
      expect(alone.stderr.trim()).toMatch(new RegExp(`^clubland: MEMBER_HTTP_PORT=${port} [^\\n]+$`));
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      blocker.close();
    }
  }, 300_000);
});

describe('one process per embedded data directory', () => {
  it('refuses a second opener while a server holds the directory, and works once it stops', async () => {
    const dataDir = freshDataDir();
    const env = { ...embedded, CLUBLAND_DATA_DIR: dataDir, CLUBLAND_DEMO: 'false', LOG_LEVEL: 'info' };
    const server = await startClubland(env);
    running.push(server);
    const pid = server.child.pid!;
    const lockFile = join(dataDir, 'clubland.lock');
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(pid));

    // A second opener of each kind: one line naming the directory and the holder, nothing changed.
    const refusedOne = new RegExp(`^clubland: [^\\n]*${dataDir}[^\\n]* ${pid}\\b[^\\n]*$`);
    const seed = await runClublandToEnd(['seed', '--demo'], env);
    expect(seed.code).not.toBe(0);
    expect(seed.stderr.trim()).toMatch(refusedOne);
    expect(seed.stdout).toBe('');
    const second = await runClublandToEnd(['start'], { ...env, GATEWAY_PORT: String(await freePort()) });
    expect(second.code).not.toBe(0);
    expect(second.stderr.trim()).toMatch(refusedOne);
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(pid));
    const clubs = await graphql<{ clubs: { pageInfo: { totalCount: number } } }>(server.url, CLUB_COUNT);
    expect(clubs.data?.clubs.pageInfo.totalCount).toBe(0);
    expect(readdirSync(dataDir).filter((name) => name.startsWith('clubland.lock'))).toEqual([
      'clubland.lock',
    ]);

    // The request log: one line per request, the path without its query string (tokens travel there).
    const answer = await fetch(
      `${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}&token=secret-in-query`,
      { headers: { 'mercurius-require-preflight': 'true' } },
    );
    expect(answer.status).toBe(200);
    const correlationId = answer.headers.get('x-request-id');
    const requestLines = () =>
      logLines(server.output()).filter((line) => line.correlationId === correlationId);
    await waitFor(() => requestLines().length > 0, 'request line', server.output);
    expect(requestLines()).toHaveLength(1);
    expect(requestLines()[0]).toMatchObject({
      level: 'info',
      msg: 'request completed',
      method: 'GET',
      url: '/graphql',
      statusCode: 200,
      service: 'clubland',
    });
    expect(typeof requestLines()[0]?.responseTime).toBe('number');
    expect(server.output()).not.toContain('secret-in-query');

    expect(await server.stop()).toBe(0);
    running.pop();
    expect(existsSync(lockFile)).toBe(false);

    // Stopped: the same command now runs.
    const seeded = await runClublandToEnd(['seed', '--demo'], { ...env, LOG_LEVEL: 'warn' });
    expect(seeded.stderr).toBe('');
    expect(seeded.code).toBe(0);
    expect(existsSync(lockFile)).toBe(false);

    // A lock left by a process that died (its PID gone) is taken over.
    const dead = spawn(process.execPath, ['-e', '']);
    await once(dead, 'exit');
    writeFileSync(lockFile, `${dead.pid}\n`);
    const restarted = await startClubland({ ...env, LOG_REQUESTS: 'false' });
    running.push(restarted);
    expect(readFileSync(lockFile, 'utf8').trim()).toBe(String(restarted.child.pid));

    // The restart's banner, after the gateway listens: the demo seeded earlier, its logins still valid.
    const port = new URL(restarted.url).port;
    await waitFor(() => restarted.output().includes('club admin:'), 'banner', restarted.output);
    const output = restarted.output();
    expect(output).toContain('Clubland is running with the demo network seeded earlier');
    expect(output).toContain(`GraphQL:     http://localhost:${port}/graphql`);
    expect(output).toMatch(/member:\s+\S+@\S+ \/ \S+/);
    expect(output.indexOf('Clubland gateway listening')).toBeGreaterThan(-1);
    expect(output.indexOf('Clubland gateway listening')).toBeLessThan(output.indexOf('Clubland is running'));

    // LOG_REQUESTS=false: requests are answered, and no line is written for them.
    const quiet = await fetch(`${restarted.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'mercurius-require-preflight': 'true' },
    });
    expect(quiet.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(logLines(restarted.output()).filter((line) => line.msg === 'request completed')).toEqual([]);
    expect(await restarted.stop()).toBe(0);
    running.pop();
  }, 300_000);
});

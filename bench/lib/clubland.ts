import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The first network administrator of every benchmark instance (bootstrapped from the environment). */
export const BENCH_ADMIN = {
  email: 'bench-operator@example.org',
  password: 'correct horse battery staple 42',
};

/** Starts `clubland start` as its own process (as `npm start` does) on a fresh data directory. */
export async function startClublandForBench(
  env: Record<string, string | undefined> = {},
  dataDir = mkdtempSync(join(tmpdir(), 'clubland-bench-')),
) {
  const port = await freePort();
  // BENCH_NODE_ARGS: flags for the server's Node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where it spends.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, 'apps/clubland/src/main.ts', 'start'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      // A benchmark is one client hammering the door: measure the door, not its rate limits.
      RATE_LIMIT_ANONYMOUS: '100000000',
      RATE_LIMIT_MEMBER: '100000000',
      RATE_LIMIT_STAFF: '100000000',
      RATE_LIMIT_PER_IP: '100000000',
      NODE_ENV: 'production',
      // Production refuses the ledger's development key, and starts no notification service
      // without keys for its unsubscribe links.
      LEDGER_KEY_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      NOTIFICATION_UNSUBSCRIBE_SECRETS: randomBytes(32).toString('hex'),
      GATEWAY_PORT: String(port),
      CLUBLAND_DATA_DIR: dataDir,
      // Benchmarks bring their own data; the demo network would only slow the first start.
      CLUBLAND_DEMO: 'false',
      // The network administrator who registers the benchmark's clubs (createClub needs one).
      CLUBLAND_BOOTSTRAP_ADMIN_EMAIL: BENCH_ADMIN.email,
      CLUBLAND_BOOTSTRAP_ADMIN_PASSWORD: BENCH_ADMIN.password,
      // Its own keys in a shared Redis: auth's per-IP limits (registrations) outlast a run, and the
      // next run's setup would be refused by what this one counted.
      REDIS_KEY_PREFIX: `bench-${randomBytes(4).toString('hex')}:`,
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      if ((await fetch(`${url}/ready`)).ok) break;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    async graphql<T>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: T; errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data as T;
    },
    /** The network administrator's access token (only they register clubs). */
    async adminToken(): Promise<string> {
      const { login } = await this.graphql<{ login: { token: string } }>(
        'mutation($input: LoginInput!) { login(input: $input) { token } }',
        { input: BENCH_ADMIN },
      );
      return login.token;
    },
    dataDir,
    /** Stops the process; the data directory stays (for a restart) unless `removeData`. */
    async stop(removeData = true) {
      child.kill('SIGTERM');
      await once(child, 'exit');
      if (removeData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A TCP port free on 127.0.0.1 just now. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

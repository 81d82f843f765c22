import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** Runs the real binary as a child process, the way `npm start` does, for end-to-end tests. */

/** How long a started binary may take to answer /ready before the test gives up on it. */
export const READY_WITHIN_MS = 240_000;

/** The ledger's key-encryption key for end-to-end runs: not the development default, which production refuses. */
const E2E_LEDGER_KEY = 'e2e-ledger-key-encryption-key-0123456789abcdef';
/** The keys signing unsubscribe links, which production requires as well. */
const E2E_UNSUBSCRIBE_SECRETS = 'e2e-unsubscribe-secret-0123456789abcdef';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface RunningClubland {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function runClubland(
  args: string[],
  env: Record<string, string | undefined>,
  options: { input?: string } = {},
): ChildProcess {
  const child = spawn(process.execPath, ['apps/clubland/src/main.ts', ...args], {
    cwd: repoRoot,
    // Production refuses the ledger's development key and starts no notification service without
    // unsubscribe keys: every process here gets test keys of its own (a test may still set or unset them).
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      LEDGER_KEY_ENCRYPTION_KEY: E2E_LEDGER_KEY,
      NOTIFICATION_UNSUBSCRIBE_SECRETS: E2E_UNSUBSCRIBE_SECRETS,
      ...env,
    },
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  return child;
}

/** Runs a command of the binary to its end: exit code, standard output and standard error apart. */
export async function runClublandToEnd(
  args: string[],
  env: Record<string, string | undefined>,
  options: { input?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = runClubland(args, env, options);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** The first network administrator that e2e runs bootstrap through CLUBLAND_BOOTSTRAP_ADMIN_*. */
export const E2E_ADMIN = { email: 'operator@clubland.test', password: 'Network-Keys-Password-1' };
export const bootstrapAdminEnv = {
  CLUBLAND_BOOTSTRAP_ADMIN_EMAIL: E2E_ADMIN.email,
  CLUBLAND_BOOTSTRAP_ADMIN_PASSWORD: E2E_ADMIN.password,
};

/** Signs in over GraphQL and answers the access token. */
export async function login(url: string, email: string, password: string): Promise<string> {
  const answer = await graphql<{ login: { token: string } }>(
    url,
    'mutation($input: LoginInput!) { login(input: $input) { token } }',
    { input: { email, password } },
  );
  if (!answer.data) throw new Error(`login of ${email} failed: ${JSON.stringify(answer.errors)}`);
  return answer.data.login.token;
}

export async function startClubland(
  env: Record<string, string | undefined>,
  options: { args?: string[]; portVariable?: string } = {},
): Promise<RunningClubland> {
  const port = await freePort();
  const child = runClubland(options.args ?? ['start'], {
    [options.portVariable ?? 'GATEWAY_PORT']: String(port),
    ...env,
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(url, exited, () => output);
  } catch (error) {
    // A process that never became ready must not outlive the test that started it.
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
}

async function waitUntilReady(
  url: string,
  exited: Promise<number | null>,
  output: () => string,
): Promise<void> {
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  // Generous: on a machine busy with other work a first start waits for the CPU as long as it computes.
  const deadline = Date.now() + READY_WITHIN_MS;
  while (Date.now() < deadline) {
    if (hasExited) throw new Error(`clubland exited before it was ready:\n${output()}`);
    try {
      const response = await fetch(`${url}/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`clubland was not ready within ${READY_WITHIN_MS / 1000} s:\n${output()}`);
}

export async function graphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<{ data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as {
    data?: T;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

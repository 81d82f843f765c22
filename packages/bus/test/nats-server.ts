import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NATS_SERVER = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';
/** Whether a nats-server binary is there to start (tests that start their own skip without it). */
export const hasNatsServerBinary = existsSync(NATS_SERVER);

export interface OwnNatsServer {
  url: string;
  /** SIGKILL: no goodbye to clients, as in a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port and store directory. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A nats-server with JetStream of the test's own, storing in a temporary directory: on a free
 * port, or on `port` (one a test reserved, to point a client at it before the server is up).
 */
export async function startNatsServer(options: { port?: number } = {}): Promise<OwnNatsServer> {
  const port = options.port ?? (await freePort());
  const storeDir = await mkdtemp(join(tmpdir(), 'clubland-nats-'));
  const launch = () =>
    spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], { stdio: 'ignore' });
  let child: ChildProcess = launch();
  await waitForPort(port);

  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  return {
    url: `nats://127.0.0.1:${port}`,
    kill,
    async restart() {
      child = launch();
      await waitForPort(port);
    },
    async stop() {
      await kill();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const isOpen = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      const answer = (open: boolean) => {
        socket.destroy();
        resolve(open);
      };
      socket.once('connect', () => answer(true)).once('error', () => answer(false));
      socket.connect(port, '127.0.0.1');
    });
    if (isOpen) return;
    if (Date.now() > deadline) throw new Error(`nats-server did not open port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

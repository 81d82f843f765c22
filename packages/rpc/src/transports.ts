import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import {
  type ConnectRouter,
  createRouterTransport,
  type Interceptor,
  type Transport,
} from '@connectrpc/connect';
import { connectNodeAdapter, createGrpcTransport } from '@connectrpc/connect-node';
import { clientContextInterceptor, serverContextInterceptor } from './context-interceptors.ts';
import { type ErrorReporter, serverErrorInterceptor } from './error-interceptors.ts';
import { createInProcessTransport } from './in-process-transport.ts';

/** A service's RPC surface: registers its handlers on a router. Both transports serve the same function. */
export type RegisterRoutes = (router: ConnectRouter) => void;

function serverInterceptors(log: ErrorReporter): Interceptor[] {
  return [serverContextInterceptor(), serverErrorInterceptor(log)];
}

function clientInterceptors(): Interceptor[] {
  return [clientContextInterceptor()];
}

/**
 * All-in-one mode: calls run the service's handlers in this process, through the same
 * interceptors as over HTTP/2 (context in, catalogue codes out), without protobuf encoding.
 */
export function createInMemoryTransport(register: RegisterRoutes, log: ErrorReporter): Transport {
  return createInProcessTransport(register, {
    clientInterceptors: clientInterceptors(),
    serverInterceptors: serverInterceptors(log),
  });
}

/**
 * The full Connect protocol in memory: every message is encoded to protobuf bytes and decoded
 * again, as on the network. Service test harnesses use it, so the embedded test run also proves
 * that every request and response survives the wire format.
 */
export function createLoopbackTransport(register: RegisterRoutes, log: ErrorReporter): Transport {
  return createRouterTransport(register, {
    router: { interceptors: serverInterceptors(log) },
    transport: { interceptors: clientInterceptors() },
  });
}

/** Distributed mode: gRPC over HTTP/2 (cleartext, prior knowledge) to `baseUrl`, e.g. `http://member:50051`. */
export function createRemoteTransport(baseUrl: string): Transport {
  return createGrpcTransport({
    baseUrl,
    interceptors: clientInterceptors(),
    idleConnectionTimeoutMs: 60_000,
    pingIntervalMs: 30_000,
  });
}

export interface RpcServer {
  readonly port: number;
  /** Stops accepting sessions, lets in-flight calls finish (GOAWAY), then resolves. */
  close(): Promise<void>;
}

export async function startRpcServer(options: {
  register: RegisterRoutes;
  host: string;
  port: number;
  log: ErrorReporter;
}): Promise<RpcServer> {
  const handler = connectNodeAdapter({
    routes: options.register,
    interceptors: serverInterceptors(options.log),
    grpc: true,
    grpcWeb: false,
    connect: true,
  });
  const server = http2.createServer(handler);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of sessions) session.close();
      }),
  };
}

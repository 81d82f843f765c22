export { callerContextOf } from './caller-context.ts';
export { createRpcClient } from './client.ts';
export { type ErrorReporter, serverErrorInterceptor, toClubError } from './error-interceptors.ts';
export {
  createInMemoryTransport,
  createLoopbackTransport,
  createRemoteTransport,
  type RegisterRoutes,
  type RpcServer,
  startRpcServer,
} from './transports.ts';

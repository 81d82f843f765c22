import type { FastifyReply } from 'fastify';
import type { Caller } from './caller.ts';
import type { RequestLoaders } from './request-loaders.ts';

/** What every resolver receives: who calls, and this request's batching loaders. */
export interface ResolverContext {
  caller: Caller;
  loaders: RequestLoaders;
  /** The HTTP reply (Mercurius puts it in every HTTP request's context); absent over WebSocket.
   *  For response headers only, e.g. a sign-in's known-device token. */
  reply?: FastifyReply;
}

declare module 'mercurius' {
  interface MercuriusContext {
    caller: Caller;
    loaders: RequestLoaders;
  }
}

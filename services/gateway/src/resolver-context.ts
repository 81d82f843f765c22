import type { Caller } from './caller.ts';
import type { RequestLoaders } from './request-loaders.ts';

/** What every resolver receives: who calls, and this request's batching loaders. */
export interface ResolverContext {
  caller: Caller;
  loaders: RequestLoaders;
}

declare module 'mercurius' {
  interface MercuriusContext {
    caller: Caller;
    loaders: RequestLoaders;
  }
}

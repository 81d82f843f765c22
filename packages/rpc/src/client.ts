import type { DescService } from '@bufbuild/protobuf';
import { type Client, createClient, type Transport } from '@connectrpc/connect';
import { toClubError } from './error-interceptors.ts';

/**
 * A typed client of `service` whose failures are ClubErrors again (the code the service threw,
 * with its details), so callers handle one error type whether the call crossed a network or not.
 */
export function createRpcClient<S extends DescService>(service: S, transport: Transport): Client<S> {
  const client = createClient(service, transport);
  return new Proxy(client, {
    get(target, property, receiver) {
      const method: unknown = Reflect.get(target, property, receiver);
      if (typeof method !== 'function') return method;
      return async (...args: unknown[]) => {
        try {
          return await method.apply(target, args);
        } catch (error) {
          throw toClubError(error);
        }
      };
    },
  });
}

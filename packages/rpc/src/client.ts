import type { DescService } from '@bufbuild/protobuf';
import { type Client, createClient, type Transport } from '@connectrpc/connect';
import { toClubError } from './error-interceptors.ts';

/**
 * A typed client of `service` whose failures are ClubErrors again (the code the service threw,
 * with its details), so callers handle one error type whether the call crossed a network or not.
 */
export function createRpcClient<S extends DescService>(service: S, transport: Transport): Client<S> {
  const client = createClient(service, transport) as Record<string, unknown>;
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(client)) {
    wrapped[name] =
      typeof method !== 'function'
        ? method
        : async (...args: unknown[]) => {
            try {
              return await method.apply(client, args);
            } catch (error) {
              throw toClubError(error);
            }
          };
  }
  return wrapped as Client<S>;
}

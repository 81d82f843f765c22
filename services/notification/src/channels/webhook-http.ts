import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { DeliveryError } from './channel.ts';
import { isPublicAddress, publicOnlyLookup } from './public-address.ts';

export interface WebhookPostOptions {
  timeoutMs: number;
  /** Allow endpoints on loopback and private networks (development, tests); public only otherwise. */
  allowPrivateNetworks: boolean;
}

/** What a receiver answers beyond this is not read: only the status matters. */
const MAX_REPLY_BYTES = 64 * 1024;

/**
 * One webhook POST over node:http(s) (not fetch: only node:http lets us vet the addresses a name
 * resolves to before connecting, see public-address.ts). Resolves with the HTTP status of any answer;
 * throws a retryable DeliveryError when there is none (refused, reset, no answer in time), and a
 * non-retryable one when the endpoint is not public and that is not allowed. Redirects are not
 * followed: a 3xx is an answer, and not a 2xx.
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: WebhookPostOptions,
): Promise<{ status: number }> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivateNetworks && isIP(host) !== 0 && !isPublicAddress(host))
    return Promise.reject(new DeliveryError(`webhook endpoint: ${host} is not a public address`, false));
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal: AbortSignal.timeout(options.timeoutMs),
        ...(options.allowPrivateNetworks ? {} : { lookup: publicOnlyLookup }),
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_REPLY_BYTES) response.destroy();
        });
        response.on('close', () => resolve({ status: response.statusCode ?? 0 }));
        response.on('error', () => resolve({ status: response.statusCode ?? 0 }));
      },
    );
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (error.name === 'AbortError' || error.name === 'TimeoutError')
        return reject(new DeliveryError(`webhook endpoint: no answer in ${options.timeoutMs} ms`, true));
      if (error.code === 'ENOTPUBLIC')
        return reject(new DeliveryError(`webhook endpoint: ${error.message}`, false));
      reject(new DeliveryError(`webhook endpoint: ${error.code ?? error.message}`, true));
    });
    outgoing.end(body);
  });
}

import { DeliveryError } from './channel.ts';

/**
 * What the HTTP providers (SMS, push, webhooks) share: one POST with a deadline, and the rule that
 * says whether a failure is worth another try. 408, 429 and 5xx are (a busy or restarting
 * provider); other 4xx are not (a bad number, a revoked token: the same request fails again).
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export interface HttpReply {
  status: number;
  body: string;
}

/** POSTs and reads the whole reply; a network failure or the deadline is a retryable DeliveryError. */
export async function post(
  provider: string,
  url: string,
  init: { headers: Record<string, string>; body: string; timeoutMs: number },
): Promise<HttpReply> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: init.headers,
      body: init.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(init.timeoutMs),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    const reason =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer in ${init.timeoutMs} ms`
        : causeOf(error);
    throw new DeliveryError(`${provider}: ${reason}`, true);
  }
}

/** Throws the DeliveryError a non-2xx reply stands for, with the provider's own words when it gave some. */
export function assertAccepted(
  provider: string,
  reply: HttpReply,
  explain: (body: unknown) => string | undefined,
): void {
  if (reply.status >= 200 && reply.status < 300) return;
  const reason = explain(parseJson(reply.body)) ?? `HTTP ${reply.status}`;
  throw new DeliveryError(`${provider}: ${reason}`, isRetryableStatus(reply.status), reply.status);
}

export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch reports every network failure as "fetch failed"; the cause names it (ECONNREFUSED...).
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return cause?.code ?? cause?.message ?? error.message;
}

/** Redelivery defaults shared by both adapters, so a handler sees the same retries on either. */
export const DEFAULT_RETRY_DELAY_MS = 1_000;
export const DEFAULT_MAX_DELIVERIES = 10;
/** A failing event is retried at least this often, however many times it failed. */
const MAX_RETRY_DELAY_MS = 5 * 60_000;

/** The delay after the `delivery`-th failed delivery (1-based): `base`, then doubling. */
export function retryDelayMs(base: number, delivery: number): number {
  return Math.min(base * 2 ** Math.max(0, delivery - 1), MAX_RETRY_DELAY_MS);
}

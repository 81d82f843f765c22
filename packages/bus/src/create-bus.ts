import type { Bus, BusLog } from './bus.ts';
import { createMemoryBus } from './memory-bus.ts';

export interface CreateBusOptions {
  /** NATS JetStream when set; the in-process bus otherwise. */
  natsUrl?: string | undefined;
  stream?: string | undefined;
  /** Subjects are `<subjectPrefix>.<type>`. */
  subjectPrefix?: string | undefined;
  log?: BusLog;
  /** How long one attempt to connect to NATS may take. */
  connectTimeoutMs?: number;
}

/**
 * Picks the adapter by configuration only; business code sees the Bus port either way. The NATS
 * client loads only when NATS_URL is set (the in-process bus does not carry its ~2.5 MB of heap).
 */
export async function createBus(options: CreateBusOptions = {}): Promise<Bus> {
  if (options.natsUrl) {
    const { createNatsBus } = await import('./nats-bus.ts');
    return await createNatsBus({
      url: options.natsUrl,
      ...(options.stream ? { stream: options.stream } : {}),
      ...(options.subjectPrefix ? { subjectPrefix: options.subjectPrefix } : {}),
      ...(options.log ? { log: options.log } : {}),
      ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
    });
  }
  return createMemoryBus(options.log ? { log: options.log } : {});
}

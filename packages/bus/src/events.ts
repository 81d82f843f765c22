import { ClubError } from '@clubland/errors';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { EventEnvelope } from './envelope.ts';

/**
 * An event type: lower-case dot-separated tokens, `<aggregate>.<past-tense verb>`. Each token is a
 * valid NATS subject token (no spaces, `*` or `>`), so `clubland.<type>` is always a valid subject.
 */
const eventType = z.string().regex(/^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$/, 'not an event type');

/** The envelope as it crosses the wire; `data` is checked by the event's own schema. */
export const envelopeSchema = z.object({
  id: z.uuid(),
  type: eventType,
  version: z.number().int().positive(),
  /** A club id (tenants are clubs), so it can scope a consumer's transaction to that club. */
  tenantId: z.uuid().nullable(),
  occurredAt: z.iso.datetime({ offset: true }),
  correlationId: z.string().min(1).nullable(),
  data: z.unknown(),
});

/**
 * Validates a message at the consumer boundary. Throws `request.invalid_input` naming the first
 * offending field, so an adapter can log it and set the message aside as poison.
 */
export function parseEnvelope(value: unknown): EventEnvelope {
  const result = envelopeSchema.safeParse(value);
  if (!result.success) throw invalidFrom(result.error, 'envelope');
  return result.data as EventEnvelope;
}

export interface BuildInput<T> {
  tenantId: string | null;
  correlationId: string | null;
  data: T;
}

export interface BuildDeps {
  clock?: () => Date;
  newId?: () => string;
}

export interface EventDefinition<S extends z.ZodType> {
  readonly type: string;
  readonly version: number;
  readonly schema: S;
  /** The envelope for one occurrence; `data` is checked against the schema first. */
  build(input: BuildInput<z.input<S>>, deps?: BuildDeps): EventEnvelope<z.output<S>>;
  /** True when an envelope is of this type and version (it may still carry invalid data). */
  is(event: EventEnvelope): boolean;
  /** Checks a received envelope's type and data; throws `request.invalid_input` when they do not match. */
  parse(event: EventEnvelope): EventEnvelope<z.output<S>>;
}

/** The data type of an event definition, e.g. `EventData<typeof clubCreated>`. */
export type EventData<D> = D extends EventDefinition<infer S> ? z.output<S> : never;

/**
 * One event type, its version and the zod schema of its data: the single source of truth that
 * publishers build from and consumers parse with.
 *
 * Invalid data at `build` is a bug in the publishing service (its use case validated the request
 * already), not the caller's bad input: it throws `internal`, so a client never sees our event
 * schema's field names, and the zod issue goes to the logs as the cause.
 */
export function defineEvent<S extends z.ZodType>(
  type: string,
  version: number,
  schema: S,
): EventDefinition<S> {
  eventType.parse(type);
  return {
    type,
    version,
    schema,
    build(input, deps = {}) {
      const result = schema.safeParse(input.data);
      if (!result.success) {
        throw new ClubError('internal', `invalid data for event ${type}`, {}, result.error);
      }
      return {
        id: (deps.newId ?? uuidv7)(),
        type,
        version,
        tenantId: input.tenantId,
        occurredAt: (deps.clock?.() ?? new Date()).toISOString(),
        correlationId: input.correlationId,
        data: result.data,
      };
    },
    is(event) {
      return event.type === type && event.version === version;
    },
    parse(event) {
      if (event.type !== type || event.version !== version) {
        throw new ClubError('request.invalid_input', `expected ${type} v${version}`, { field: 'type' });
      }
      const result = schema.safeParse(event.data);
      if (!result.success) throw invalidFrom(result.error, 'data');
      return { ...event, data: result.data };
    },
  };
}

function invalidFrom(error: z.ZodError, root: string): ClubError {
  const issue = error.issues[0];
  const path = [root, ...(issue?.path ?? []).map(String)].join('.');
  return new ClubError(
    'request.invalid_input',
    `${path}: ${issue?.message ?? 'invalid'}`,
    { field: path },
    error,
  );
}

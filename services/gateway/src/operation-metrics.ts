import { httpDurationBuckets, type Metrics } from '@clubland/telemetry';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DocumentNode } from 'graphql';
import { Counter, Histogram } from 'prom-client';
import { graphql } from './graphql-runtime.ts';

/** ok: answered without errors; error: executed with errors; rejected: refused before executing. */
type Outcome = 'ok' | 'error' | 'rejected';
const labelNames = ['operation', 'type', 'outcome'] as const;

/** Operation names come from clients: past this many distinct ones, the rest share one label. */
const MAX_OPERATION_NAMES = 500;

interface Seen {
  operation: string;
  type: string;
}

export interface OperationMetrics {
  /** The error formatter saw errors for this request. */
  markErrors(request: FastifyRequest): void;
}

/**
 * Per-operation metrics on the gateway's registry: `graphql_operations_total` and
 * `graphql_operation_duration_seconds` by operation name, type and outcome. The operation is read
 * just before execution; the time is the whole request's, from its first byte to the last.
 */
export function registerOperationMetrics(
  app: FastifyInstance,
  metrics: Metrics,
  graphqlPath: string,
): OperationMetrics {
  const total = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations answered over HTTP, by operation name, type and outcome',
    labelNames,
    registers: [metrics.registry],
  });
  const duration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'GraphQL operation latency in seconds over HTTP, by operation name, type and outcome',
    labelNames,
    buckets: httpDurationBuckets,
    registers: [metrics.registry],
  });
  const names = new Set<string>();
  const seen = new WeakMap<FastifyRequest, Seen>();
  const errored = new WeakSet<FastifyRequest>();

  function boundedName(name: string): string {
    if (names.has(name)) return name;
    if (names.size >= MAX_OPERATION_NAMES) return '(other)';
    names.add(name);
    return name;
  }

  app.graphql.addHook('preExecution', (_schema, document, context) => {
    const request = context.reply?.request;
    if (!request) return;
    const operation = operationOf(document, requestedName(request));
    seen.set(request, {
      operation: boundedName(operation?.name ?? '(anonymous)'),
      type: operation?.type ?? 'unknown',
    });
  });

  app.addHook('onResponse', async (request, reply) => {
    if (request.routeOptions.url !== graphqlPath || request.method === 'OPTIONS') return;
    if (request.headers.upgrade) return; // a WebSocket's lifetime is not a request's latency
    const found = seen.get(request);
    const outcome: Outcome = !found ? 'rejected' : errored.has(request) ? 'error' : 'ok';
    const labels = { operation: found?.operation ?? '(unparsed)', type: found?.type ?? 'unknown', outcome };
    total.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });

  return {
    markErrors(request) {
      errored.add(request);
    },
  };
}

function requestedName(request: FastifyRequest): string | undefined {
  const from = (request.method === 'GET' ? request.query : request.body) as {
    operationName?: unknown;
  } | null;
  return typeof from?.operationName === 'string' ? from.operationName : undefined;
}

function operationOf(document: DocumentNode, name: string | undefined) {
  const operation = graphql.getOperationAST(document, name);
  return operation ? { name: operation.name?.value, type: operation.operation } : undefined;
}

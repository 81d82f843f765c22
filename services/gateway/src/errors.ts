import { isClubError } from '@clubland/errors';
import type { FastifyBaseLogger } from 'fastify';
import { GraphQLError } from 'graphql';

/**
 * Maps every error leaving the gateway to the client's contract: `extensions.code` from the error
 * catalogue, the field for bad input, retry-after for rate limits. Anything unexpected becomes
 * INTERNAL_SERVER_ERROR with the correlation id and nothing else; the cause goes to the log.
 */
export function toClientError(
  error: GraphQLError,
  correlationId: string,
  log: FastifyBaseLogger,
): GraphQLError {
  const original = error.originalError;
  if (original === undefined || original === null || original instanceof GraphQLError) {
    // Parse and validation errors come from graphql-js itself and are safe to show.
    const code = error.extensions?.code ?? 'GRAPHQL_VALIDATION_FAILED';
    return new GraphQLError(error.message, { ...pick(error), extensions: { ...error.extensions, code } });
  }
  // A service's own internal failure arrives as the catalogued `internal`: treated like any other.
  if (isClubError(original) && original.code !== 'internal') {
    return new GraphQLError(original.message, { ...pick(error), extensions: original.extensions });
  }
  log.error({ err: original, path: error.path, correlationId }, 'unexpected error in a resolver');
  return new GraphQLError('Internal server error', {
    ...pick(error),
    extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId },
  });
}

function pick(error: GraphQLError) {
  return { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path };
}

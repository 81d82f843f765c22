import { isClubError } from '@clubland/errors';
import type { FastifyBaseLogger } from 'fastify';
import type { GraphQLError } from 'graphql';
import { graphql } from './graphql-runtime.ts';
import { MalformedGraphqlRequest } from './request-shape.ts';

const { GraphQLError: GraphqlError } = graphql;

/** What leaves the gateway when a request has errors: the HTTP status and the client's errors. */
export interface ClientErrors {
  statusCode: number;
  errors: GraphQLError[];
}

/** Requests refused before GraphQL ran (Fastify and Mercurius errors): their code and HTTP status. */
const requestErrors: Record<string, { code: string; status?: number }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', status: 413 },
  // Automatic persisted queries: the client resends the full query once (Apollo's protocol).
  MER_ERR_GQL_PERSISTED_QUERY_NOT_FOUND: { code: 'PERSISTED_QUERY_NOT_FOUND', status: 200 },
  MER_ERR_GQL_PERSISTED_QUERY_NOT_SUPPORTED: { code: 'PERSISTED_QUERY_NOT_SUPPORTED', status: 200 },
  // A mutation sent by GET (with the CSRF preflight header, or it is refused earlier): 405, and
  // the gateway's error formatter adds `Allow: POST`.
  MER_ERR_METHOD_NOT_ALLOWED: { code: 'METHOD_NOT_ALLOWED', status: 405 },
  // Mercurius's message says only "blocked as a potential CSRF": the sender is told what to add
  // instead (`csrfHint`, request-shape.ts).
  MER_ERR_GQL_CSRF_PREVENTION: { code: 'BAD_REQUEST', status: 400 },
};

/** graphql-js's token cap, named so a client sees which limit it hit. */
const MAX_TOKENS_MESSAGE = /^Syntax Error: Document contains more that \d+ tokens/;
/** graphql-js ends a message with its suggestions as one sentence: ` Did you mean "a" or "b"?`. */
const SUGGESTIONS = / Did you mean [^?]*\?$/;

export interface ClientErrorOptions {
  /**
   * Drop graphql-js's "Did you mean …" from messages (introspection off: they would spell out the
   * schema). Validation is told so directly (`hideSuggestions`); this catches the paths we do not
   * call ourselves, such as Mercurius coercing a new document's variables.
   */
  hideSuggestions?: boolean;
  /** The message for a request refused as a potential CSRF: what the sender should add or open. */
  csrfHint?: string;
}

/**
 * Maps every error leaving the gateway to the client's contract: `extensions.code` from the error
 * catalogue, the field for bad input, retry-after for rate limits; GraphQL's own parse and
 * validation errors as GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED; a refused request
 * (bad JSON, too large, CSRF) as BAD_REQUEST or PAYLOAD_TOO_LARGE with its HTTP status. Anything
 * unexpected becomes INTERNAL_SERVER_ERROR with the correlation id and nothing else; the cause
 * goes to the log.
 */
export function toClientErrors(
  errors: readonly GraphQLError[],
  correlationId: string,
  log: FastifyBaseLogger,
  options: ClientErrorOptions = {},
): ClientErrors {
  let statusCode = 200;
  const mapped: GraphQLError[] = [];
  for (const error of errors) {
    for (const { error: client, status } of mapError(error, { correlationId, log, ...options })) {
      mapped.push(client);
      if (status !== undefined && status > statusCode) statusCode = status;
    }
  }
  return { statusCode, errors: mapped };
}

/** One error as the client sees it (kept for callers that map a single error). */
export function toClientError(
  error: GraphQLError,
  correlationId: string,
  log: FastifyBaseLogger,
): GraphQLError {
  return toClientErrors([error], correlationId, log).errors[0]!;
}

interface Mapped {
  error: GraphQLError;
  status?: number;
}

interface MapContext extends ClientErrorOptions {
  correlationId: string;
  log: FastifyBaseLogger;
}

function mapError(error: GraphQLError, context: MapContext): Mapped[] {
  const { correlationId, log } = context;
  const original: unknown = error.originalError;
  // Mercurius wraps parse and validation failures in one error carrying them all. It gives a GET
  // mutation's refusal its reason the same way, as a plain Error that would read as an unexpected
  // failure: that one is a refused request, mapped below.
  const wrapped = fastifyCode(original) === 'MER_ERR_METHOD_NOT_ALLOWED' ? undefined : nestedErrors(original);
  if (wrapped) return wrapped.flatMap((inner) => mapError(asGraphqlError(inner), context));

  if (original === undefined || original === null || original instanceof GraphqlError) {
    return [{ error: fromGraphql(error, context.hideSuggestions === true) }];
  }
  // A service's own internal failure arrives as the catalogued `internal`: treated like any other.
  if (isClubError(original) && original.code !== 'internal') {
    return [{ error: withExtensions(error, original.extensions, original.message) }];
  }
  if (original instanceof MalformedGraphqlRequest) {
    return [
      { error: new GraphqlError(original.message, { extensions: { code: 'BAD_REQUEST' } }), status: 400 },
    ];
  }
  const refused = requestError(original, context.csrfHint);
  if (refused) return [refused];

  log.error({ err: original, path: error.path, correlationId }, 'unexpected error in a resolver');
  return [
    {
      error: new GraphqlError('Internal server error', {
        ...pick(error),
        extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId },
      }),
    },
  ];
}

function fromGraphql(error: GraphQLError, hideSuggestions: boolean): GraphQLError {
  if (error.extensions?.code) return error;
  if (MAX_TOKENS_MESSAGE.test(error.message)) {
    return withExtensions(error, { code: 'GRAPHQL_PARSE_FAILED', limit: 'tokens' });
  }
  const code = error.message.startsWith('Syntax Error')
    ? 'GRAPHQL_PARSE_FAILED'
    : 'GRAPHQL_VALIDATION_FAILED';
  const message = hideSuggestions ? error.message.replace(SUGGESTIONS, '') : error.message;
  return withExtensions(error, { ...error.extensions, code }, message);
}

/** A Fastify or Mercurius 4xx: the request itself was refused; its message is safe to show. */
function requestError(original: unknown, csrfHint: string | undefined): Mapped | undefined {
  const code = fastifyCode(original);
  const status = (original as { statusCode?: unknown }).statusCode;
  if (code === undefined || typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  const known = requestErrors[code];
  const message = code === 'MER_ERR_GQL_CSRF_PREVENTION' && csrfHint ? csrfHint : (original as Error).message;
  return {
    error: new GraphqlError(message, { extensions: { code: known?.code ?? 'BAD_REQUEST' } }),
    status: known?.status ?? status,
  };
}

function fastifyCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(FST|MER)_ERR_/.test(code) ? code : undefined;
}

function nestedErrors(error: unknown): unknown[] | undefined {
  const errors = (error as { errors?: unknown } | null | undefined)?.errors;
  return Array.isArray(errors) && fastifyCode(error) !== undefined ? errors : undefined;
}

function asGraphqlError(error: unknown): GraphQLError {
  if (error instanceof GraphqlError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new GraphqlError(message, { originalError: error instanceof Error ? error : undefined });
}

function withExtensions(error: GraphQLError, extensions: Record<string, unknown>, message = error.message) {
  return new GraphqlError(message, { ...pick(error), extensions });
}

function pick(error: GraphQLError) {
  return { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path };
}

import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

/** What a confused sender is shown as the way to write a request. */
const EXAMPLE = `{"query": "{ clubs { nodes { name } } }"}`;

/**
 * A request to /graphql that is not a GraphQL request at all: the sender gets BAD_REQUEST (400)
 * saying what to send (errors.ts maps it). Its message is ours, written for that sender.
 */
export class MalformedGraphqlRequest extends Error {
  readonly statusCode = 400;

  constructor(message: string) {
    super(message);
    this.name = 'MalformedGraphqlRequest';
  }
}

/**
 * Checks, once, before Mercurius reads it, that a POST body is a GraphQL request: one JSON object
 * whose `query` is the document as a string, or an automatic persisted query's hash. Mercurius's
 * own schema would turn `{"query": 5}` into "5" or fail on it with a TypeError, and answers `{}`
 * with PERSISTED_QUERY_NOT_FOUND "Unknown query". The happy path costs one `typeof`.
 * A route hook of /graphql only (Mercurius's `additionalRouteOptions`), so no other route pays.
 */
export function checkRequestShape(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  let problem: string | undefined;
  if (request.method === 'POST') problem = bodyProblem(request.body);
  // A WebSocket's GraphQL arrives in its messages (subscriptions.ts), not in the upgrade's URL.
  else if (request.method === 'GET' && !request.ws) problem = queryStringProblem(request.query);
  done(problem === undefined ? undefined : new MalformedGraphqlRequest(problem));
}

function bodyProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return `The body must be one JSON object, e.g. ${EXAMPLE}`;
  }
  const { query, extensions } = body as { query?: unknown; extensions?: unknown };
  if (typeof query === 'string' && query !== '') return undefined;
  if (query !== undefined && query !== null && query !== '') {
    return `"query" must be a string holding the GraphQL document (it was ${kindOf(query)}), e.g. ${EXAMPLE}`;
  }
  // An automatic persisted query names its document by hash; Mercurius answers those itself.
  if (typeof extensions === 'object' && extensions !== null && 'persistedQuery' in extensions)
    return undefined;
  return `The body has no "query": send the GraphQL document as a string, e.g. ${EXAMPLE}`;
}

/** A GET's values are strings (Mercurius's querystring schema); `extensions` is JSON, read by Mercurius. */
function queryStringProblem(query: unknown): string | undefined {
  const { query: document, extensions } = (query ?? {}) as { query?: unknown; extensions?: unknown };
  if (document || extensions) return undefined;
  return 'The URL has no `query`: send the GraphQL document as `?query=...` (URL-encoded), or POST it as JSON.';
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Mercurius refuses a request that could be a cross-site request forgery (a "simple" request a
 * browser sends from any page: no JSON content type, no preflight header) with a message that says
 * nothing of what to do. This is what the sender is told instead: the header to add, or, for a
 * browser opening /graphql, where the page for people is. Only error responses ask.
 */
export function csrfRefusalHint(request: FastifyRequest | undefined, graphiqlPath: string | null): string {
  const accept = request?.headers.accept;
  if (request?.method !== 'GET' || typeof accept !== 'string' || !accept.includes('text/html')) {
    return SEND_JSON;
  }
  return graphiqlPath
    ? `This is the GraphQL endpoint, for programs. To explore the API in a browser, open ${graphiqlPath}.`
    : BROWSER_WITHOUT_GRAPHIQL;
}

const SEND_JSON =
  'Send the body as JSON with the header `content-type: application/json` ' +
  `(curl -H 'content-type: application/json' -d '${EXAMPLE}'); a GET needs the header ` +
  '`mercurius-require-preflight: true`. Without them the request is refused as a potential ' +
  'cross-site request forgery (CSRF).';

const BROWSER_WITHOUT_GRAPHIQL =
  'This is the GraphQL endpoint, for programs: POST a JSON body with the header ' +
  '`content-type: application/json`. The GraphiQL page is off on this server (GRAPHIQL).';

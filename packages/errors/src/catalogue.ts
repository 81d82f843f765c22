/**
 * The one error catalogue. Every code the system can raise is listed here once, with how
 * each edge speaks it: GraphQL `extensions.code`, the Connect/gRPC code name, the HTTP status.
 * Services add their codes here, never as free strings elsewhere.
 */
export const catalogue = {
  'request.unauthenticated': { graphql: 'UNAUTHENTICATED', grpc: 'unauthenticated', http: 401 },
  'request.forbidden': { graphql: 'FORBIDDEN', grpc: 'permission_denied', http: 403 },
  'request.invalid_input': { graphql: 'BAD_USER_INPUT', grpc: 'invalid_argument', http: 400 },
  'request.rate_limited': { graphql: 'RATE_LIMITED', grpc: 'resource_exhausted', http: 429 },
  'request.timeout': { graphql: 'TIMEOUT', grpc: 'deadline_exceeded', http: 504 },
  'entity.not_found': { graphql: 'NOT_FOUND', grpc: 'not_found', http: 404 },
  'entity.conflict': { graphql: 'CONFLICT', grpc: 'already_exists', http: 409 },
  'club.not_found': { graphql: 'NOT_FOUND', grpc: 'not_found', http: 404 },
  'club.slug_taken': { graphql: 'CONFLICT', grpc: 'already_exists', http: 409 },
  'dependency.unavailable': { graphql: 'SERVICE_UNAVAILABLE', grpc: 'unavailable', http: 503 },
  internal: { graphql: 'INTERNAL_SERVER_ERROR', grpc: 'internal', http: 500 },
} as const satisfies Record<string, { graphql: string; grpc: GrpcCodeName; http: number }>;

export type ErrorCode = keyof typeof catalogue;

export type GrpcCodeName =
  | 'invalid_argument'
  | 'not_found'
  | 'already_exists'
  | 'permission_denied'
  | 'unauthenticated'
  | 'resource_exhausted'
  | 'failed_precondition'
  | 'deadline_exceeded'
  | 'unavailable'
  | 'internal';

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(catalogue, value);
}

import {
  ClubError,
  catalogue,
  type ErrorDetails,
  type GrpcCodeName,
  isClubError,
  isErrorCode,
} from '@clubland/errors';
import { Code, ConnectError, type Interceptor } from '@connectrpc/connect';

/** Trailers that carry our catalogue code across the wire, so a ClubError thrown by a service
 *  arrives at the caller as the same ClubError, whatever the transport. */
const CODE_HEADER = 'clubland-error-code';
const DETAILS_HEADER = 'clubland-error-details';

const grpcCodes: Record<GrpcCodeName, Code> = {
  invalid_argument: Code.InvalidArgument,
  not_found: Code.NotFound,
  already_exists: Code.AlreadyExists,
  permission_denied: Code.PermissionDenied,
  unauthenticated: Code.Unauthenticated,
  resource_exhausted: Code.ResourceExhausted,
  failed_precondition: Code.FailedPrecondition,
  deadline_exceeded: Code.DeadlineExceeded,
  unavailable: Code.Unavailable,
  internal: Code.Internal,
};

export interface ErrorReporter {
  error(fields: Record<string, unknown>, message: string): void;
}

/** Server side: a ClubError becomes a gRPC status with our code in the trailers; anything else is
 *  logged with its cause and leaves as a bare INTERNAL, so no SQL or stack reaches the caller. */
export function serverErrorInterceptor(log: ErrorReporter): Interceptor {
  return (next) => async (request) => {
    try {
      return await next(request);
    } catch (error) {
      if (isClubError(error)) {
        const metadata = new Headers({ [CODE_HEADER]: error.code });
        metadata.set(DETAILS_HEADER, JSON.stringify(error.details));
        throw new ConnectError(error.message, grpcCodes[catalogue[error.code].grpc], metadata);
      }
      if (error instanceof ConnectError) throw error;
      log.error({ err: error, procedure: request.method.name }, 'rpc handler failed');
      throw new ConnectError('internal error', Code.Internal);
    }
  };
}

/**
 * Client side: the reverse mapping. Transport failures become `dependency.unavailable`.
 * (Not an interceptor: Connect wraps whatever a client interceptor throws back into a ConnectError.)
 */
export function toClubError(error: unknown): unknown {
  if (!(error instanceof ConnectError)) return error;
  const code = error.metadata.get(CODE_HEADER);
  if (isErrorCode(code)) {
    return new ClubError(code, error.rawMessage, parseDetails(error.metadata.get(DETAILS_HEADER)), error);
  }
  if (error.code === Code.Unavailable || error.code === Code.DeadlineExceeded) {
    return new ClubError('dependency.unavailable', 'a service is unavailable', {}, error);
  }
  return new ClubError('internal', 'internal error', {}, error);
}

function parseDetails(raw: string | null): ErrorDetails {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null ? (parsed as ErrorDetails) : {};
  } catch {
    return {};
  }
}

import { catalogue, type ErrorCode, exposedDetails } from './catalogue.ts';

/** Details a client may see. Never put SQL, stack traces or secrets here. */
export interface ErrorDetails {
  /** For invalid input: the path of the offending field, e.g. `input.slug`. */
  field?: string;
  /** For rate limits: seconds until a retry may succeed. */
  retryAfterSeconds?: number;
  [key: string]: unknown;
}

/**
 * The one error type that crosses layers. `message` is safe for clients; `cause` is for logs only.
 */
export class ClubError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message?: string, details: ErrorDetails = {}, cause?: unknown) {
    super(message ?? code, cause === undefined ? undefined : { cause });
    this.name = 'ClubError';
    this.code = code;
    this.details = details;
  }

  get graphqlCode(): string {
    return catalogue[this.code].graphql;
  }

  get httpStatus(): number {
    return catalogue[this.code].http;
  }

  /**
   * What a client may see besides the message: the GraphQL code, the field of bad input, the
   * retry-after of a rate limit, and the details the catalogue entry exposes. graphql-js copies
   * an original error's `extensions`, so every GraphQL path (HTTP, WebSocket) carries them.
   */
  get extensions(): Record<string, unknown> {
    const { field, retryAfterSeconds } = this.details;
    return {
      code: this.graphqlCode,
      ...(field === undefined ? {} : { field }),
      ...(retryAfterSeconds === undefined ? {} : { retryAfter: retryAfterSeconds }),
      ...exposedDetails(this.code, this.details),
    };
  }
}

export function isClubError(error: unknown): error is ClubError {
  return error instanceof ClubError;
}

/** Throws the catalogued error unless `condition` holds, and narrows the type when it does. */
export function assertThat(
  condition: unknown,
  code: ErrorCode,
  message?: string,
  details?: ErrorDetails,
): asserts condition {
  if (!condition) throw new ClubError(code, message, details);
}

export function invalidInput(field: string, message: string): ClubError {
  return new ClubError('request.invalid_input', message, { field });
}

export function notFound(what: string, id: string): ClubError {
  return new ClubError('entity.not_found', `${what} ${id} was not found`, { id });
}

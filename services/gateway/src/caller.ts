import type { Principal } from '@clubland/authz';
import { ClubError } from '@clubland/errors';
import type { FastifyRequest } from 'fastify';

/** Verifies a bearer token into the caller. Clubland's own tokens, and Hanko's when configured. */
export interface CallerVerifier {
  /** `connection`: the client's connection, for memos a keep-alive client's repeated token can use. */
  verify(token: string, connection?: object): Promise<Principal>;
}

/** Who is calling, resolved lazily: operations that need no caller (login) never pay for it. */
export interface Caller {
  /** The raw bearer token, forwarded to services that verify it themselves. */
  readonly token: string;
  readonly ip: string;
  readonly userAgent: string;
  /** Null without a token; UNAUTHENTICATED when a token is present but not valid. */
  principal(): Promise<Principal | null>;
  /** UNAUTHENTICATED unless a valid token is present. */
  requirePrincipal(): Promise<Principal>;
}

/** The request meta of an RPC made on the caller's behalf: their token, address and user agent. */
export function metaOf(caller: Caller): { accessToken: string; ip: string; userAgent: string } {
  return { accessToken: caller.token, ip: caller.ip, userAgent: caller.userAgent };
}

const SCHEME = 'bearer';
const WHITESPACE = /\s/;

/** Reads `Authorization: Bearer <token>` (HTTP) or the `authorization` value of a WebSocket
 *  connection-init payload, with or without the `Bearer ` prefix. Parsed by hand: a regular
 *  expression with a capture over a ~1 KB token cost 4% of a request's CPU. */
export function tokenFrom(authorization: unknown): string {
  if (typeof authorization !== 'string' || authorization.length === 0) return '';
  const value = authorization.trim();
  const hasScheme =
    value.length > SCHEME.length + 1 &&
    value.slice(0, SCHEME.length).toLowerCase() === SCHEME &&
    WHITESPACE.test(value[SCHEME.length]!);
  if (hasScheme) {
    const token = value.slice(SCHEME.length + 1).trimStart();
    if (!WHITESPACE.test(token)) return token;
  }
  return value;
}

export function createCaller(
  verifier: CallerVerifier,
  token: string,
  origin: { ip: string; userAgent: string; connection?: object },
): Caller {
  let resolved: Promise<Principal | null> | undefined;
  const principal = () => {
    resolved ??= token === '' ? Promise.resolve(null) : verifier.verify(token, origin.connection);
    return resolved;
  };
  return {
    token,
    ip: origin.ip,
    userAgent: origin.userAgent,
    principal,
    async requirePrincipal() {
      const found = await principal();
      if (!found) throw new ClubError('request.unauthenticated', 'sign in first');
      return found;
    },
  };
}

/**
 * The caller of a WebSocket connection, which lives as long as the socket: its token is verified
 * again on every use (each subscription event), not once at connect, so a session revoked, a role
 * removed or an account suspended stops its events at once. Cheap: the verifier answers a token it
 * has seen from memory, and the connection's memo spares it hashing the token again.
 */
export function createConnectionCaller(
  verifier: CallerVerifier,
  token: string,
  origin: { ip: string; userAgent: string },
): Caller {
  const connection = {};
  const principal = () => (token === '' ? Promise.resolve(null) : verifier.verify(token, connection));
  return {
    token,
    ip: origin.ip,
    userAgent: origin.userAgent,
    principal,
    async requirePrincipal() {
      const found = await principal();
      if (!found) throw new ClubError('request.unauthenticated', 'sign in first');
      return found;
    },
  };
}

export function callerFromRequest(verifier: CallerVerifier, request: FastifyRequest): Caller {
  return createCaller(verifier, tokenFrom(request.headers.authorization), {
    ip: request.ip,
    userAgent: String(request.headers['user-agent'] ?? '').slice(0, 512),
    connection: request.raw.socket,
  });
}

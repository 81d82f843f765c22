import type { Principal } from '@clubland/authz';
import { ClubError } from '@clubland/errors';
import type { FastifyRequest } from 'fastify';

/** Verifies a bearer token into the caller. Clubland's own tokens, and Hanko's when configured. */
export interface CallerVerifier {
  verify(token: string): Promise<Principal>;
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

const BEARER = /^Bearer\s+(\S+)$/i;

/** Reads `Authorization: Bearer <token>` (HTTP) or the `authorization` value of a WebSocket
 *  connection-init payload, with or without the `Bearer ` prefix. */
export function tokenFrom(authorization: unknown): string {
  if (typeof authorization !== 'string' || authorization.length === 0) return '';
  const match = BEARER.exec(authorization.trim());
  return match ? match[1]! : authorization.trim();
}

export function createCaller(
  verifier: CallerVerifier,
  token: string,
  origin: { ip: string; userAgent: string },
): Caller {
  let resolved: Promise<Principal | null> | undefined;
  const principal = () => {
    resolved ??= token === '' ? Promise.resolve(null) : verifier.verify(token);
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

export function callerFromRequest(verifier: CallerVerifier, request: FastifyRequest): Caller {
  return createCaller(verifier, tokenFrom(request.headers.authorization), {
    ip: request.ip,
    userAgent: String(request.headers['user-agent'] ?? '').slice(0, 512),
  });
}

import type { AccessChange, Principal } from '@clubland/authz';
import { ClubError, isClubError } from '@clubland/errors';
import type { FastifyInstance, FastifyReply, onRequestHookHandler, RouteOptions } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { type CallerVerifier, tokenFrom } from './caller.ts';

/** What the WebSocket door allows; every figure comes from configuration (packages/config). */
export interface SocketLimits {
  /** A socket must send `connection_init` within this time or is closed (4408). */
  initTimeoutMs: number;
  /** Open WebSockets one account may hold on this instance; the next is closed (4429). */
  maxPerUser: number;
  /** Open WebSockets one client address may hold on this instance; the next upgrade is refused (HTTP 429). */
  maxPerIp: number;
  /** How often every socket's token is checked again (expiry, and announcements this instance missed). */
  recheckIntervalMs: number;
}

/** Announcements of revoked sessions and changed accounts (the auth service's, through the cache). */
export interface AccessChanges {
  onChange(listener: (change: AccessChange) => void): () => void;
}

/**
 * Close codes, from the graphql-transport-ws protocol where it has one (4408, 4429, 4403, 4400),
 * used for the legacy `graphql-ws` subprotocol too: its clients reconnect on any close.
 * graphql-ws clients give up on 4429 and 4400 and retry on 4403 (with fresh connection params).
 */
const CLOSE = {
  initTimeout: [4408, 'Connection initialisation timeout'],
  anonymous: [4401, 'Unauthorized: connection_init needs a valid access token'],
  reinit: [4429, 'Too many initialisation requests'],
  tooManyForUser: [4429, 'Too many connections for this account'],
  extension: [4400, 'Connection parameters belong in connection_init only'],
  forbidden: [4403, 'Forbidden: the token expired, was revoked or is outdated; sign in or refresh'],
} as const satisfies Record<string, readonly [number, string]>;

/** What the guard knows of one socket. */
interface SocketState {
  /** Runs until the socket belongs to an account: a socket that said hello without a valid token
   *  can subscribe to nothing, and is not kept open either. */
  initTimer: NodeJS.Timeout | undefined;
  isInitialised: boolean;
  /** Set once the `connection_init` token verified; the socket then counts for its account. */
  token: string;
  userId: string | null;
  sessionId: string | null;
  /** The verifier's per-connection memo key: the token is hashed once per socket, not per check. */
  memo: object;
}

/**
 * The WebSocket side of the door. Each socket must say hello (`connection_init`) with a valid
 * token within `initTimeoutMs` (else 4408 if it said nothing, 4401 if its hello named nobody: every
 * subscription needs a caller), may say it once, and then belongs to that token's account: no
 * account holds more than `maxPerUser` sockets and no address more than `maxPerIp`. A socket
 * whose token stops verifying (its session revoked, its account's roles or status changed, its
 * expiry passed) is closed with 4403: at once on the auth service's announcement, otherwise at the
 * next recheck. Subscriptions also re-check their caller on every event (subscriptions.ts), so
 * none is delivered under a token that no longer holds.
 *
 * The guard reads the client's messages beside Mercurius (its listener is attached first), parsing
 * only those that mention `connection_init` or `connectionInit`; Mercurius answers the protocol.
 */
export function guardSockets(
  app: FastifyInstance,
  options: {
    path: string;
    limits: SocketLimits;
    verifier: CallerVerifier;
    accessChanges?: AccessChanges;
  },
): { openSockets(): number } {
  const { limits, verifier } = options;
  const states = new Map<WebSocket, SocketState>();
  const byUser = new Map<string, Set<WebSocket>>();
  const bySession = new Map<string, Set<WebSocket>>();
  const byIp = new Map<string, number>();

  // The per-address cap is enforced on the upgrade request, before a WebSocket exists: the
  // refusal is a plain HTTP 429 and costs no socket state. A hook of the GET route only (the one
  // upgrades arrive on), so GraphQL over POST pays nothing for it. Hence guardSockets is called
  // before the route is declared.
  const countUpgrade: onRequestHookHandler = (request, reply, done) => {
    if (!request.ws) return done();
    const ip = request.ip;
    const open = byIp.get(ip) ?? 0;
    if (open >= limits.maxPerIp) return refuseUpgrade(reply);
    byIp.set(ip, open + 1);
    // The TCP socket outlives every outcome of the upgrade and closes with the WebSocket.
    request.raw.socket.once('close', () => {
      const left = (byIp.get(ip) ?? 1) - 1;
      if (left > 0) byIp.set(ip, left);
      else byIp.delete(ip);
    });
    done();
  };
  app.addHook('onRoute', (route) => {
    if (route.url !== options.path || !methodsOf(route.method).includes('GET')) return;
    route.onRequest = [...hooksOf(route.onRequest), countUpgrade];
  });

  function accept(socket: WebSocket): void {
    const state: SocketState = {
      initTimer: setTimeout(
        () => close(socket, state.isInitialised ? CLOSE.anonymous : CLOSE.initTimeout),
        limits.initTimeoutMs,
      ),
      isInitialised: false,
      token: '',
      userId: null,
      sessionId: null,
      memo: {},
    };
    states.set(socket, state);
    socket.on('message', (data, isBinary) => read(socket, state, data, isBinary));
    socket.once('close', () => forget(socket, state));
  }

  function read(socket: WebSocket, state: SocketState, data: RawData, isBinary: boolean): void {
    if (isBinary || !Buffer.isBuffer(data)) return;
    const mentionsInit = data.includes('connection_init');
    const mentionsExtension = data.includes('connectionInit');
    if (!mentionsInit && !mentionsExtension) return;
    const message = parseMessage(data);
    if (message === null) return;
    if (message.type === 'connection_init') {
      if (state.isInitialised) {
        close(socket, CLOSE.reinit);
        return;
      }
      state.isInitialised = true;
      void identify(socket, state, tokenFrom(message.payload?.authorization));
    } else if (carriesConnectionInit(message.extensions)) {
      // Legacy clients may send a connection_init extension with a subscription, which would run
      // it as whoever that token names: one socket, one account.
      close(socket, CLOSE.extension);
    }
  }

  /** Binds the socket to the account its token names; a bad token is Mercurius's to refuse. */
  async function identify(socket: WebSocket, state: SocketState, token: string): Promise<void> {
    if (token === '') return;
    let principal: Principal;
    try {
      principal = await verifier.verify(token, state.memo);
    } catch {
      return;
    }
    if (!states.has(socket)) return;
    const sockets = byUser.get(principal.userId) ?? new Set<WebSocket>();
    if (sockets.size >= limits.maxPerUser) return close(socket, CLOSE.tooManyForUser);
    byUser.set(principal.userId, sockets.add(socket));
    clearTimeout(state.initTimer);
    state.token = token;
    state.userId = principal.userId;
    state.sessionId = principal.sessionId;
    if (principal.sessionId !== null) {
      bySession.set(principal.sessionId, (bySession.get(principal.sessionId) ?? new Set()).add(socket));
    }
  }

  /** Verifies the socket's token again; closes it when the token no longer holds. */
  async function recheck(socket: WebSocket): Promise<void> {
    const state = states.get(socket);
    if (!state || state.token === '') return;
    try {
      await verifier.verify(state.token, state.memo);
    } catch (error) {
      // An unreachable revocation list is not a verdict on the token: events are already
      // withheld (the per-event check fails closed); the socket is judged at the next recheck.
      if (isClubError(error) && error.code === 'dependency.unavailable') return;
      close(socket, CLOSE.forbidden);
    }
  }

  function forget(socket: WebSocket, state: SocketState): void {
    clearTimeout(state.initTimer);
    states.delete(socket);
    if (state.userId !== null) remove(byUser, state.userId, socket);
    if (state.sessionId !== null) remove(bySession, state.sessionId, socket);
  }

  function onAccessChange(change: AccessChange): void {
    const sockets =
      change.kind === 'session_revoked' ? bySession.get(change.sessionId) : byUser.get(change.userId);
    for (const socket of sockets ?? []) void recheck(socket);
  }

  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  app.addHook('onReady', async () => {
    // Decorated by @fastify/websocket, registered at the root (index.ts) so this sees every socket;
    // 'connection' is emitted before the route's handler (Mercurius) attaches its own listeners.
    app.websocketServer.on('connection', accept);
    unsubscribe = options.accessChanges?.onChange(onAccessChange);
    timer = setInterval(() => {
      for (const socket of states.keys()) void recheck(socket);
    }, limits.recheckIntervalMs);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    unsubscribe?.();
    for (const state of states.values()) clearTimeout(state.initTimer);
  });
  return { openSockets: () => states.size };
}

interface ClientMessage {
  type?: unknown;
  payload?: { authorization?: unknown } | null;
  extensions?: unknown;
}

/** Mercurius runs a subscription as whoever a `connectionInit` extension's token names. */
function carriesConnectionInit(extensions: unknown): boolean {
  return (
    Array.isArray(extensions) &&
    extensions.some(
      (extension: unknown) =>
        typeof extension === 'object' &&
        extension !== null &&
        (extension as { type?: unknown }).type === 'connectionInit',
    )
  );
}

function parseMessage(data: Buffer): ClientMessage | null {
  try {
    const message: unknown = JSON.parse(data.toString());
    return typeof message === 'object' && message !== null ? (message as ClientMessage) : null;
  } catch {
    // Not JSON: Mercurius answers it.
    return null;
  }
}

function methodsOf(method: RouteOptions['method']): readonly string[] {
  return Array.isArray(method) ? method : [method];
}

function hooksOf(hooks: RouteOptions['onRequest']): onRequestHookHandler[] {
  if (hooks === undefined) return [];
  return (Array.isArray(hooks) ? hooks : [hooks]) as onRequestHookHandler[];
}

function close(socket: WebSocket, [code, reason]: readonly [number, string]): void {
  socket.close(code, reason);
}

function remove(index: Map<string, Set<WebSocket>>, key: string, socket: WebSocket): void {
  const sockets = index.get(key);
  if (!sockets) return;
  sockets.delete(socket);
  if (sockets.size === 0) index.delete(key);
}

/** The upgrade refused with the GraphQL error body HTTP clients read. */
function refuseUpgrade(reply: FastifyReply): FastifyReply {
  const error = new ClubError('request.rate_limited', 'Too many open WebSockets from this address', {
    retryAfterSeconds: 60,
  });
  return reply
    .code(429)
    .header('retry-after', '60')
    .send({ data: null, errors: [{ message: error.message, extensions: error.extensions }] });
}

import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';

/**
 * Closes WebSockets whose peer has gone without a word (a phone that lost its network): every
 * `intervalMs` each socket gets a protocol-level ping, and a socket that has not answered the
 * previous one is terminated, which closes its subscriptions and their listeners. This is beside
 * the GraphQL keep-alive messages Mercurius sends (`ping` / `ka`), which keep proxies from idling
 * the connection out but do not notice a dead peer.
 */
export function terminateSilentPeers(app: FastifyInstance, intervalMs: number): void {
  const unanswered = new WeakSet<WebSocket>();
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    // Decorated by @fastify/websocket, registered at the root (index.ts) for this reason.
    const server = app.websocketServer;
    server.on('connection', (socket) => socket.on('pong', () => unanswered.delete(socket)));
    timer = setInterval(() => {
      for (const socket of server.clients) {
        if (unanswered.has(socket)) {
          socket.terminate();
          continue;
        }
        unanswered.add(socket);
        socket.ping();
      }
    }, intervalMs);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
  });
}

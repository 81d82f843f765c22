import type { AuthService } from '@clubland/contract/auth/v1';
import type { Client } from '@connectrpc/connect';
import type { FastifyInstance } from 'fastify';

/** The public keys that verify our access tokens, for anyone (other clubs, API clients). */
export function registerJwksRoute(app: FastifyInstance, auth: Client<typeof AuthService>): void {
  app.get('/.well-known/jwks.json', async (_request, reply) => {
    const { jwksJson } = await auth.getJwks({});
    // A short cache is safe: verifiers refetch when they meet a kid they do not know.
    return reply.type('application/json').header('cache-control', 'public, max-age=300').send(jwksJson);
  });
}

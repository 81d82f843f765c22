import { notFound } from '@clubland/errors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Caller } from './caller.ts';
import { type LedgerClient, proofFor } from './resolvers/ledger.ts';

/**
 * GET /ledger/proofs/:txId: a confirmed entry's proof for anyone, inside the network or not (any
 * bearer token is optional), as @clubland/ledger-verify's verifyLedgerProof checks it. The
 * document gains `payload` only when the caller may read it (staff of the entry's clubs, network
 * admins); 404 while the entry is unknown or on no block.
 */
export function registerLedgerProofRoute(
  app: FastifyInstance,
  ledger: LedgerClient,
  callerOf: (request: FastifyRequest) => Caller,
): void {
  app.get<{ Params: { txId: string } }>('/ledger/proofs/:txId', async (request, reply) => {
    const { txId } = request.params;
    const proof = await proofFor(ledger, txId, await callerOf(request).principal());
    if (!proof) throw notFound('ledger entry', txId);
    reply.header('vary', 'authorization');
    if (proof.payload === null) {
      // A sealed block never changes: the proof without a payload is the same for everyone, always.
      return reply.header('cache-control', 'public, max-age=86400, immutable').send(proof.document);
    }
    return reply
      .header('cache-control', 'private, no-store')
      .send({ ...proof.document, payload: proof.payload });
  });
}

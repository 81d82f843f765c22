import type { Principal } from '@clubland/authz';
import { LEDGER_ENTITY_KINDS } from '@clubland/contract/events/ledger';
import type { LedgerService, LedgerTransaction } from '@clubland/contract/ledger/v1';
import { invalidInput, isUuid } from '@clubland/errors';
import type { ProofDocument } from '@clubland/ledger-verify';
import type { Client } from '@connectrpc/connect';
import type { Caller } from '../caller.ts';
import { callerContextOf } from './members.ts';
import { optionalIso, requiredIso } from './timestamps.ts';

/**
 * The ledger: GraphQL in, LedgerService RPC out. The ledger service decides who sees a payload
 * (the entry's two clubs' staff, network admins); everything else about an entry, its proof
 * included, is for anyone.
 */

export type LedgerClient = Client<typeof LedgerService>;

/** An entry as the BlockchainTransaction type's fields read it (output guard: exactly the SDL's fields). */
export interface BlockchainTransactionModel {
  id: string;
  entityType: string;
  entityId: string;
  txId: string;
  status: string;
  submittedAt: string;
  confirmedAt: string | null;
  blockNumber: number | null;
  error: string | null;
  type: string;
  // The embedded ledger runs no chaincode: nothing to name, honestly null.
  chaincode: null;
  function: null;
  args: null;
  timestamp: string;
  createdAt: string;
}

/** The contract's fields the embedded ledger has no counterpart for. */
export const NO_CHAINCODE = { chaincode: null, function: null, args: null } as const;

export function toBlockchainTransaction(transaction: LedgerTransaction): BlockchainTransactionModel {
  const submittedAt = requiredIso(transaction.submittedAt, 'a ledger entry time');
  const confirmedAt = optionalIso(transaction.confirmedAt);
  return {
    id: transaction.txId,
    entityType: transaction.entityKind,
    entityId: transaction.entityId,
    txId: transaction.txId,
    status: transaction.status,
    submittedAt,
    confirmedAt,
    blockNumber: transaction.blockNumber === undefined ? null : Number(transaction.blockNumber),
    error: transaction.error || null,
    type: transaction.fact,
    ...NO_CHAINCODE,
    timestamp: confirmedAt ?? submittedAt,
    createdAt: submittedAt,
  };
}

/** A proof as the LedgerProof type reads it: the document, and the payload for a party. */
export interface LedgerProofModel extends ProofDocument {
  txId: string;
  document: ProofDocument;
  payload: string | null;
}

/**
 * A confirmed entry's proof, and its payload when `principal` may read it (the ledger service
 * decides: staff of either club, network admins). Null while the entry is unknown or on no block.
 */
export async function proofFor(
  ledger: LedgerClient,
  txId: string,
  principal: Principal | null,
): Promise<{ document: ProofDocument; payload: string | null } | null> {
  if (!isUuid(txId)) return null;
  const { found, documentJson } = await ledger.getProof({ txId });
  if (!found) return null;
  const document = JSON.parse(documentJson) as ProofDocument;
  if (principal === null) return { document, payload: null };
  const { transaction } = await ledger.getTransaction({ caller: callerContextOf(principal), txId });
  return { document, payload: transaction?.isPayloadVisible ? transaction.payload : null };
}

interface Context {
  caller: Caller;
}

export function ledgerResolvers(clients: { ledger: LedgerClient }) {
  const { ledger } = clients;
  return {
    Query: {
      async blockchainTransaction(
        _: unknown,
        args: { entityType: string; entityId: string },
        context: Context,
      ): Promise<BlockchainTransactionModel | null> {
        if (!(LEDGER_ENTITY_KINDS as readonly string[]).includes(args.entityType))
          throw invalidInput('entityType', `entityType must be one of ${LEDGER_ENTITY_KINDS.join(', ')}`);
        if (!isUuid(args.entityId)) throw invalidInput('entityId', 'entityId must be a UUID');
        const principal = await context.caller.principal();
        const { transaction } = await ledger.getTransaction({
          ...(principal ? { caller: callerContextOf(principal) } : {}),
          entityKind: args.entityType,
          entityId: args.entityId.toLowerCase(),
        });
        return transaction ? toBlockchainTransaction(transaction) : null;
      },
      async ledgerProof(
        _: unknown,
        args: { txId: string },
        context: Context,
      ): Promise<LedgerProofModel | null> {
        const proof = await proofFor(ledger, args.txId, await context.caller.principal());
        if (!proof) return null;
        return {
          ...proof.document,
          txId: proof.document.entry.txId,
          document: proof.document,
          payload: proof.payload,
        };
      },
    },
  };
}

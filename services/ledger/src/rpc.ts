import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { principalFromCaller } from '@clubland/authz';
import { LedgerService, type LedgerTransaction, LedgerTransactionSchema } from '@clubland/contract/ledger/v1';
import { ClubError, invalidInput, isUuid } from '@clubland/errors';
import type { ConnectRouter } from '@connectrpc/connect';
import { isNetworkAdmin, readerFor } from './app/ledger-reader.ts';
import type { Ledger, LedgerReader, LedgerRecord } from './ledger/ledger-port.ts';

/** Maps protobuf messages to the ledger port and back. Thin on purpose: the reader rule is app/ledger-reader.ts. */
export function registerLedgerRpc(router: ConnectRouter, deps: { ledger: Ledger }): void {
  const { ledger } = deps;
  router.service(LedgerService, {
    async getProof(request) {
      if (!isUuid(request.txId)) return { found: false, documentJson: '' };
      const document = await ledger.proof(request.txId.toLowerCase());
      return document
        ? { found: true, documentJson: JSON.stringify(document) }
        : { found: false, documentJson: '' };
    },
    async getTransaction(request) {
      const principal = principalFromCaller(request.caller);
      let record: LedgerRecord | null;
      if (request.txId !== '') {
        if (!isUuid(request.txId)) throw invalidInput('txId', 'txId must be a UUID');
        const txId = request.txId.toLowerCase();
        // The parties first (read as the network: a SUBMITTED entry's row is its parties' alone),
        // then the entry as the caller may read it.
        const seen = await ledger.get(txId, NETWORK);
        record =
          seen && (await ledger.get(txId, readerFor(principal, [seen.clubId, seen.counterpartyClubId])));
      } else {
        if (request.entityKind === '') throw invalidInput('entityKind', 'entityKind or txId is required');
        const seen = await ledger.latestFor(request.entityKind, request.entityId, NETWORK);
        record =
          seen &&
          (await ledger.latestFor(
            request.entityKind,
            request.entityId,
            readerFor(principal, [seen.clubId, seen.counterpartyClubId]),
          ));
      }
      return record ? { transaction: transactionMessage(record) } : {};
    },
    async getTransactionHeaders(request) {
      if (request.txIds.length > MAX_HEADERS) throw invalidInput('txIds', `at most ${MAX_HEADERS} ids`);
      const ids = request.txIds.filter((id) => isUuid(id)).map((id) => id.toLowerCase());
      const records = await Promise.all(ids.map((id) => ledger.get(id, NETWORK)));
      return {
        transactions: records
          .filter((record): record is LedgerRecord => record !== null)
          .map((record) => transactionMessage({ ...record, payload: null })),
      };
    },
    async verifyChain(request) {
      if (!isNetworkAdmin(principalFromCaller(request.caller)))
        throw new ClubError('request.forbidden', 'only network admins verify the whole chain');
      const verdict = await ledger.verifyChain();
      return verdict.ok
        ? { ok: true, blocks: BigInt(verdict.blocks), entries: BigInt(verdict.entries) }
        : {
            ok: false,
            blockNumber: BigInt(verdict.blockNumber),
            entryId: verdict.entryId ?? '',
            reason: verdict.reason,
          };
    },
  });
}

const NETWORK: LedgerReader = { kind: 'network' };
const MAX_HEADERS = 100;

function transactionMessage(record: LedgerRecord): LedgerTransaction {
  return create(LedgerTransactionSchema, {
    txId: record.txId,
    entityKind: record.entityKind,
    entityId: record.entityId,
    fact: record.fact,
    clubId: record.clubId,
    counterpartyClubId: record.counterpartyClubId ?? '',
    status: record.status,
    blockNumber: record.blockNumber === null ? undefined : BigInt(record.blockNumber),
    error: record.error ?? '',
    payloadHash: record.payloadHash ?? '',
    payload: record.payload ?? '',
    isPayloadVisible: record.payload !== null,
    submittedAt: timestampFromDate(new Date(record.at)),
    confirmedAt: record.confirmedAt ? timestampFromDate(new Date(record.confirmedAt)) : undefined,
  });
}

import { LedgerContract } from './ledger-contract.ts';

/** What fabric-chaincode-node serves: the ledger contract (the default, so its names need no prefix). */
export const contracts = [LedgerContract];

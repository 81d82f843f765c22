export { canonicalJson } from './canonical-json.ts';
export {
  type BlockHeader,
  blockHash,
  GENESIS_PREVIOUS_HASH,
  leafData,
  type SignedEntry,
  sha256Hex,
  signedMessage,
} from './entry-format.ts';
export { auditPath, leafHash, merkleRoot, nodeHash, verifyInclusion } from './merkle.ts';
export { type ProofDocument, type Verdict, type VerifyOptions, verifyLedgerProof } from './verify-proof.ts';

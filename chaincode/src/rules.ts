import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { type SignedEntry, sha256Hex, signedMessage } from '@clubland/ledger-verify';
import canonicalize from 'canonicalize';

/**
 * The rules an entry must meet to go on the channel: those of the ledger service (the
 * ledger.entry_requested event's schema in contract/events/ledger-events.ts and the embedded
 * ledger's refusal()), checked again here because the channel trusts no client: ids are UUIDs, the
 * kind one of the ledger's, the fact of that kind, the payload canonical JSON (RFC 8785) whose
 * SHA-256 the entry carries, the instant an ISO-8601 UTC instant, and the signature the submitting
 * club's, by a key registered on the channel for that club.
 */

export const ENTITY_KINDS = ['agreement', 'letter', 'visit', 'settlement', 'proposal', 'vote'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A registered club key: base64 SPKI DER of an Ed25519 public key. */
export interface ClubKey {
  clubId: string;
  keyId: string;
  publicKey: string;
}

/** Why a club key cannot be registered; null when it can. */
export function keyRefusal(key: ClubKey): string | null {
  if (!UUID.test(key.clubId)) return 'club id is not a UUID';
  if (!UUID.test(key.keyId)) return 'key id is not a UUID';
  try {
    const parsed = createPublicKey({
      key: Buffer.from(key.publicKey, 'base64'),
      format: 'der',
      type: 'spki',
    });
    if (parsed.asymmetricKeyType !== 'ed25519') return 'public key is not Ed25519';
  } catch {
    return 'public key is not SPKI DER';
  }
  return null;
}

/** Why an entry (without the signature check) can never be recorded; null when it can. */
export function entryRefusal(entry: SignedEntry, payload: string | undefined): string | null {
  if (typeof entry !== 'object' || entry === null) return 'entry is not an object';
  if (!UUID.test(String(entry.txId))) return 'tx id is not a UUID';
  if (!(ENTITY_KINDS as readonly string[]).includes(entry.entityKind)) return 'unknown entity kind';
  if (!UUID.test(String(entry.entityId))) return 'entity id is not a UUID';
  if (
    typeof entry.fact !== 'string' ||
    entry.fact.length > 100 ||
    !entry.fact.startsWith(`${entry.entityKind}.`)
  )
    return 'fact is not one of its entity kind';
  if (!UUID.test(String(entry.clubId))) return 'club id is not a UUID';
  if (entry.counterpartyClubId !== null && !UUID.test(String(entry.counterpartyClubId)))
    return 'counterparty club id is not a UUID';
  if (entry.counterpartyClubId === entry.clubId) return 'a club is not its own counterparty';
  if (
    typeof entry.at !== 'string' ||
    Number.isNaN(Date.parse(entry.at)) ||
    new Date(entry.at).toISOString() !== entry.at
  )
    return 'instant is not an ISO-8601 UTC instant';
  if (!UUID.test(String(entry.keyId))) return 'key id is not a UUID';
  if (typeof payload !== 'string') return 'payload missing';
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return 'payload is not JSON';
  }
  if (canonicalize(parsed) !== payload) return 'payload is not canonical JSON (RFC 8785)';
  if (sha256Hex(payload) !== entry.payloadHash) return 'payload does not match its hash';
  return null;
}

/** Whether `signature` (base64) is the club key's Ed25519 signature of the entry. */
export function signatureRefusal(
  entry: SignedEntry,
  signature: string,
  key: ClubKey | null,
  publicKey?: KeyObject,
) {
  if (!key) return 'entry signed by a key not registered on the channel';
  if (key.clubId !== entry.clubId) return "entry signed by another club's key";
  const verifier =
    publicKey ?? createPublicKey({ key: Buffer.from(key.publicKey, 'base64'), format: 'der', type: 'spki' });
  if (
    typeof signature !== 'string' ||
    !verify(null, signedMessage(entry), verifier, Buffer.from(signature, 'base64'))
  )
    return 'signature does not verify with the club key';
  return null;
}

import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import type { Db, Tx } from '@clubland/db';

/**
 * Each club's Ed25519 signing keys, generated on first use. The private key is stored sealed with
 * AES-256-GCM under a key derived (HKDF-SHA256) from LEDGER_KEY_ENCRYPTION_KEY, with the club and key
 * ids as associated data, so a sealed key moved to another row does not open. Rotation adds a key:
 * the newest signs, and older public keys stay, since entries they signed must keep verifying.
 */
export interface ClubKey {
  id: string;
  clubId: string;
  privateKey: KeyObject;
  /** base64 SPKI DER. */
  publicKey: string;
}

export interface ClubKeyring {
  /** The club's current key, generated (and stored in `tx`) on first use. */
  current(tx: Tx, clubId: string): Promise<ClubKey>;
  /** A new key for the club from now on; the old ones stay for verification. */
  rotate(clubId: string): Promise<ClubKey>;
  /** Public keys by key id (base64 SPKI DER). */
  publicKeys(tx: Tx, keyIds: readonly string[]): Promise<Map<string, string>>;
}

export function createClubKeyring(options: {
  db: Db;
  keyEncryptionKey: string;
  clock: () => Date;
  newId: () => string;
}): ClubKeyring {
  const kek = Buffer.from(
    hkdfSync('sha256', options.keyEncryptionKey, 'clubland-ledger', 'club signing keys v1', 32),
  );
  // Decrypted keys by club: the newest only. A rotation by another process shows on restart or
  // when this one rotates; until then the older key still signs valid entries.
  const cache = new Map<string, ClubKey>();

  async function generate(tx: Tx, clubId: string): Promise<ClubKey> {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const id = options.newId();
    const key: ClubKey = {
      id,
      clubId,
      privateKey,
      publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    };
    await tx.query(
      `INSERT INTO ledger.club_keys (id, club_id, public_key, private_key_sealed, created_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [id, clubId, key.publicKey, seal(kek, privateKey, clubId, id), options.clock()],
    );
    return key;
  }

  return {
    async current(tx, clubId) {
      const cached = cache.get(clubId);
      if (cached) return cached;
      const { rows } = await tx.query<{ id: string; public_key: string; private_key_sealed: Uint8Array }>(
        `SELECT id, public_key, private_key_sealed FROM ledger.club_keys
          WHERE club_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`,
        [clubId],
      );
      const row = rows[0];
      const key = row
        ? {
            id: row.id,
            clubId,
            privateKey: open(kek, Buffer.from(row.private_key_sealed), clubId, row.id),
            publicKey: row.public_key,
          }
        : await generate(tx, clubId);
      cache.set(clubId, key);
      return key;
    },
    async rotate(clubId) {
      const key = await options.db.transaction((tx) => generate(tx, clubId));
      cache.set(clubId, key);
      return key;
    },
    async publicKeys(tx, keyIds) {
      if (keyIds.length === 0) return new Map();
      const { rows } = await tx.query<{ id: string; public_key: string }>(
        `SELECT id, public_key FROM ledger.club_keys
          WHERE id IN (SELECT value::uuid FROM jsonb_array_elements_text($1::jsonb))`,
        [JSON.stringify([...new Set(keyIds)])],
      );
      return new Map(rows.map((row) => [row.id, row.public_key]));
    },
  };
}

function seal(kek: Buffer, privateKey: KeyObject, clubId: string, keyId: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(Buffer.from(`${clubId}/${keyId}`));
  const body = Buffer.concat([
    cipher.update(privateKey.export({ format: 'der', type: 'pkcs8' })),
    cipher.final(),
  ]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function open(kek: Buffer, sealed: Buffer, clubId: string, keyId: string): KeyObject {
  const decipher = createDecipheriv('aes-256-gcm', kek, sealed.subarray(0, 12));
  decipher.setAAD(Buffer.from(`${clubId}/${keyId}`));
  decipher.setAuthTag(sealed.subarray(12, 28));
  const der = Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

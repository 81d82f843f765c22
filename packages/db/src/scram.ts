import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

const ITERATIONS = 4096;

/**
 * A SCRAM-SHA-256 verifier for `password`, in the form PostgreSQL stores
 * (`SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`, RFC 5802 and 7677). Given to
 * `CREATE ROLE ... PASSWORD '<verifier>'`, PostgreSQL keeps it as it is, so the clear password
 * never reaches the server or its statement log: what psql's `\password` does.
 *
 * The password is taken as its UTF-8 bytes, as node-postgres sends it when it signs in (it does
 * not apply SASLprep; for printable ASCII SASLprep changes nothing anyway).
 */
export function scramSha256Verifier(password: string, salt: Buffer = randomBytes(16)): string {
  const salted = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, ITERATIONS, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${ITERATIONS}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

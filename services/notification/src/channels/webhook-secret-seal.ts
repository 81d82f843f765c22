import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Clubs' webhook signing secrets at rest: sealed with AES-256-GCM under a key derived (HKDF-SHA256,
 * a purpose of its own) from each of the notification service's secrets
 * (NOTIFICATION_UNSUBSCRIBE_SECRETS), the endpoint's id bound in as associated data, so a copy of
 * the table (a backup, a replica, a read-only breach) cannot sign as a club's Clubland, and a sealed
 * secret moved to another endpoint does not open. The first secret seals, every one opens: rotating
 * keeps old seals readable until the service re-seals them at its next start (resealWebhookSecrets).
 * A value without the prefix is a secret stored before sealing, read as it is.
 */
export interface WebhookSecretSeal {
  seal(endpointId: string, secret: string): string;
  /** The secret; throws when no configured key opens it (the key that sealed it was removed). */
  open(endpointId: string, stored: string): string;
  /** Whether `stored` is sealed under the first key already (nothing to re-seal). */
  isCurrent(endpointId: string, stored: string): boolean;
}

const PREFIX = 'sealed.v1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

function keyOf(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'clubland-notification', 'webhook endpoint secrets v1', 32));
}

export function createWebhookSecretSeal(secrets: readonly string[]): WebhookSecretSeal {
  if (secrets.length === 0) throw new TypeError('sealing webhook secrets needs at least one key');
  const keys = secrets.map(keyOf);
  const [first] = keys as [Buffer, ...Buffer[]];
  const openWith = (key: Buffer, endpointId: string, sealed: Buffer): string | null => {
    if (sealed.length <= IV_BYTES + TAG_BYTES) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(endpointId));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return plain.toString('utf8');
    } catch {
      return null;
    }
  };
  return {
    seal(endpointId, secret) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', first, iv);
      cipher.setAAD(Buffer.from(endpointId));
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
    },
    open(endpointId, stored) {
      if (!stored.startsWith(PREFIX)) return stored;
      const sealed = Buffer.from(stored.slice(PREFIX.length), 'base64url');
      for (const key of keys) {
        const secret = openWith(key, endpointId, sealed);
        if (secret !== null) return secret;
      }
      throw new Error(
        `the webhook endpoint ${endpointId}'s secret opens with none of NOTIFICATION_UNSUBSCRIBE_SECRETS (was the key that sealed it removed?)`,
      );
    },
    isCurrent(endpointId, stored) {
      if (!stored.startsWith(PREFIX)) return false;
      return openWith(first, endpointId, Buffer.from(stored.slice(PREFIX.length), 'base64url')) !== null;
    },
  };
}

/** No keys given (a test, a service without NOTIFICATION_UNSUBSCRIBE_SECRETS): secrets stored as they are. */
export const unsealedWebhookSecrets: WebhookSecretSeal = {
  seal: (_endpointId, secret) => secret,
  open: (_endpointId, stored) => stored,
  isCurrent: () => true,
};

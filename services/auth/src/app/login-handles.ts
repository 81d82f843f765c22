import { randomBytes } from 'node:crypto';
import type { Db } from '@clubland/db';
import { loginHandleOf } from '../domain/login-handle.ts';
import { createServerSecretQueries } from '../store/server-secret-queries.ts';

/** The ids a passkey login answers for email addresses (domain/login-handle.ts). */
export interface LoginHandles {
  forEmail(emailKey: string): Promise<string>;
}

/**
 * The secret is read (or made, by the first instance to need it) once per process, on first use,
 * outside any other transaction; a failed read is tried again on the next call.
 */
export function createLoginHandles(db: Db, clock: () => Date): LoginHandles {
  let secret: Promise<Uint8Array> | undefined;
  const load = () =>
    db.transaction((tx) =>
      createServerSecretQueries(tx).getOrCreate(
        'passkey_login_handle',
        new Uint8Array(randomBytes(32)),
        clock(),
      ),
    );
  return {
    async forEmail(emailKey) {
      secret ??= load().catch((error: unknown) => {
        secret = undefined;
        throw error;
      });
      return loginHandleOf(await secret, emailKey);
    },
  };
}

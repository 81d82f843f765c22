import type { Queryable } from '@clubland/db';

export type ServerSecretName = 'passkey_login_handle';

/** Queries on auth.server_secrets over the caller's connection or transaction. */
export function createServerSecretQueries(db: Queryable) {
  return {
    /** The secret called `name`: `candidate` if none existed yet, else the one another instance made first. */
    async getOrCreate(name: ServerSecretName, candidate: Uint8Array, now: Date): Promise<Uint8Array> {
      await db.query(
        `INSERT INTO auth.server_secrets (name, secret, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO NOTHING`,
        [name, Buffer.from(candidate), now],
      );
      const { rows } = await db.query<{ secret: Uint8Array }>(
        'SELECT secret FROM auth.server_secrets WHERE name = $1',
        [name],
      );
      // bytea arrives as a Buffer (pg) or a Uint8Array (PGlite): one shape for both.
      return new Uint8Array(rows[0]!.secret);
    },
  };
}

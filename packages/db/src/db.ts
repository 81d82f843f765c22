/**
 * The database port. Two adapters meet it: PGlite (embedded, default) and PostgreSQL (`DATABASE_URL`).
 * Business code sees only this interface.
 */
export interface QueryResult<R> {
  rows: R[];
  /** Rows inserted, updated or deleted (or returned, for SELECT). */
  rowCount: number;
}

export interface Queryable {
  /**
   * Runs one statement with `$1`-style parameters. Without parameters the text may hold several
   * statements (a migration); the result is the last one's. Column values are the same JavaScript
   * values on both adapters: int8 and numeric as strings, date as 'YYYY-MM-DD', timestamptz as Date.
   * Pass json parameters as `JSON.stringify(value)` (node-postgres turns JS arrays into SQL arrays).
   */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

/** A connection inside an open transaction. Only valid until the transaction's callback returns. */
export type Tx = Queryable;

export interface Db {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs `fn` in a transaction as the non-superuser application role with no tenant set:
   * tenant-owned tables (row-level security) show no rows. For network-wide tables
   * (the club registry, the outbox).
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in a transaction as the application role with `app.tenant_id` = `clubId`,
   * so row-level security shows and changes only that club's rows.
   */
  withTenant<T>(clubId: string, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * A read in one round trip: runs `fn` in a READ ONLY transaction as `withTenant(clubId)` does
   * (`null`: as `transaction()`, no tenant), and ends the transaction right behind the statements
   * `fn` issues before it first awaits (`Promise.all` of reads). On PostgreSQL BEGIN, those
   * statements and COMMIT leave in one write and are answered together, where `withTenant` sends
   * COMMIT only once the answers are in. A statement issued after `fn` first awaits is refused.
   */
  readAtOnce<T>(clubId: string | null, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in a transaction as the owner's connection logs in, with no role switched: migrations
   * and maintenance only. On PostgreSQL that is `ownerUrl` when the adapter was given one, else the
   * application's own login (which, set up as the README says, owns nothing: migrations then fail).
   * On PGlite, the one embedded user.
   */
  asOwner<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Resolves when the database answers; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The role every application transaction runs as (`SET LOCAL ROLE`); row-level security applies
 * to it. A group role (NOLOGIN) holding the grants: on PostgreSQL the application logs in as a role
 * of its own that is a member of it and of nothing that owns the tables (see app-login.ts), so
 * that undoing the switch (`RESET ROLE`) gains nothing.
 */
export const APP_ROLE = 'clubland_app';

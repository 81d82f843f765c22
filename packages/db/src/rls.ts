import { quoteIdentifier } from './sql-identifier.ts';

/**
 * SQL that makes `schema.table` tenant-owned: a row is visible and writable only inside
 * `withTenant(clubId)` for the club in `column`. Use it in a migration:
 * `{ version: 3, name: 'create-bookings', sql: createBookingsSql + tenantTableSql('club', 'bookings') }`.
 *
 * - FORCE: without it the table's owner skips the policies. Migrations create tables as the
 *   connecting role, so an app that (by mistake or by configuration) runs as that role would see
 *   every club. With FORCE only superusers and BYPASSRLS roles skip the policy.
 * - nullif: once a session has set `app.tenant_id`, outside a tenant transaction it reads as ''
 *   rather than NULL, and `''::uuid` raises an error. nullif turns '' into NULL, the comparison
 *   is NULL, and the row is simply not visible, nor insertable (WITH CHECK fails).
 */
export function tenantTableSql(schema: string, table: string, column = 'club_id'): string {
  const target = `${quoteIdentifier(schema, 'schema')}.${quoteIdentifier(table, 'table')}`;
  const tenantMatches = `${quoteIdentifier(column, 'column')} = nullif(current_setting('app.tenant_id', true), '')::uuid`;
  return `
ALTER TABLE ${target} ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${target} FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${target}
  USING (${tenantMatches})
  WITH CHECK (${tenantMatches});
`;
}

/**
 * SQL that confines every club's transaction to its own rows of `schema.table`, while a network
 * transaction (`transaction()`, no tenant) sees and writes them all. For tables the network reads
 * as a whole by design, whose rows still each belong to a club: an invitation is found by the
 * secret in its link before its club is known, and an account's role grants are read together at
 * every sign-in and every decision. Inside `withTenant(clubId)` only that club's rows are visible
 * or writable; a row of another club, or of none (`column` NULL: network-wide), is not.
 *
 * Authorisation reads such tables in a network transaction: in a club's, the rows of other clubs
 * are hidden, and a decision on part of the rows could let through what all of them forbid.
 */
export function clubScopedTableSql(schema: string, table: string, column = 'club_id'): string {
  const target = `${quoteIdentifier(schema, 'schema')}.${quoteIdentifier(table, 'table')}`;
  const tenant = `nullif(current_setting('app.tenant_id', true), '')::uuid`;
  const inScope = `(${tenant} IS NULL OR ${quoteIdentifier(column, 'column')} = ${tenant})`;
  return `
ALTER TABLE ${target} ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${target} FORCE ROW LEVEL SECURITY;
CREATE POLICY club_scope ON ${target}
  USING ${inScope}
  WITH CHECK ${inScope};
`;
}

/**
 * SQL for a row shared by the clubs named in `columns` (an agreement between two clubs, a visit
 * of one club's member at another): inside `withTenant(clubId)` a row is visible and writable
 * only when one of its parties is that club, so a third club's transaction sees and changes none
 * of it; a network transaction (`transaction()`, no tenant: the network admin's reads, scheduled
 * jobs such as expiring agreements) sees them all. A club may not write a row it is not party to.
 */
export function partiesTableSql(schema: string, table: string, columns: readonly string[]): string {
  if (columns.length === 0) throw new Error('partiesTableSql needs at least one party column');
  const target = `${quoteIdentifier(schema, 'schema')}.${quoteIdentifier(table, 'table')}`;
  const tenant = `nullif(current_setting('app.tenant_id', true), '')::uuid`;
  const parties = columns.map((column) => quoteIdentifier(column, 'column')).join(', ');
  const inScope = `(${tenant} IS NULL OR ${tenant} IN (${parties}))`;
  return `
ALTER TABLE ${target} ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${target} FORCE ROW LEVEL SECURITY;
CREATE POLICY parties_only ON ${target}
  USING ${inScope}
  WITH CHECK ${inScope};
`;
}

/**
 * SQL for a table whose rows belong to a club but are the network's to read (a proposal put to the
 * network, a club's vote on it): every transaction reads them, except that rows matching
 * `privateWhen` (SQL over the row's columns, a constant of the calling code: a DRAFT) are visible
 * only to their own club's transactions and network transactions; a club inserts, updates and
 * deletes only its own rows, a network transaction (`transaction()`, no tenant) any.
 */
export function networkReadTableSql(
  schema: string,
  table: string,
  options: { column?: string; privateWhen?: string } = {},
): string {
  const target = `${quoteIdentifier(schema, 'schema')}.${quoteIdentifier(table, 'table')}`;
  const tenant = `nullif(current_setting('app.tenant_id', true), '')::uuid`;
  const inScope = `(${tenant} IS NULL OR ${quoteIdentifier(options.column ?? 'club_id', 'column')} = ${tenant})`;
  const readable = options.privateWhen ? `(${inScope} OR NOT (${options.privateWhen}))` : '(true)';
  return `
ALTER TABLE ${target} ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${target} FORCE ROW LEVEL SECURITY;
CREATE POLICY network_reads ON ${target} FOR SELECT USING ${readable};
CREATE POLICY own_club_inserts ON ${target} FOR INSERT WITH CHECK ${inScope};
CREATE POLICY own_club_updates ON ${target} FOR UPDATE USING ${inScope} WITH CHECK ${inScope};
CREATE POLICY own_club_deletes ON ${target} FOR DELETE USING ${inScope};
`;
}

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

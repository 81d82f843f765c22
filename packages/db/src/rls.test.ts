import { ClubError } from '@clubland/errors';
import { describe, expect, it } from 'vitest';
import { tenantTableSql } from './rls.ts';

describe('tenantTableSql', () => {
  it('enables and forces row-level security with a policy on the tenant column', () => {
    const sql = tenantTableSql('club', 'bookings', 'host_club_id');
    expect(sql).toContain('ALTER TABLE "club"."bookings" ENABLE ROW LEVEL SECURITY;');
    expect(sql).toContain('ALTER TABLE "club"."bookings" FORCE ROW LEVEL SECURITY;');
    expect(sql).toContain(
      `USING ("host_club_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
    );
    expect(sql).toContain(
      `WITH CHECK ("host_club_id" = nullif(current_setting('app.tenant_id', true), '')::uuid)`,
    );
  });

  it('uses club_id by default', () => {
    expect(tenantTableSql('member', 'members')).toContain('"club_id" = nullif');
  });

  it.each([['Bookings'], ['bookings; DROP TABLE x'], ['"q"'], ['']])('refuses the table name %j', (table) => {
    expect(() => tenantTableSql('club', table)).toThrow(ClubError);
  });
});

import { ClubError } from '@clubland/errors';
import { describe, expect, it } from 'vitest';
import { appSessionSql } from './app-session.ts';
import { assertClubId } from './tenant-id.ts';

describe('assertClubId', () => {
  it('accepts a UUID in either case and returns it in lower case', () => {
    expect(assertClubId('0190F0E2-7C1A-7B3E-9A4B-1C2D3E4F5A6B')).toBe('0190f0e2-7c1a-7b3e-9a4b-1c2d3e4f5a6b');
  });

  it.each([["0190f0e2-7c1a-7b3e-9a4b-1c2d3e4f5a6b'"], ["x', true); DROP TABLE t; --"], [''], ['not-a-uuid']])(
    'refuses %j as a club id, naming the field',
    (clubId) => {
      expect(() => appSessionSql(clubId)).toThrow(
        expect.objectContaining({ code: 'request.invalid_input', details: { field: 'clubId' } }),
      );
      expect(() => assertClubId(clubId)).toThrow(ClubError);
    },
  );
});

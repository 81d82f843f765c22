import { describe, expect, it } from 'vitest';
import { isClubError } from './club-error.ts';
import { isUuid, requireUuid } from './ids.ts';

describe('ids', () => {
  it('takes a UUID of any version and case, and nothing around it', () => {
    expect(isUuid('0190f5a2-7c1e-7b3a-9f00-1234567890ab')).toBe(true);
    expect(isUuid('0190F5A2-7C1E-4B3A-9F00-1234567890AB')).toBe(true);
    expect(isUuid(' 0190f5a2-7c1e-7b3a-9f00-1234567890ab')).toBe(false);
    expect(isUuid('0190f5a2-7c1e-7b3a-9f00-1234567890ab\n')).toBe(false);
    expect(isUuid("1' OR '1'='1")).toBe(false);
  });

  it('lower-cases a good id and refuses a bad one as invalid input naming the field', () => {
    expect(requireUuid('0190F5A2-7C1E-4B3A-9F00-1234567890AB', 'clubId')).toBe(
      '0190f5a2-7c1e-4b3a-9f00-1234567890ab',
    );
    let refused: unknown;
    try {
      requireUuid('club-1', 'clubId');
    } catch (error) {
      refused = error;
    }
    expect(isClubError(refused) && refused.code).toBe('request.invalid_input');
    expect(String((refused as Error).message)).toContain('clubId must be a UUID');
  });
});

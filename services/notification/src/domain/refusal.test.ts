import { isClubError } from '@clubland/errors';
import { describe, expect, it } from 'vitest';
import { refuseInput, toClubError } from './refusal.ts';

describe('refusals', () => {
  it('become the catalogued error with the field a client sees', () => {
    const error = toClubError(refuseInput('input.quietHoursStart', 'must be HH:MM (00:00-23:59)'));
    expect(isClubError(error)).toBe(true);
    expect(error.message).toBe('must be HH:MM (00:00-23:59)');
    expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.quietHoursStart' });
  });
});

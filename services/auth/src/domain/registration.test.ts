import { describe, expect, it } from 'vitest';
import { checkRegistration, checkUsername, type Registration } from './registration.ts';

const valid: Registration = {
  email: ' Grace@Example.com ',
  password: 'Correct-Horse-Battery-9',
  username: ' grace_h ',
  clubId: '0190B7A6-0000-7000-8000-000000000001',
  firstName: ' Grace ',
  lastName: 'Hopper',
};

describe('checkRegistration', () => {
  it('cleans a valid registration', () => {
    expect(checkRegistration(valid)).toEqual({
      ok: true,
      value: {
        ...valid,
        email: 'Grace@example.com',
        username: 'grace_h',
        clubId: '0190b7a6-0000-7000-8000-000000000001',
        firstName: 'Grace',
      },
    });
  });

  it('names the first wrong field in form order', () => {
    expect(checkRegistration({ ...valid, email: 'x', password: 'weak' })).toMatchObject({
      ok: false,
      field: 'email',
    });
    expect(checkRegistration({ ...valid, password: 'weak', firstName: '' })).toMatchObject({
      ok: false,
      field: 'password',
    });
    expect(checkRegistration({ ...valid, firstName: 'a\u0000b' })).toMatchObject({
      ok: false,
      field: 'firstName',
    });
  });

  it('treats an empty username as none and refuses malformed ones', () => {
    expect(checkUsername('')).toEqual({ ok: true, value: null });
    expect(checkUsername('  ')).toEqual({ ok: true, value: null });
    for (const bad of ['ab', '_grace', 'grace hopper', 'g'.repeat(31), 'grâce']) {
      expect(checkUsername(bad)).toMatchObject({ ok: false, field: 'username' });
    }
  });
});

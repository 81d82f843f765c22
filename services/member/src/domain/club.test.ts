import { describe, expect, it } from 'vitest';
import { checkClubPatch, checkNewClub, checkStatusChange, type NewClub } from './club.ts';

const valid: NewClub = {
  name: ' The Reform Club ',
  slug: 'the-reform-club',
  description: 'Founded 1836.',
  location: 'London, United Kingdom',
  website: 'https://www.reformclub.com',
};

describe('checkNewClub', () => {
  it('accepts a well-formed club and trims its text', () => {
    const checked = checkNewClub(valid);
    expect(checked).toEqual({ ok: true, value: { ...valid, name: 'The Reform Club' } });
  });

  it.each([
    ['Reform', 'upper case'],
    ['re', 'too short'],
    ['reform--club', 'double hyphen'],
    ['-reform', 'leading hyphen'],
    ['reform club', 'space'],
    ['r'.repeat(64), 'too long'],
  ])('refuses the slug %j (%s), naming the field', (slug) => {
    const checked = checkNewClub({ ...valid, slug });
    expect(checked.ok).toBe(false);
    expect(checked.ok === false && checked.field).toBe('slug');
  });

  it('refuses an empty name and a website that is not http(s)', () => {
    expect(checkNewClub({ ...valid, name: '   ' })).toMatchObject({ ok: false, field: 'name' });
    expect(checkNewClub({ ...valid, website: 'javascript:alert(1)' })).toMatchObject({
      ok: false,
      field: 'website',
    });
  });

  it('refuses oversized fields', () => {
    expect(checkNewClub({ ...valid, description: 'x'.repeat(5001) })).toMatchObject({
      ok: false,
      field: 'description',
    });
  });
});

describe('checkClubPatch', () => {
  it('checks and trims only the fields that are set', () => {
    expect(checkClubPatch({ name: ' Our Club ', slug: undefined })).toEqual({
      ok: true,
      value: { name: 'Our Club' },
    });
    expect(checkClubPatch({})).toEqual({ ok: true, value: {} });
  });

  it.each([
    [{ slug: 'Bad Slug' }, 'slug'],
    [{ name: '  ' }, 'name'],
    [{ website: 'ftp://example.com' }, 'website'],
  ])('refuses %o naming %s', (patch, field) => {
    expect(checkClubPatch(patch)).toMatchObject({ ok: false, field });
  });
});

describe('checkStatusChange', () => {
  it('allows any other status with a reason', () => {
    expect(checkStatusChange('ACTIVE', 'SUSPENDED', 'dues unpaid')).toEqual({ ok: true });
    expect(checkStatusChange('INACTIVE', 'ACTIVE', 'reopened')).toEqual({ ok: true });
  });

  it('refuses the same status, and a missing or overlong reason', () => {
    expect(checkStatusChange('ACTIVE', 'ACTIVE', 'again')).toMatchObject({
      ok: false,
      code: 'entity.conflict',
    });
    expect(checkStatusChange('ACTIVE', 'INACTIVE', '  ')).toMatchObject({ ok: false, field: 'reason' });
    expect(checkStatusChange('ACTIVE', 'INACTIVE', 'x'.repeat(1001))).toMatchObject({
      ok: false,
      field: 'reason',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { checkNewClub, type NewClub } from './club.ts';

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

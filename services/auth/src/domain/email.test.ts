import { describe, expect, it } from 'vitest';
import { emailKey, normaliseEmail } from './email.ts';

describe('normaliseEmail', () => {
  it('trims, lower-cases the domain and keeps the local part as typed', () => {
    expect(normaliseEmail('  Ada.Lovelace+club@Example.CO.uk ')).toEqual({
      ok: true,
      value: 'Ada.Lovelace+club@example.co.uk',
    });
    expect(emailKey('Ada@example.com')).toBe('ada@example.com');
  });

  it.each([
    'plainaddress',
    '@example.com',
    'ada@',
    'ada@localhost',
    'ada@@example.com',
    'ada lovelace@example.com',
    'ada..l@example.com',
    '.ada@example.com',
    'ada@-example.com',
    'ada@example.123',
    `${'a'.repeat(65)}@example.com`,
    `ada@${'a'.repeat(250)}.com`,
  ])('refuses %j', (email) => {
    expect(normaliseEmail(email).ok).toBe(false);
  });
});

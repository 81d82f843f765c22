import { describe, expect, it } from 'vitest';
import { checkPassword, isPasswordLengthAcceptable } from './password-policy.ts';

const email = 'ada.lovelace@example.com';

describe('checkPassword', () => {
  it('accepts a long password mixing two classes', () => {
    expect(checkPassword('analytical engine 1843', { email })).toEqual({ ok: true });
    expect(checkPassword('Correct-Horse-Battery-9', { email })).toEqual({ ok: true });
  });

  it.each([
    ['Sh0rt-pass!', 'at least 12'],
    ['alllowercaseletters', 'two of'],
    ['ALLUPPERCASELETTERS', 'two of'],
    ['123456789012345', 'two of'],
    ['Password1234', 'too common'],
    ['QWERTY123456', 'too common'],
    ['Ada.Lovelace@Example.com', 'email'],
    ['my-ada.lovelace-2024', 'email'],
    [`Aa1${'b'.repeat(126)}`, 'at most 128'],
  ])('refuses %j (%s)', (password, reason) => {
    const checked = checkPassword(password, { email });
    expect(checked.ok).toBe(false);
    expect(checked.ok === false && checked.message).toContain(reason);
  });

  it('counts characters, not UTF-16 units, for the limits', () => {
    const emoji = '🔑'.repeat(12);
    expect([...emoji].length).toBe(12);
    expect(checkPassword(`${emoji}1`, { email })).toEqual({ ok: true });
    expect(isPasswordLengthAcceptable('🔑'.repeat(128))).toBe(true);
    expect(isPasswordLengthAcceptable('🔑'.repeat(129))).toBe(false);
    expect(isPasswordLengthAcceptable('')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { attachmentsOf, textOf } from './input.ts';

describe('text fields', () => {
  it('trims, bounds and refuses NUL, naming the field', () => {
    expect(textOf('  Dress code ', 1, 20, 'name')).toBe('Dress code');
    expect(() => textOf('a\u0000b', 1, 20, 'name')).toThrow(/NUL/);
    expect(() => textOf('   ', 1, 20, 'title')).toThrow(/title must be 1-20/);
    expect(() => textOf('x'.repeat(21), 1, 20, 'title')).toThrow(/title/);
  });

  it('takes https links only, of bounded length and number', () => {
    expect(attachmentsOf(['https://example.org/a.pdf'])).toEqual(['https://example.org/a.pdf']);
    expect(() => attachmentsOf(['http://example.org/a.pdf'])).toThrow(/https/);
    expect(() => attachmentsOf([`https://example.org/${'a'.repeat(2048)}`])).toThrow(/2048/);
    expect(() => attachmentsOf(Array(21).fill('https://example.org/'))).toThrow(/at most 20/);
  });
});

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { boolVar, enumVar, intVar, portVar, stringVar, urlVar } from './fields.ts';
import { ConfigError, loadConfig } from './load-config.ts';

/** Parses one variable `X` through `loadConfig`, as a service would. */
function parseVar<T>(field: z.ZodType<T, string | undefined>, value: string | undefined): T {
  const config = loadConfig(z.object({ X: field }), value === undefined ? {} : { X: value });
  return config.X;
}

function problemOf(field: z.ZodType<unknown, string | undefined>, value: string | undefined): string {
  try {
    parseVar(field, value);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`expected ${value} to be refused`);
}

describe('urlVar', () => {
  const postgres = urlVar({ protocols: ['postgres:', 'postgresql:'] });

  it('accepts a URL with an allowed scheme', () => {
    expect(parseVar(postgres, 'postgres://app@db:5432/clubland')).toBe('postgres://app@db:5432/clubland');
    expect(parseVar(postgres, 'postgresql://db/clubland')).toBe('postgresql://db/clubland');
  });

  it('refuses another scheme, a non-URL and a missing host', () => {
    expect(problemOf(postgres, 'mysql://db/x')).toBe(
      'Invalid configuration: X must be a postgres:// or postgresql:// URL (got "mysql://db/x")',
    );
    expect(problemOf(postgres, 'nonsense')).toContain('X must be a postgres:// or postgresql:// URL');
    expect(problemOf(postgres, 'postgres://')).toContain('must be a postgres://');
  });

  it('is required without a default, optional with .optional(), and falls back to its default', () => {
    expect(problemOf(postgres, undefined)).toBe('Invalid configuration: X is required but not set');
    expect(parseVar(postgres.optional(), undefined)).toBeUndefined();
    expect(parseVar(urlVar({ protocols: ['http:'], default: 'http://localhost' }), undefined)).toBe(
      'http://localhost',
    );
  });
});

describe('portVar', () => {
  it('accepts 0..65535 and uses its default when unset', () => {
    expect(parseVar(portVar(8080), undefined)).toBe(8080);
    expect(parseVar(portVar(8080), '9090')).toBe(9090);
    expect(parseVar(portVar(), '0')).toBe(0);
    expect(parseVar(portVar(), '65535')).toBe(65535);
  });

  it.each(['65536', '-1', '80.5', 'http', '8080abc'])('refuses %s', (value) => {
    expect(problemOf(portVar(8080), value)).toBe(
      `Invalid configuration: X must be a port number between 0 and 65535 (got "${value}")`,
    );
  });
});

describe('intVar', () => {
  const pool = intVar({ min: 1, max: 100, default: 10 });

  it('accepts whole numbers in range and defaults when unset', () => {
    expect(parseVar(pool, undefined)).toBe(10);
    expect(parseVar(pool, '1')).toBe(1);
    expect(parseVar(pool, '100')).toBe(100);
    expect(parseVar(intVar(), '-42')).toBe(-42);
  });

  it.each(['0', '101', '2.5', 'ten', '1e3'])('refuses %s', (value) => {
    expect(problemOf(pool, value)).toBe(
      `Invalid configuration: X must be a whole number between 1 and 100 (got "${value}")`,
    );
  });

  it('names a one-sided range', () => {
    expect(problemOf(intVar({ min: 5 }), '4')).toContain('must be a whole number of at least 5');
    expect(problemOf(intVar({ max: 5 }), '6')).toContain('must be a whole number of at most 5');
  });
});

describe('boolVar', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['false', false],
    ['False', false],
    ['0', false],
  ])('reads %s as %s', (value, expected) => {
    expect(parseVar(boolVar(), value)).toBe(expected);
  });

  it('defaults when unset and refuses anything else', () => {
    expect(parseVar(boolVar(true), undefined)).toBe(true);
    expect(problemOf(boolVar(false), 'yes')).toBe(
      'Invalid configuration: X must be true, false, 1 or 0 (got "yes")',
    );
    expect(problemOf(boolVar(false), 'ture')).toContain('must be true, false, 1 or 0');
  });
});

describe('enumVar', () => {
  const mode = enumVar(['development', 'production', 'test'], 'development');

  it('accepts a listed value and defaults when unset', () => {
    expect(parseVar(mode, 'production')).toBe('production');
    expect(parseVar(mode, undefined)).toBe('development');
  });

  it('refuses an unlisted value, naming the choices', () => {
    expect(problemOf(mode, 'prod')).toBe(
      'Invalid configuration: X must be one of development, production, test (got "prod")',
    );
  });
});

describe('stringVar', () => {
  it('accepts a value, defaults, and requires one without a default', () => {
    expect(parseVar(stringVar(), 'CLUBLAND')).toBe('CLUBLAND');
    expect(parseVar(stringVar({ default: 'x' }), undefined)).toBe('x');
    expect(problemOf(stringVar(), undefined)).toBe('Invalid configuration: X is required but not set');
  });

  it('enforces a minimum length without echoing a secret', () => {
    const message = problemOf(stringVar({ minLength: 32, secret: true }), 'short-secret');
    expect(message).toBe('Invalid configuration: X must be at least 32 characters long (got 12 characters)');
    expect(message).not.toContain('short-secret');
  });
});

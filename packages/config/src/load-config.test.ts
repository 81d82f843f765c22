import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appConfigSchema } from './app-config.ts';
import { portVar, stringVar } from './fields.ts';
import { ConfigError, loadConfig } from './load-config.ts';

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('returns the typed values and ignores unrelated variables', () => {
    const schema = z.object({ PORT: portVar(8080), NAME: stringVar() });
    const config = loadConfig(schema, { NAME: 'club', PATH: '/usr/bin' });
    expect(config).toEqual({ PORT: 8080, NAME: 'club' });
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig(appConfigSchema, { REDIS_URL: '', GATEWAY_PORT: '' });
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.GATEWAY_PORT).toBe(8080);
  });

  it('reads process.env by default', () => {
    const name = `CLUBLAND_TEST_${process.pid}`;
    process.env[name] = '4242';
    try {
      expect(loadConfig(z.object({ [name]: portVar() }))[name]).toBe(4242);
    } finally {
      delete process.env[name];
    }
  });

  it('refuses DATABASE_URL=nonsense with one line naming the variable', () => {
    const error = errorOf(() => loadConfig(appConfigSchema, { DATABASE_URL: 'nonsense' }));
    expect(error.message).toBe(
      'Invalid configuration: DATABASE_URL must be a postgres:// or postgresql:// URL (got "nonsense")',
    );
    expect(error.message).not.toContain('\n');
    expect(error.problems).toEqual([
      { variable: 'DATABASE_URL', problem: 'must be a postgres:// or postgresql:// URL (got "nonsense")' },
    ]);
  });

  it.each([
    ['mysql://app:s3cr3t-pw@db:3306/clubland', 'mysql://app:***@db:3306/clubland'],
    ['app:s3cr3t-pw@db/clubland', 'app:***@db/clubland'],
    ['//app:s3cr3t-pw@db', '//app:***@db'],
    ['http://db/x?password=s3cr3t-pw', 'http://db/x?password=***'],
    ['postgres://app:s3cr3t-pw@', 'postgres://app:***@'],
  ])('never shows the password of %s', (value, shown) => {
    const error = errorOf(() => loadConfig(appConfigSchema, { DATABASE_URL: value }));
    expect(error.message).not.toContain('s3cr3t-pw');
    expect(error.message).toContain(`(got "${shown}")`);
  });

  it('masks a password in a Redis URL with an empty user', () => {
    const error = errorOf(() => loadConfig(appConfigSchema, { REDIS_URL: 'http://:hunter2@cache:6379' }));
    expect(error.message).toBe(
      'Invalid configuration: REDIS_URL must be a redis:// or rediss:// URL (got "http://:***@cache:6379")',
    );
  });

  it('names every bad variable on the same line', () => {
    const error = errorOf(() =>
      loadConfig(appConfigSchema, { GATEWAY_PORT: 'eighty', NODE_ENV: 'staging', LOG_LEVEL: 'info' }),
    );
    expect(error.problems.map((p) => p.variable).sort()).toEqual(['GATEWAY_PORT', 'NODE_ENV']);
    expect(error.message.split('\n')).toHaveLength(1);
    expect(error.message).toContain('GATEWAY_PORT must be a port number');
    expect(error.message).toContain('NODE_ENV must be one of development, production, test (got "staging")');
  });

  it('reports plain zod fields without echoing their value', () => {
    const error = errorOf(() =>
      loadConfig(z.object({ API_KEY: z.string().length(40) }), { API_KEY: 'leak' }),
    );
    expect(error.message).toMatch(/^Invalid configuration: API_KEY is invalid: /);
    expect(error.message).not.toContain('leak');
  });
});

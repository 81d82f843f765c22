import { describe, expect, it } from 'vitest';
import {
  appConfigSchema,
  DEVELOPMENT_LEDGER_KEY_ENCRYPTION_KEY,
  refuseDevelopmentSecrets,
} from './app-config.ts';

describe('development secrets', () => {
  it('lets development run on the default ledger key and refuses it in production', () => {
    const development = appConfigSchema.parse({});
    expect(development.LEDGER_KEY_ENCRYPTION_KEY).toBe(DEVELOPMENT_LEDGER_KEY_ENCRYPTION_KEY);
    expect(() => refuseDevelopmentSecrets(development)).not.toThrow();
    const production = appConfigSchema.parse({ NODE_ENV: 'production' });
    expect(() => refuseDevelopmentSecrets(production)).toThrow(/LEDGER_KEY_ENCRYPTION_KEY/);
    const secret = appConfigSchema.parse({
      NODE_ENV: 'production',
      LEDGER_KEY_ENCRYPTION_KEY: 'x'.repeat(40),
    });
    expect(() => refuseDevelopmentSecrets(secret)).not.toThrow();
  });
});

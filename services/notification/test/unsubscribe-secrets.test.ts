import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UNSUBSCRIBE_SECRET_FILE, unsubscribeSecretsOf } from '../src/app/unsubscribe-secrets.ts';

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'clubland-unsubscribe-'));
  dirs.push(dir);
  return join(dir, 'data');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('NOTIFICATION_UNSUBSCRIBE_SECRETS', () => {
  it('takes the configured secrets in order, each at least 32 bytes', () => {
    const a = 'a'.repeat(32);
    const b = 'b'.repeat(40);
    expect(
      unsubscribeSecretsOf({
        NODE_ENV: 'production',
        CLUBLAND_DATA_DIR: dataDir(),
        NOTIFICATION_UNSUBSCRIBE_SECRETS: ` ${a}, ${b} `,
      }),
    ).toEqual([a, b]);
    expect(() =>
      unsubscribeSecretsOf({
        NODE_ENV: 'development',
        CLUBLAND_DATA_DIR: dataDir(),
        NOTIFICATION_UNSUBSCRIBE_SECRETS: `${a},short`,
      }),
    ).toThrow(/at least 32 bytes/);
  });

  it('generates one into the data directory once and keeps it; production must configure it', () => {
    const dir = dataDir();
    const first = unsubscribeSecretsOf({ NODE_ENV: 'development', CLUBLAND_DATA_DIR: dir });
    expect(first).toHaveLength(1);
    expect(Buffer.byteLength(first[0]!)).toBeGreaterThanOrEqual(32);
    const file = join(dir, UNSUBSCRIBE_SECRET_FILE);
    expect(readFileSync(file, 'utf8').trim()).toBe(first[0]);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(unsubscribeSecretsOf({ NODE_ENV: 'development', CLUBLAND_DATA_DIR: dir })).toEqual(first);
    expect(unsubscribeSecretsOf({ NODE_ENV: 'development', CLUBLAND_DATA_DIR: dataDir() })).not.toEqual(
      first,
    );
    expect(() => unsubscribeSecretsOf({ NODE_ENV: 'production', CLUBLAND_DATA_DIR: dir })).toThrow(
      /NOTIFICATION_UNSUBSCRIBE_SECRETS is required in production/,
    );
  });
});

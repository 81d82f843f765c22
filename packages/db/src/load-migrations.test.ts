import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMigrations } from './load-migrations.ts';

describe('loadMigrations', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clubland-migrations-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads NNNN-name.sql files in version order, from a file URL or a path', async () => {
    await writeFile(join(dir, '0010-add-index.sql'), 'CREATE INDEX i ON t (x);');
    await writeFile(join(dir, '0002-create-clubs.sql'), 'CREATE TABLE t (x int);');
    await writeFile(join(dir, 'README.md'), 'not a migration');
    const expected = [
      { version: 2, name: 'create-clubs', sql: 'CREATE TABLE t (x int);' },
      { version: 10, name: 'add-index', sql: 'CREATE INDEX i ON t (x);' },
    ];
    expect(await loadMigrations(pathToFileURL(`${dir}/`))).toEqual(expected);
    expect(await loadMigrations(dir)).toEqual(expected);
  });

  it('refuses two migrations with one version, naming both', async () => {
    await writeFile(join(dir, '0005-known-devices.sql'), 'SELECT 1');
    await writeFile(join(dir, '0005-authz-version.sql'), 'SELECT 2');
    await expect(loadMigrations(dir)).rejects.toThrow(
      /authz-version.*known-devices|known-devices.*authz-version/,
    );
  });

  it('refuses a .sql file that is not named like a migration', async () => {
    await writeFile(join(dir, '1-create.sql'), 'SELECT 1');
    await expect(loadMigrations(dir)).rejects.toThrow(/0001-create-clubs\.sql/);
  });
});

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClubError } from '@clubland/errors';
import type { Migration } from './migrate.ts';

const FILE_NAME = /^(\d{4})-([a-z0-9]+(?:-[a-z0-9]+)*)\.sql$/;

/**
 * Reads `NNNN-name.sql` files from a folder, e.g. `0001-create-clubs.sql` -> version 1,
 * name `create-clubs`, sorted by version. Other `.sql` names are an error rather than silently
 * skipped: a migration that never runs is worse than a failed start. Non-SQL files are ignored.
 *
 * Usage: `await loadMigrations(new URL('./migrations/', import.meta.url))`.
 */
export async function loadMigrations(dir: URL | string): Promise<Migration[]> {
  const path = dir instanceof URL ? fileURLToPath(dir) : dir;
  const files = (await readdir(path)).filter((file) => file.endsWith('.sql'));
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (!match) {
      throw new ClubError(
        'internal',
        `migration file ${join(path, file)} must be named like 0001-create-clubs.sql`,
      );
    }
    const version = Number(match[1]);
    // Two branches that each add "the next" migration both pick the same number; only one would
    // ever run where the other already had. Refuse, naming both files.
    const taken = migrations.find((migration) => migration.version === version);
    if (taken) {
      throw new ClubError(
        'internal',
        `migrations ${join(path, file)} and ${taken.name} share version ${match[1]}: renumber one`,
      );
    }
    const sql = await readFile(join(path, file), 'utf8');
    migrations.push({ version, name: match[2]!, sql });
  }
  return migrations.sort((a, b) => a.version - b.version);
}

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Creates the embedded database cluster at `dataDir` (initdb) in a child process, when there is
 * none there yet; true when it did. Creating it in the serving process left ~40 MB of glibc's
 * heap fragmented and resident for as long as the process ran (a first start idled at ~305 MB, a
 * restart on the same data at ~270; bench/memory.ts), and its peak on top of the engine's own.
 * The child opens the cluster exactly as `createPgliteDb` does, then closes it.
 */
export async function createPgliteClusterApart(dataDir: string): Promise<boolean> {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return false;
  const script = fileURLToPath(new URL('./pglite-cluster-main.ts', import.meta.url));
  try {
    await run(process.execPath, [script, dataDir], { timeout: 120_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`creating the embedded database at ${dataDir} failed${stderr ? `: ${stderr}` : ''}`, {
      cause: error,
    });
  }
  return true;
}

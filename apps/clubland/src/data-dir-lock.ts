import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One process per embedded data directory. Two PGlite instances on one directory each believe
 * they own its files, and the second one's writes can corrupt the first one's database; PGlite
 * itself does not stop it. So whoever opens the directory (start, migrate, seed, admin create)
 * first takes `clubland.lock` inside it, holding its process id, the way PostgreSQL keeps
 * `postmaster.pid`.
 *
 * The lock is created atomically and whole: the PID is written to a file of this process's own,
 * which is then hard-linked to the lock's name (link() fails when the name exists), so no one ever
 * reads a half-written lock. A lock whose PID is gone, or is a process that is not clubland (a PID
 * reused after a crash or a container restart), is stale and taken over.
 */

export const LOCK_FILE_NAME = 'clubland.lock';

/** Lock files this process holds, so that opening the same directory twice in one process is refused too. */
const heldHere = new Set<string>();

export interface DataDirLock {
  readonly path: string;
  /** Removes the lock file (if it is still ours); safe to call more than once. */
  release(): void;
}

export class DataDirInUseError extends Error {
  readonly dataDir: string;
  readonly pid: number;

  constructor(dataDir: string, pid: number) {
    super(
      `the data directory ${dataDir} is in use by process ${pid}: stop that process first, ` +
        'or set CLUBLAND_DATA_DIR to another directory',
    );
    this.name = 'DataDirInUseError';
    this.dataDir = dataDir;
    this.pid = pid;
  }
}

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE_NAME);
  const mine = `${path}.${process.pid}`;
  writeFileSync(mine, `${process.pid}\n`);
  try {
    // Twice at most: a stale lock is removed once, then the name is raced for like any other.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (tryLink(mine, path)) return held(path);
      const holder = readHolder(path);
      if (holder !== undefined && isLiveHolder(holder, path)) throw new DataDirInUseError(dataDir, holder);
      removeIfStill(path, holder);
    }
    throw new DataDirInUseError(dataDir, readHolder(path) ?? 0);
  } finally {
    unlinkQuietly(mine);
  }
}

function held(path: string): DataDirLock {
  heldHere.add(path);
  let isReleased = false;
  const release = () => {
    if (isReleased) return;
    isReleased = true;
    heldHere.delete(path);
    process.removeListener('exit', release);
    // Never remove a lock someone else took over (after ours was judged stale).
    if (readHolder(path) === process.pid) unlinkQuietly(path);
  };
  // A process that exits without closing its database (process.exit, an uncaught error) lets go too.
  process.on('exit', release);
  return { path, release };
}

function tryLink(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return false;
    throw error;
  }
}

/** The PID in a lock file; undefined when the file is gone or holds no PID. */
function readHolder(path: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return undefined;
    throw error;
  }
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

function isLiveHolder(pid: number, path: string): boolean {
  // Our own PID: this process holds it (refused), or a previous process that had our PID left it.
  if (pid === process.pid) return heldHere.has(path);
  if (!isAlive(pid)) return false;
  return isClublandProcess(pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return codeOf(error) === 'EPERM';
  }
}

/**
 * Whether the PID runs the clubland binary (`node apps/clubland/src/main.ts`, or the `clubland`
 * bin), from its arguments where the system shows them (Linux's /proc). Where they cannot be read,
 * a live PID is taken to be the holder: refusing a start is safe, corrupting a database is not.
 */
function isClublandProcess(pid: number): boolean {
  let args: string[];
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return true;
  }
  return args.some((arg) => CLUBLAND_ENTRY.test(arg));
}

const CLUBLAND_ENTRY = /(?:^|\/)(?:clubland\/src\/main\.ts|clubland)$/;

/** Removes a stale lock, unless it changed since it was read (someone else took it over meanwhile). */
function removeIfStill(path: string, holder: number | undefined): void {
  if (readHolder(path) === holder) unlinkQuietly(path);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if (codeOf(error) !== 'ENOENT') throw error;
  }
}

function codeOf(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error ? String(error.code) : undefined;
}

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirInUseError, LOCK_FILE_NAME, lockDataDir } from '../src/data-dir-lock.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clubland-lock-'));
  dirs.push(dir);
  return join(dir, 'data');
}

/** The PID of a process that has exited: nobody holds it (until the system reuses it). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

describe('lockDataDir', () => {
  it('writes this process’s PID, refuses a second opener naming the directory and the PID, and lets go', () => {
    const dataDir = freshDir();
    const lock = lockDataDir(dataDir);
    expect(readFileSync(join(dataDir, LOCK_FILE_NAME), 'utf8').trim()).toBe(String(process.pid));

    let refusal: unknown;
    try {
      lockDataDir(dataDir);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DataDirInUseError);
    expect((refusal as Error).message).toContain(dataDir);
    expect((refusal as Error).message).toContain(String(process.pid));
    expect((refusal as Error).message).not.toContain('\n');

    lock.release();
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false);
    lockDataDir(dataDir).release();
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const dataDir = freshDir();
    lockDataDir(dataDir).release();
    writeFileSync(join(dataDir, LOCK_FILE_NAME), `${await deadPid()}\n`);
    const lock = lockDataDir(dataDir);
    expect(readFileSync(join(dataDir, LOCK_FILE_NAME), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('takes over a lock whose PID now belongs to a process that is not clubland', async () => {
    const dataDir = freshDir();
    lockDataDir(dataDir).release();
    const stranger = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(join(dataDir, LOCK_FILE_NAME), `${stranger.pid}\n`);
      const lock = lockDataDir(dataDir);
      expect(readFileSync(join(dataDir, LOCK_FILE_NAME), 'utf8').trim()).toBe(String(process.pid));
      lock.release();
    } finally {
      stranger.kill();
    }
  });

  it('does not remove a lock another process took over after this one’s', () => {
    const dataDir = freshDir();
    const lock = lockDataDir(dataDir);
    writeFileSync(join(dataDir, LOCK_FILE_NAME), '1\n');
    lock.release();
    expect(readFileSync(join(dataDir, LOCK_FILE_NAME), 'utf8').trim()).toBe('1');
  });
});

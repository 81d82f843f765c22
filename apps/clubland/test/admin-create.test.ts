import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClublandToEnd, startClubland } from '../../../test/e2e/clubland-process.ts';

const embedded = { DATABASE_URL: undefined, NATS_URL: undefined, REDIS_URL: undefined };

/** The first network administrator: `clubland admin create`, and the bootstrap variables at start. */
describe('the first network administrator', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'clubland-admin-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function accounts(): Promise<{ email: string; role: string | null }[]> {
    const pglite = new PGlite(dataDir);
    try {
      const { rows } = await pglite.query<{ email: string; role: string | null }>(
        `SELECT u.email, g.role FROM auth.users u LEFT JOIN auth.role_grants g ON g.user_id = u.id ORDER BY u.email`,
      );
      return rows;
    } finally {
      await pglite.close();
    }
  }

  it('admin create makes one from standard input; a second is refused and the bootstrap variables then change nothing', async () => {
    const env = { ...embedded, CLUBLAND_DATA_DIR: dataDir };
    const created = await runClublandToEnd(
      ['admin', 'create', '--email', 'operator@clubland.test', '--password-stdin'],
      env,
      {
        input: 'First-Admin-Password-1\n',
      },
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('network administrator operator@clubland.test created');
    const once = await accounts();
    expect(once).toEqual([{ email: 'operator@clubland.test', role: 'NETWORK_ADMIN' }]);

    const second = await runClublandToEnd(
      ['admin', 'create', '--email', 'deputy@clubland.test', '--password-stdin'],
      env,
      {
        input: 'Second-Admin-Password-2',
      },
    );
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('a network administrator exists already; nothing changed');
    expect(await accounts()).toEqual(once);

    const running = await startClubland(
      {
        ...env,
        CLUBLAND_BOOTSTRAP_ADMIN_EMAIL: 'operator@clubland.test',
        CLUBLAND_BOOTSTRAP_ADMIN_PASSWORD: 'Overwriting-Password-3',
      },
      { args: ['start', '--no-demo'] },
    );
    expect(await running.stop()).toBe(0);
    expect(running.output()).toMatch(/"level":"warn".*CLUBLAND_BOOTSTRAP_ADMIN_EMAIL\/PASSWORD ignored/);
    expect(await accounts()).toEqual(once);
    // The first password still signs in; the one in the variables was never applied.
    const seed = await runClublandToEnd(['seed', '--demo', '--json'], {
      ...env,
      CLUBLAND_BOOTSTRAP_ADMIN_EMAIL: 'operator@clubland.test',
      CLUBLAND_BOOTSTRAP_ADMIN_PASSWORD: 'First-Admin-Password-1',
    });
    expect(seed.code, seed.stderr).toBe(0);
    const network = JSON.parse(seed.stdout) as {
      accounts: { email: string; password: string | null; roles: string[] }[];
    };
    // The demo acted as the operator's administrator, and created no second one nor printed their password.
    expect(network.accounts.filter((a) => a.roles.includes('NETWORK_ADMIN'))).toEqual([
      expect.objectContaining({ email: 'operator@clubland.test', password: null }),
    ]);
  }, 300_000);

  it('admin create refuses without a terminal unless the password comes on standard input', async () => {
    const other = mkdtempSync(join(tmpdir(), 'clubland-admin-tty-'));
    try {
      const refused = await runClublandToEnd(['admin', 'create', '--email', 'x@clubland.test'], {
        ...embedded,
        CLUBLAND_DATA_DIR: other,
      });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('--password-stdin');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

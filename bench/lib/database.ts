import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A fresh database for one benchmark server, created (and dropped again by `drop`) on
 * `ownerServer` (DATABASE_OWNER_URL when set, else DATABASE_URL); `url` logs in as `appServer`'s
 * role, `ownerUrl` as the owner.
 */
export async function freshDatabase(
  appServer: string,
  ownerServer = appServer,
): Promise<{ url: string; ownerUrl: string; drop(): Promise<void> }> {
  const name = `clubland_bench_${randomBytes(4).toString('hex')}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: ownerServer });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const inDatabase = (server: string) => {
    const url = new URL(server);
    url.pathname = `/${name}`;
    return url.toString();
  };
  return {
    url: inDatabase(appServer),
    ownerUrl: inDatabase(ownerServer),
    drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

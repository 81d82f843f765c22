import type { Db } from '@clubland/db';
import { createUserQueries } from '../store/user-queries.ts';

/**
 * How many accounts have an address at `domain`, e.g. the demo network's `demo.clubland.test`:
 * start-up in production refuses a database holding them, whose passwords are published.
 * In-process only, for the operator's own process; not an RPC.
 */
export function countAccountsAtDomain(db: Db, domain: string): Promise<number> {
  return db.readAtOnce(null, (tx) => createUserQueries(tx).countAtEmailDomain(domain));
}

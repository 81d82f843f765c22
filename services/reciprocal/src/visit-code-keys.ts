import type { JsonWebKey } from 'node:crypto';
import type { Db } from '@clubland/db';
import type { VisitCodeKeys } from './app/deps.ts';
import { generateVisitCodeKeyPair, type VisitCodeKeyPair } from './domain/visit-code.ts';
import { createVisitCodeKeyQueries } from './store/visit-code-key-queries.ts';

/**
 * VisitCodeKeys over reciprocal.visit_code_keys: the first instance to issue a code creates the key
 * and every instance reads it from there. Held in memory once read; the public keys are read again
 * when a code names a key this instance has not seen (another instance's newer key).
 */
export function createVisitCodeKeys(db: Db): VisitCodeKeys {
  let current: VisitCodeKeyPair | null = null;
  let publicKeys: JsonWebKey[] = [];
  return {
    async current(now, newId) {
      if (current) return current;
      current = await db.transaction(async (tx) => {
        const keys = createVisitCodeKeyQueries(tx);
        const found = await keys.current();
        if (found) return found;
        await keys.insertUnlessPresent(generateVisitCodeKeyPair(newId()), now);
        return (await keys.current())!;
      });
      return current;
    },
    async publicKeys(kid) {
      if (kid === undefined || !publicKeys.some((key) => key.kid === kid)) {
        publicKeys = await db.transaction((tx) => createVisitCodeKeyQueries(tx).publicKeys());
      }
      return publicKeys;
    },
  };
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { ClubError } from '@clubland/errors';
import type { QueryResult, Tx } from './db.ts';

interface Scope {
  readonly db: object;
  isOpen: boolean;
  readonly parent: Scope | undefined;
}

const currentScope = new AsyncLocalStorage<Scope>();

/**
 * Runs one transaction of `db`, refusing to open a second one of the same `db` from inside it.
 * On PGlite (a single connection) the inner one would wait for the outer forever; on PostgreSQL it
 * would silently use another connection that cannot see the outer one's writes. Either way the
 * caller meant to pass the open `tx` along.
 */
export async function runInScope<T>(db: object, body: () => Promise<T>): Promise<T> {
  for (let scope = currentScope.getStore(); scope; scope = scope.parent) {
    if (scope.db === db && scope.isOpen) {
      throw new ClubError(
        'internal',
        'a transaction was opened inside another transaction of the same database; pass the open tx instead',
      );
    }
  }
  const scope: Scope = { db, isOpen: true, parent: currentScope.getStore() };
  try {
    return await currentScope.run(scope, body);
  } finally {
    scope.isOpen = false;
  }
}

/** A `Tx` that refuses queries once its transaction is over, the same on both adapters. */
export function openTx(
  run: (sql: string, params: readonly unknown[] | undefined) => Promise<QueryResult<unknown>>,
): { tx: Tx; end(why?: string): void } {
  let closedBecause: string | undefined;
  const tx: Tx = {
    query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      if (closedBecause !== undefined) return Promise.reject(new Error(closedBecause));
      return run(sql, params) as Promise<QueryResult<R>>;
    },
  };
  return {
    tx,
    end(why = 'the transaction is closed; use the tx only inside its callback') {
      closedBecause ??= why;
    },
  };
}

/** Why a `readAtOnce` transaction refuses a statement issued after its callback first awaited. */
export const READ_AT_ONCE_CLOSED =
  'a readAtOnce transaction has ended with the statements issued before its callback first awaited; issue every read at once (Promise.all) or use withTenant';

/**
 * Throws unless COMMIT committed: PostgreSQL answers COMMIT of a transaction in which a statement
 * failed with ROLLBACK, not with an error. Worded as PGlite's TransactionAbortedError, so both
 * adapters read alike.
 */
export function assertCommitted(commandTag: string | undefined): void {
  if (commandTag === 'ROLLBACK') {
    throw new Error('Transaction was rolled back instead of committed: an earlier statement in it failed');
  }
}

/**
 * The application's SQL is a fixed set of texts; past this many distinct ones (a bug building SQL
 * from values) statements are no longer named and run unnamed, as before.
 */
const MAX_NAMED_STATEMENTS = 1000;

export interface StatementName {
  name: string;
  /** Handed out for the first time: the message carrying it must also carry its Parse. */
  isNew: boolean;
}

/**
 * One name per SQL text for prepared statements, so a connection parses and plans a statement
 * once and then only binds and executes it. Both adapters use it; node-postgres also keeps track
 * of which of its connections prepared which name, PGlite (one connection) needs only `isNew`.
 */
export function statementNames() {
  const names = new Map<string, string>();
  let created = 0;
  return {
    nameOf(sql: string): StatementName | undefined {
      const name = names.get(sql);
      if (name !== undefined) return { name, isNew: false };
      if (names.size >= MAX_NAMED_STATEMENTS) return undefined;
      const fresh = `clubland_${++created}`;
      names.set(sql, fresh);
      return { name: fresh, isNew: true };
    },
    /** The statement under this name is gone or never was: hand out a new name next time. */
    forget(sql: string): void {
      names.delete(sql);
    },
  };
}

export type StatementNames = ReturnType<typeof statementNames>;

import { invalidInput } from '@clubland/errors';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Quotes a schema, table or column name for DDL we build from strings. Only plain lower-case
 * names are accepted: they are what our migrations use and they cannot smuggle SQL.
 */
export function quoteIdentifier(name: string, field = 'identifier'): string {
  if (!IDENTIFIER.test(name))
    throw invalidInput(field, `${field} must match ${IDENTIFIER.source}, got "${name}"`);
  return `"${name}"`;
}

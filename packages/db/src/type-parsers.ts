import type { ParserOptions } from '@electric-sql/pglite';
import pg from 'pg';
import { parseTimestamptz } from './timestamptz.ts';

/**
 * Both adapters return the same JavaScript values for the same column types, so business code
 * cannot tell them apart. We follow node-postgres where it is lossless and fix what is not:
 * - int8 (bigint, count(*)) -> string, as node-postgres does: a JS number loses precision past 2^53.
 * - numeric -> string (both already do).
 * - date -> 'YYYY-MM-DD' string: a calendar date has no time zone, and turning it into a `Date`
 *   at local or UTC midnight (which each library does differently) shifts it by a day somewhere.
 * - timestamptz -> Date (postgres-date's value, read faster: timestamptz.ts), json/jsonb -> parsed
 *   value, bytea -> Uint8Array (a Buffer on pg).
 */
const INT8 = 20;
const DATE = 1082;
const DATE_ARRAY = 1182;
const TEXT_ARRAY = 1009;
const TIMESTAMPTZ = 1184;

const keepText = (value: string): string => value;

export const pgliteParsers: ParserOptions = { [INT8]: keepText, [DATE]: keepText };

type TypeId = Parameters<typeof pg.types.getTypeParser>[0];

function getTypeParser(oid: TypeId, format?: 'text' | 'binary'): (value: string) => unknown {
  const id: number = oid;
  if (id === DATE) return keepText;
  if (id === TIMESTAMPTZ) return parseTimestamptz;
  if (id === DATE_ARRAY) return pg.types.getTypeParser(TEXT_ARRAY as TypeId, 'text');
  return pg.types.getTypeParser(oid, format ?? 'text');
}

/** Per pool, so we never change node-postgres's global parsers for other users in the process. */
export const pgTypes: pg.CustomTypesConfig = { getTypeParser };

/**
 * The row counts a LIMIT is rounded up to (page sizes 10, 20, 50 and 100 plus the row that tells
 * whether another page follows), so one query shape has six texts, not one per size: statement
 * names are limited (statement-names.ts) and every text is planned once per connection.
 */
const LIMIT_STEPS = [1, 2, 11, 21, 51, 101];

/**
 * `LIMIT n` and, past the first row, `OFFSET $k`, for a page of at least `rows` rows: the LIMIT is
 * a literal, rounded up to one of a few sizes (the caller keeps the first `rows` of what comes
 * back). Why not `LIMIT $n`: PostgreSQL costs the plan it would cache for a prepared statement
 * (the generic plan) as if a parameterised LIMIT or OFFSET fetched a tenth of the table, finds it
 * dearer than the plan for the actual values, and so re-plans the statement on every execution:
 * on PGlite that was ~110 µs of a members page's ~270 µs. A positive OFFSET still costs that
 * (it must stay a parameter, or every page number would be a statement of its own); keyset
 * pagination is the fast way through a long list.
 *
 * @param param adds `offset` to the statement's parameters and returns its placeholder (`$3`).
 */
export function limitSql(rows: number, offset: number, param: (value: number) => string): string {
  if (!Number.isSafeInteger(rows) || rows < 1)
    throw new RangeError(`rows must be a positive integer: ${rows}`);
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw new RangeError(`offset must be a non-negative integer: ${offset}`);
  const limit = LIMIT_STEPS.find((step) => step >= rows) ?? Math.ceil(rows / 1000) * 1000;
  return offset === 0 ? `LIMIT ${limit}` : `LIMIT ${limit} OFFSET ${param(offset)}`;
}
